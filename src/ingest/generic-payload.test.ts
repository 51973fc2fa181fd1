import { describe, expect, it } from 'vitest';
import { ingestErrorOf, ingestSettings } from '../../test/support/ingest-settings.js';
import { parseGeneric } from './generic-payload.js';
import { type GenericMapping, IngestError, type IntegrationSettings } from './integration-settings.js';

const settings = ingestSettings();
const NOW = Date.parse('2024-05-01T12:30:00Z');

function mapped(mapping: Partial<GenericMapping>): IntegrationSettings {
  return ingestSettings({
    mapping: { eventsPath: null, fields: {}, statusMap: {}, severityMap: {}, ...mapping },
  });
}

function errorFor(body: unknown, with_: IntegrationSettings = settings): { field: string; message: string } {
  const error = ingestErrorOf(() => parseGeneric(body, with_, NOW));
  return { field: error.field, message: error.message };
}

describe('parseGeneric with Firewatch events', () => {
  it('turns an event with only a type into a problem now, keyed by its type', () => {
    expect(parseGeneric({ type: 'server_start_failed' }, settings, NOW)).toEqual([
      {
        source: 'generic',
        type: 'server_start_failed',
        dedupKey: 'generic:server_start_failed::',
        status: 'problem',
        community: null,
        component: null,
        severity: null,
        summary: 'server_start_failed',
        details: {},
        labels: {},
        occurredAt: NOW,
      },
    ]);
  });

  it('takes every field of a full event', () => {
    const event = {
      type: 'backup_finished',
      dedup_key: 'backup:oakridge:nightly',
      status: 'Succeeded',
      source: 'backup-cron@db-1',
      community: 'oakridge',
      component: 'oakridge/db',
      severity: 'info',
      summary: 'Nightly backup finished in 4m12s',
      details: { bytes: 1_234_567, files: ['a.sql', 'b.sql'], nested: { ok: true, note: null } },
      labels: { region: 'eu', attempt: 2, forced: false },
      occurred_at: '2024-05-01T14:15:00+02:00',
    };
    expect(parseGeneric(event, settings, NOW)).toEqual([
      {
        source: 'generic',
        type: 'backup_finished',
        dedupKey: 'backup:oakridge:nightly',
        status: 'ok',
        community: 'oakridge',
        component: 'oakridge/db',
        severity: 'P4',
        summary: 'Nightly backup finished in 4m12s',
        details: {
          bytes: 1_234_567,
          files: ['a.sql', 'b.sql'],
          nested: { ok: true, note: null },
          sender: 'backup-cron@db-1',
        },
        labels: { region: 'eu', attempt: '2', forced: 'false' },
        occurredAt: Date.parse('2024-05-01T12:15:00Z'),
      },
    ]);
  });

  it('takes a list of events and an {events: [...]} wrapper alike', () => {
    const events = [{ type: 'a' }, { type: 'b', status: 'resolved' }];
    const fromList = parseGeneric(events, settings, NOW);
    expect(fromList.map((s) => [s.type, s.status])).toEqual([
      ['a', 'problem'],
      ['b', 'ok'],
    ]);
    expect(parseGeneric({ events }, settings, NOW)).toEqual(fromList);
  });

  it('returns no signals for an empty list', () => {
    expect(parseGeneric([], settings, NOW)).toEqual([]);
    expect(parseGeneric({ events: [] }, settings, NOW)).toEqual([]);
  });

  it.each([
    'firing',
    'trigger',
    'triggered',
    'problem',
    'failure',
    'failed',
    'error',
    'alert',
    'FIRING',
    ' Failed ',
  ])('reads status %j as a problem', (status) => {
    expect(parseGeneric({ type: 't', status }, settings, NOW)[0]?.status).toBe('problem');
  });

  it.each(['resolved', 'resolve', 'ok', 'success', 'succeeded', 'recovered', 'OK', 'Resolved'])(
    'reads status %j as ok',
    (status) => {
      expect(parseGeneric({ type: 't', status }, settings, NOW)[0]?.status).toBe('ok');
    },
  );

  it('keys an event without dedup_key by its type, community and component, defaults included', () => {
    const withDefaults = ingestSettings({
      defaults: { community: 'oakridge', component: null, severity: 'P2' },
    });
    const [signal] = parseGeneric({ type: 'disk_full', component: 'oakridge/db' }, withDefaults, NOW);
    expect(signal).toMatchObject({
      dedupKey: 'generic:disk_full:oakridge:oakridge/db',
      community: 'oakridge',
      severity: 'P2',
    });
  });

  it('treats null fields as absent', () => {
    const [signal] = parseGeneric(
      { type: 't', status: null, community: null, details: null, labels: null, occurred_at: null },
      settings,
      NOW,
    );
    expect(signal).toMatchObject({
      status: 'problem',
      community: null,
      details: {},
      labels: {},
      occurredAt: NOW,
    });
  });

  it('takes occurred_at as epoch milliseconds', () => {
    const at = Date.parse('2024-05-01T12:00:00Z');
    expect(parseGeneric({ type: 't', occurred_at: at }, settings, NOW)[0]?.occurredAt).toBe(at);
  });

  it('takes an occurred_at up to a day ahead, for senders with a fast clock', () => {
    const at = NOW + 23 * 3_600_000;
    expect(parseGeneric({ type: 't', occurred_at: at }, settings, NOW)[0]?.occurredAt).toBe(at);
  });

  it('cuts a long summary to 500 characters', () => {
    const [signal] = parseGeneric({ type: 't', summary: 'word '.repeat(200) }, settings, NOW);
    expect(signal?.summary.length).toBeLessThanOrEqual(500);
    expect(signal?.summary.endsWith('…')).toBe(true);
  });

  it('cuts long label values to 1,000 characters', () => {
    const [signal] = parseGeneric({ type: 't', labels: { note: 'n'.repeat(5000) } }, settings, NOW);
    expect(signal?.labels.note).toHaveLength(1000);
  });

  describe('refuses, naming the field,', () => {
    it.each<[string, unknown, string, RegExp]>([
      [
        'a misspelt field',
        { type: 't', dedupe_key: 'k' },
        'dedupe_key',
        /^unknown field "dedupe_key" — did you mean "dedup_key"\?; accepted fields: type, dedup_key, status,/,
      ],
      [
        'an unknown field in a list',
        [{ type: 't' }, { type: 't', occuredAt: 1 }],
        '[1].occuredAt',
        /did you mean "occurred_at"/,
      ],
      [
        'an unknown field in events',
        { events: [{ type: 't', color: 'red' }] },
        'events[0].color',
        /^unknown field "color"; accepted fields:/,
      ],
      ['a field beside events', { events: [], type: 't' }, 'type', /next to "events"/],
      [
        'events that are not a list',
        { events: { type: 't' } },
        'events',
        /^events is an object — send a list/,
      ],
      ['an event that is not an object', [{ type: 't' }, 'oops'], '[1]', /^the event is "oops"/],
      ['a missing type', { status: 'firing' }, 'type', /^type is missing — .*"server_start_failed"/],
      ['an empty type', { type: '  ' }, 'type', /^type is missing/],
      ['a type that is not text', { type: { name: 'x' } }, 'type', /^type is an object — send text/],
      [
        'a type over 100 characters',
        { type: 'x'.repeat(101) },
        'type',
        /^type is 101 characters long, more than 100/,
      ],
      [
        'an unknown status',
        { type: 't', status: 'fire' },
        'status',
        /^status "fire" is not one of firing, .*recovered — send "firing" .* or "resolved"/,
      ],
      [
        'an unknown severity',
        { type: 't', severity: 'sev9' },
        'severity',
        /^severity "sev9" is not one of critical, p1, .*informational — send/,
      ],
      [
        'details that are not an object',
        { type: 't', details: ['a'] },
        'details',
        /^details is a list — send an object/,
      ],
      [
        'details that are not JSON data',
        { type: 't', details: { size: 10n } },
        'details.size',
        /is not JSON data/,
      ],
      [
        'details holding an infinity',
        { type: 't', details: { ratio: Number.POSITIVE_INFINITY } },
        'details.ratio',
        /not JSON data/,
      ],
      [
        'labels that are not an object',
        { type: 't', labels: 'a=b' },
        'labels',
        /^labels is "a=b" — send an object/,
      ],
      [
        'a label value that is not text',
        { type: 't', labels: { ok: 'x', team: ['a'] } },
        'labels.team',
        /^label "team" is a list — label values are text/,
      ],
      [
        'a label value that is null',
        { type: 't', labels: { team: null } },
        'labels.team',
        /label values are text/,
      ],
      [
        'a label key that needs quoting',
        { type: 't', labels: { 'team name': {} } },
        'labels["team name"]',
        /label "team name"/,
      ],
      [
        'an occurred_at that is not a time',
        { type: 't', occurred_at: 'yesterday' },
        'occurred_at',
        /^occurred_at "yesterday" is not a time — send ISO 8601/,
      ],
      [
        'an occurred_at without a zone',
        { type: 't', occurred_at: '2024-05-01T12:00:00' },
        'occurred_at',
        /is not a time/,
      ],
      [
        'an occurred_at of an impossible date',
        { type: 't', occurred_at: '2024-02-30T12:00:00Z' },
        'occurred_at',
        /is not a time/,
      ],
      [
        'an occurred_at in epoch seconds',
        { type: 't', occurred_at: 1_714_564_800 },
        'occurred_at',
        /before the year 2000 — this looks like epoch seconds/,
      ],
      [
        'an occurred_at before 2000',
        { type: 't', occurred_at: '1999-12-31T23:59:59Z' },
        'occurred_at',
        /before the year 2000/,
      ],
      [
        'an occurred_at over a day ahead',
        { type: 't', occurred_at: NOW + 86_400_001 },
        'occurred_at',
        /more than a day in the future/,
      ],
      [
        'a huge occurred_at',
        { type: 't', occurred_at: 1e300 },
        'occurred_at',
        /more than a day in the future/,
      ],
      [
        'a source that is not text',
        { type: 't', source: { host: 'x' } },
        'source',
        /^source is an object — send text/,
      ],
    ])('%s', (_, body, field, message) => {
      const error = errorFor(body);
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
    });

    it('more than 1,000 events in one body', () => {
      const events = Array.from({ length: 1001 }, () => ({ type: 't' }));
      expect(errorFor(events)).toMatchObject({ field: '', message: expect.stringContaining('1001 entries') });
      expect(errorFor({ events }).field).toBe('events');
    });

    it('more than 100 labels on one event', () => {
      const labels = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`l${i}`, i]));
      expect(errorFor([{ type: 't' }, { type: 't', labels }]).field).toBe('[1].labels');
    });

    it('details nested more than 32 levels deep', () => {
      let details: unknown = { leaf: 1 };
      for (let i = 0; i < 40; i++) {
        details = { d: details };
      }
      expect(errorFor({ type: 't', details }).message).toMatch(/nested more than 32 levels/);
    });
  });
});

describe('parseGeneric with a mapping', () => {
  const cloudwatchLike = mapped({
    fields: { type: '$.check.name', status: '$.check.state', dedupKey: '$.id', severity: '$.check.level' },
    statusMap: { ALARM: 'problem', OK: 'ok' },
    severityMap: { sev1: 'P1' },
  });

  it('reads each field of a foreign shape through its path', () => {
    const body = { check: { name: 'db', state: 'ALARM' }, id: 'x1', region: 'eu-west-1' };
    expect(parseGeneric(body, cloudwatchLike, NOW)).toEqual([
      {
        source: 'generic',
        type: 'db',
        dedupKey: 'x1',
        status: 'problem',
        community: null,
        component: null,
        severity: null,
        summary: 'db',
        details: {},
        labels: {},
        occurredAt: NOW,
      },
    ]);
  });

  it('applies the status map, and the built-in words beside it', () => {
    const read = (state: string) =>
      parseGeneric({ check: { name: 'db', state }, id: 'x1' }, cloudwatchLike, NOW)[0]?.status;
    expect(read('OK')).toBe('ok');
    expect(read('alarm')).toBe('problem');
    expect(read('resolved')).toBe('ok');
  });

  it('applies the severity map before the built-in words', () => {
    const body = { check: { name: 'db', state: 'ALARM', level: 'SEV1' }, id: 7 };
    expect(parseGeneric(body, cloudwatchLike, NOW)[0]).toMatchObject({ severity: 'P1', dedupKey: '7' });
  });

  it('reads a list of events at the events path', () => {
    const settingsWithPath = mapped({
      eventsPath: '$.records',
      fields: { type: '$.kind', summary: '$.text', labels: '$.tags', occurredAt: '$.at', details: '$' },
    });
    const body = {
      records: [
        { kind: 'deploy_failed', text: 'Deploy of api failed', tags: { env: 'prod' }, at: NOW - 1000 },
        { kind: 'deploy_failed', text: 'Deploy of web failed', extra: [1, 2] },
      ],
    };
    const signals = parseGeneric(body, settingsWithPath, NOW);
    expect(signals.map((s) => [s.summary, s.labels, s.occurredAt])).toEqual([
      ['Deploy of api failed', { env: 'prod' }, NOW - 1000],
      ['Deploy of web failed', {}, NOW],
    ]);
    expect(signals[1]?.details).toEqual({
      kind: 'deploy_failed',
      text: 'Deploy of web failed',
      extra: [1, 2],
    });
  });

  it('reads a body that is a list as a list of events', () => {
    const signals = parseGeneric([{ check: { name: 'a' } }, { check: { name: 'b' } }], cloudwatchLike, NOW);
    expect(signals.map((s) => s.type)).toEqual(['a', 'b']);
  });

  describe('refuses, naming the field,', () => {
    it('an event where the type path finds nothing', () => {
      expect(errorFor({ check: { state: 'ALARM' } }, cloudwatchLike)).toEqual({
        field: 'check.name',
        message:
          "type: nothing found at $.check.name in this event — send it there or fix the integration's mapping",
      });
    });

    it('an event in a list where the type path finds nothing', () => {
      const body = [{ check: { name: 'a' } }, { name: 'b' }];
      expect(errorFor(body, cloudwatchLike).field).toBe('[1].check.name');
    });

    it('a status in neither the map nor the built-in words, listing both', () => {
      const error = errorFor({ check: { name: 'db', state: 'INSUFFICIENT_DATA' } }, cloudwatchLike);
      expect(error.field).toBe('check.state');
      expect(error.message).toMatch(
        /^status \(read from \$\.check\.state\) "INSUFFICIENT_DATA" is not one of .*, ALARM, OK/,
      );
    });

    it('a missing events list', () => {
      const withPath = mapped({ eventsPath: '$.records', fields: { type: '$.kind' } });
      expect(errorFor({ items: [] }, withPath)).toMatchObject({
        field: 'records',
        message: expect.stringContaining('found no events at $.records'),
      });
    });

    it('an events path that holds neither a list nor an object', () => {
      const withPath = mapped({ eventsPath: '$.records', fields: { type: '$.kind' } });
      expect(errorFor({ records: 'none' }, withPath).field).toBe('records');
    });

    it('a body that is neither an object nor a list', () => {
      expect(errorFor('db ALARM', cloudwatchLike).field).toBe('');
    });
  });

  it('refuses a mapping without a type path', () => {
    expect(errorFor({ kind: 'x' }, mapped({ fields: { status: '$.state' } }))).toMatchObject({
      field: '',
      message: expect.stringContaining('no path for type'),
    });
  });

  it('refuses a malformed mapping path with an IngestError', () => {
    expect(errorFor({ kind: 'x' }, mapped({ fields: { type: 'kind' } }))).toMatchObject({
      field: '',
      message: expect.stringContaining('mapping for type is unusable: invalid JSON path'),
    });
  });
});

describe('parseGeneric with garbage', () => {
  let deepList: unknown = 'bottom';
  let deepObject: unknown = 'bottom';
  for (let i = 0; i < 100_000; i++) {
    deepList = [deepList];
    deepObject = { type: 't', details: deepObject };
  }
  const cyclic: Record<string, unknown> = { type: 't' };
  cyclic.details = cyclic;

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'server_start_failed'],
    ['a number', 404],
    ['NaN', Number.NaN],
    ['a boolean', true],
    ['an empty object', {}],
    ['a list of nulls', [null, null]],
    ['a huge nesting of lists', deepList],
    ['a huge nesting of details', deepObject],
    ['a huge nesting as labels', { type: 't', labels: { a: deepList } }],
    ['a cycle in details', cyclic],
    ['a date as details', { type: 't', details: new Date(0) }],
    ['a function as details', { type: 't', details: { run: () => 1 } }],
    ['a type of NaN', { type: Number.NaN }],
  ])('throws an IngestError, and nothing else, for %s', (_, body) => {
    expect(() => parseGeneric(body, settings, NOW)).toThrow(IngestError);
    expect(() =>
      parseGeneric(
        body,
        mapped({ fields: { type: '$.type', details: '$.details', labels: '$.labels' } }),
        NOW,
      ),
    ).toThrow(IngestError);
  });
});
