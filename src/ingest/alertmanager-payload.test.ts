import { describe, expect, it } from 'vitest';
import { ingestErrorOf, ingestSettings } from '../../test/support/ingest-settings.js';
import { parseAlertmanager } from './alertmanager-payload.js';
import { IngestError } from './integration-settings.js';

const settings = ingestSettings();
const NOW = Date.parse('2024-05-01T12:30:00Z');

/** A body as Alertmanager 0.27 posts it to a webhook receiver: one alert firing, one resolved. */
function capturedPayload() {
  return {
    receiver: 'firewatch',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: {
          alertname: 'HighErrorRate',
          community: 'oakridge',
          component: 'oakridge/api',
          instance: 'api-1:9100',
          job: 'api',
          severity: 'critical',
        },
        annotations: {
          summary: 'API 5xx rate above 5% for 10 minutes',
          description: 'api-1 answered 7.2% of requests with 5xx.',
        },
        startsAt: '2024-05-01T12:00:00.123456789Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=job%3Aerrors%3Arate5m+%3E+0.05&g0.tab=1',
        fingerprint: '5f1b0e7c2d3a4b69',
      },
      {
        status: 'resolved',
        labels: { alertname: 'DiskAlmostFull', instance: 'db-1:9100', job: 'node', mountpoint: '/var' },
        annotations: { description: 'Disk /var on db-1 is 91% full.' },
        startsAt: '2024-05-01T11:40:00Z',
        endsAt: '2024-05-01T14:25:30.5+02:00',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=node_filesystem_avail_bytes&g0.tab=1',
        fingerprint: '9a8b7c6d5e4f3a21',
      },
    ],
    groupLabels: { job: 'api' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: '{}/{severity=~"critical|warning"}:{job="api"}',
    truncatedAlerts: 0,
  };
}

function withAlert(change: (alert: Record<string, unknown>) => void) {
  const payload = capturedPayload();
  change(payload.alerts[0] as unknown as Record<string, unknown>);
  return payload;
}

describe('parseAlertmanager', () => {
  it('turns each alert of a captured payload into one signal', () => {
    const [firing, resolved] = parseAlertmanager(capturedPayload(), settings, NOW);

    expect(firing).toEqual({
      source: 'alertmanager',
      type: 'HighErrorRate',
      dedupKey: 'alertmanager:5f1b0e7c2d3a4b69',
      status: 'problem',
      community: 'oakridge',
      component: 'oakridge/api',
      severity: 'P1',
      summary: 'API 5xx rate above 5% for 10 minutes',
      details: {
        annotations: {
          summary: 'API 5xx rate above 5% for 10 minutes',
          description: 'api-1 answered 7.2% of requests with 5xx.',
        },
        generatorURL: 'http://prometheus:9090/graph?g0.expr=job%3Aerrors%3Arate5m+%3E+0.05&g0.tab=1',
        startsAt: '2024-05-01T12:00:00.123456789Z',
        endsAt: '0001-01-01T00:00:00Z',
        receiver: 'firewatch',
        externalURL: 'http://alertmanager:9093',
      },
      labels: {
        alertname: 'HighErrorRate',
        community: 'oakridge',
        component: 'oakridge/api',
        instance: 'api-1:9100',
        job: 'api',
        severity: 'critical',
      },
      occurredAt: Date.parse('2024-05-01T12:00:00.123Z'),
      groupKey: 'alertmanager:{}/{severity=~"critical|warning"}:{job="api"}',
    });
    expect(resolved).toMatchObject({
      type: 'DiskAlmostFull',
      dedupKey: 'alertmanager:9a8b7c6d5e4f3a21',
      status: 'ok',
      summary: 'Disk /var on db-1 is 91% full.',
      occurredAt: Date.parse('2024-05-01T12:25:30.500Z'),
    });
  });

  it('dates a firing alert by startsAt and a resolved one by endsAt, ignoring the zero time', () => {
    const zeroEnd = capturedPayload();
    zeroEnd.alerts[1]!.endsAt = '0001-01-01T00:00:00Z';
    const [firing, resolved] = parseAlertmanager(zeroEnd, settings, NOW);
    expect(firing?.occurredAt).toBe(Date.parse('2024-05-01T12:00:00.123Z'));
    expect(resolved?.occurredAt).toBe(NOW);
  });

  it('dates an alert without times by now', () => {
    const payload = withAlert((alert) => {
      delete alert.startsAt;
      alert.endsAt = null;
    });
    expect(parseAlertmanager(payload, settings, NOW)[0]?.occurredAt).toBe(NOW);
  });

  it('uses the integration defaults where labels name no community, component or severity', () => {
    const defaults = ingestSettings({
      defaults: { community: 'shared', component: 'shared/db', severity: 'P2' },
    });
    const resolved = parseAlertmanager(capturedPayload(), defaults, NOW)[1];
    expect(resolved).toMatchObject({ community: 'shared', component: 'shared/db', severity: 'P2' });
  });

  it('treats an unknown or empty severity label like a missing one', () => {
    const unknown = withAlert((alert) => {
      alert.labels = { alertname: 'X', severity: 'sev9' };
    });
    const empty = withAlert((alert) => {
      alert.labels = { alertname: 'X', severity: '', community: '' };
    });
    expect(parseAlertmanager(unknown, settings, NOW)[0]?.severity).toBeNull();
    expect(parseAlertmanager(empty, settings, NOW)[0]).toMatchObject({ severity: null, community: null });
  });

  it('summarises by the summary annotation, then the description, then the alert name and status', () => {
    const bare = withAlert((alert) => {
      alert.annotations = {};
    });
    const nullAnnotations = withAlert((alert) => {
      alert.annotations = null;
    });
    expect(parseAlertmanager(bare, settings, NOW)[0]?.summary).toBe('HighErrorRate firing');
    expect(parseAlertmanager(nullAnnotations, settings, NOW)[0]?.summary).toBe('HighErrorRate firing');
    expect(parseAlertmanager(capturedPayload(), settings, NOW)[1]?.summary).toBe(
      'Disk /var on db-1 is 91% full.',
    );
  });

  it('keys an alert without a fingerprint by a hash of its labels, whatever their order', () => {
    const labels = { alertname: 'X', job: 'api', instance: 'a' };
    const reordered = { instance: 'a', job: 'api', alertname: 'X' };
    const keyOf = (alertLabels: Record<string, string>) =>
      parseAlertmanager(
        withAlert((alert) => {
          delete alert.fingerprint;
          alert.labels = alertLabels;
        }),
        settings,
        NOW,
      )[0]?.dedupKey;

    expect(keyOf(labels)).toMatch(/^alertmanager:[0-9a-f]{64}$/);
    expect(keyOf(reordered)).toBe(keyOf(labels));
    expect(keyOf({ ...labels, instance: 'b' })).not.toBe(keyOf(labels));
  });

  it('takes fields Alertmanager may add in later releases', () => {
    const payload = { ...capturedPayload(), newField: { nested: true } };
    (payload.alerts[0] as Record<string, unknown>).newAlertField = [1, 2];
    expect(parseAlertmanager(payload, settings, NOW)).toHaveLength(2);
  });

  it('leaves groupKey out when the payload has none', () => {
    const payload: Record<string, unknown> = capturedPayload();
    delete payload.groupKey;
    expect(parseAlertmanager(payload, settings, NOW)[0]).not.toHaveProperty('groupKey');
  });

  it('returns no signals for a payload without alerts', () => {
    expect(parseAlertmanager({ ...capturedPayload(), alerts: [] }, settings, NOW)).toEqual([]);
  });

  it('cuts a long summary to 500 characters and long label values to 1,000', () => {
    const payload = withAlert((alert) => {
      alert.annotations = { summary: 'x'.repeat(600) };
      alert.labels = { alertname: 'X', team: 'y'.repeat(1200) };
    });
    const [signal] = parseAlertmanager(payload, settings, NOW);
    expect(signal?.summary).toHaveLength(500);
    expect(signal?.summary.endsWith('…')).toBe(true);
    expect(signal?.labels.team).toHaveLength(1000);
  });

  it('writes a multi-line summary on one line', () => {
    const payload = withAlert((alert) => {
      alert.annotations = { summary: 'first line\n  second line\n' };
    });
    expect(parseAlertmanager(payload, settings, NOW)[0]?.summary).toBe('first line second line');
  });

  describe('refuses', () => {
    it('a payload without version "4"', () => {
      const missing: Record<string, unknown> = capturedPayload();
      delete missing.version;
      expect(ingestErrorOf(() => parseAlertmanager(missing, settings, NOW))).toMatchObject({
        field: 'version',
        message: expect.stringMatching(/^version is missing — .*version "4"/),
      });
      const old = { ...capturedPayload(), version: '3' };
      expect(ingestErrorOf(() => parseAlertmanager(old, settings, NOW)).message).toMatch(
        /^version "3" is not supported/,
      );
      const numeric = { ...capturedPayload(), version: 4 };
      expect(ingestErrorOf(() => parseAlertmanager(numeric, settings, NOW)).field).toBe('version');
    });

    it('an unknown alert status, saying which words to send', () => {
      const payload = capturedPayload();
      payload.alerts[1]!.status = 'fire';
      const error = ingestErrorOf(() => parseAlertmanager(payload, settings, NOW));
      expect(error.field).toBe('alerts[1].status');
      expect(error.message).toBe(
        'status "fire" is not one of firing, resolved — send "firing" or "resolved"',
      );
    });

    it('an alert without an alertname label', () => {
      const payload = capturedPayload();
      payload.alerts[1]!.labels = { job: 'node' } as (typeof payload.alerts)[1]['labels'];
      const error = ingestErrorOf(() => parseAlertmanager(payload, settings, NOW));
      expect(error.field).toBe('alerts[1].labels.alertname');
      expect(error.message).toMatch(/alertname/);
    });

    it('an alert without labels', () => {
      const payload = withAlert((alert) => {
        delete alert.labels;
      });
      expect(ingestErrorOf(() => parseAlertmanager(payload, settings, NOW))).toMatchObject({
        field: 'alerts[0].labels',
        message: 'labels is missing — add it (an object)',
      });
    });

    it('a label value that is not a string', () => {
      const payload = withAlert((alert) => {
        alert.labels = { alertname: 'X', severity: 3 };
      });
      expect(ingestErrorOf(() => parseAlertmanager(payload, settings, NOW))).toMatchObject({
        field: 'alerts[0].labels.severity',
        message: 'severity is 3 — send a string',
      });
    });

    it('alerts that are not a list', () => {
      const payload = { ...capturedPayload(), alerts: { 0: {} } };
      expect(ingestErrorOf(() => parseAlertmanager(payload, settings, NOW))).toMatchObject({
        field: 'alerts',
        message: 'alerts is an object — send a list',
      });
    });

    it('a startsAt that is not an RFC 3339 time', () => {
      const payload = withAlert((alert) => {
        alert.startsAt = '2024-02-30T10:00:00Z';
      });
      expect(ingestErrorOf(() => parseAlertmanager(payload, settings, NOW))).toMatchObject({
        field: 'alerts[0].startsAt',
        message: expect.stringContaining('is not an RFC 3339 time'),
      });
    });

    it('more than 1,000 alerts in one body', () => {
      const alert = capturedPayload().alerts[0];
      const payload = { ...capturedPayload(), alerts: Array.from({ length: 1001 }, () => alert) };
      expect(ingestErrorOf(() => parseAlertmanager(payload, settings, NOW))).toMatchObject({
        field: 'alerts',
        message: expect.stringContaining('max_alerts'),
      });
    });

    it('an alert with more than 100 labels', () => {
      const labels = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`l${i}`, 'v']));
      const payload = withAlert((alert) => {
        alert.labels = { ...labels, alertname: 'X' };
      });
      expect(ingestErrorOf(() => parseAlertmanager(payload, settings, NOW)).field).toBe('alerts[0].labels');
    });
  });

  it('ignores anything beside the fields it reads, even a cycle', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(parseAlertmanager({ ...capturedPayload(), extra: cyclic }, settings, NOW)).toHaveLength(2);
  });

  describe('throws an IngestError, and nothing else, for garbage:', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) {
      deep = [deep];
    }

    it.each<[string, unknown]>([
      ['undefined', undefined],
      ['null', null],
      ['a string', 'alerts'],
      ['a number', 42],
      ['NaN', Number.NaN],
      ['a list', [capturedPayload()]],
      ['an empty object', {}],
      ['a huge nesting', deep],
      ['a huge nesting as alerts', { ...capturedPayload(), alerts: deep }],
      ['a huge nesting as a label', withAlert((a) => Object.assign(a, { labels: { alertname: deep } }))],
      ['alerts of nulls', { ...capturedPayload(), alerts: [null, 1, 'x'] }],
      ['a huge number as version', { ...capturedPayload(), version: 1e308 }],
    ])('%s', (_, body) => {
      expect(() => parseAlertmanager(body, settings, NOW)).toThrow(IngestError);
    });
  });
});
