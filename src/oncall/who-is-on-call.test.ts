import { describe, expect, it } from 'vitest';
import type { Layer, Override, Schedule } from './schedule.js';
import { shiftsBetween, whoIsOnCall } from './who-is-on-call.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string): number => Date.parse(iso);

const DAYTIME: Layer = {
  name: 'daytime',
  rotation: 'daily',
  shiftLengthMs: null,
  start: '2026-01-05T09:00',
  end: null,
  participants: ['ada', 'bob', 'cy'],
  restrictions: [],
};

/** Higher layer: nights past midnight, Monday to Friday evenings. */
const NIGHTS: Layer = {
  ...DAYTIME,
  name: 'nights',
  rotation: 'weekly',
  participants: ['nia', 'ned'],
  restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '22:00', to: '06:00' }],
};

function schedule(layers: readonly Layer[], overrides: readonly Override[] = []): Schedule {
  return { key: 'primary', name: 'Primary', timeZone: 'America/New_York', layers, overrides };
}

function override(
  kind: Override['kind'],
  user: string,
  start = '2026-01-07T00:00-05:00',
  end = '2026-01-08T00:00-05:00',
): Override {
  return { id: `${kind}-${user}`, kind, user, start: at(start), end: at(end) };
}

// 2026-01-07 (Wednesday) 12:00: daytime has cy; at 23:00 nights has nia.
const NOON = at('2026-01-07T12:00-05:00');
const LATE = at('2026-01-07T23:00-05:00');

describe('whoIsOnCall', () => {
  it('answers the person of the only layer, with the bounds of their shift', () => {
    expect(whoIsOnCall(schedule([DAYTIME]), NOON)).toEqual({
      start: at('2026-01-07T09:00-05:00'),
      end: at('2026-01-08T09:00-05:00'),
      users: ['cy'],
      layer: 'daytime',
    });
  });

  it('lets a higher layer decide inside its restrictions, and the lower one outside them', () => {
    const both = schedule([DAYTIME, NIGHTS]);
    expect(whoIsOnCall(both, LATE)).toEqual({
      start: at('2026-01-07T22:00-05:00'),
      end: at('2026-01-08T06:00-05:00'),
      users: ['nia'],
      layer: 'nights',
    });
    expect(whoIsOnCall(both, NOON)).toMatchObject({ users: ['cy'], layer: 'daytime' });
  });

  it('skips a higher layer that has not started, has ended or has no participants', () => {
    const table: readonly Layer[] = [
      { ...NIGHTS, start: '2026-02-01T09:00' },
      { ...NIGHTS, end: '2026-01-06T09:00' },
      { ...NIGHTS, participants: [] },
    ];
    for (const nights of table) {
      expect(whoIsOnCall(schedule([DAYTIME, nights]), LATE)).toMatchObject({
        users: ['cy'],
        layer: 'daytime',
      });
    }
  });

  it('answers nobody, from no layer, when no layer has anyone', () => {
    expect(whoIsOnCall(schedule([NIGHTS]), NOON)).toMatchObject({
      start: at('2026-01-07T06:00-05:00'),
      end: at('2026-01-07T22:00-05:00'),
      users: [],
      layer: null,
    });
    expect(whoIsOnCall(schedule([]), NOON)).toMatchObject({ users: [], layer: null });
  });

  it('looks no further than 8 days for the bounds of a stretch that does not change', () => {
    const alone = schedule([{ ...DAYTIME, participants: ['ada'] }]);
    const later = at('2026-02-11T12:00-05:00');
    expect(whoIsOnCall(alone, later)).toEqual({
      start: later - 8 * DAY,
      end: later + 8 * DAY,
      users: ['ada'],
      layer: 'daytime',
    });
  });
});

describe('overrides', () => {
  const layers = [DAYTIME, NIGHTS];
  // At NOON: daytime cy (nights has nobody); at LATE: nights nia over daytime cy.
  const table: ReadonlyArray<[string, readonly Override[], number, readonly string[], string | null]> = [
    ['replace puts only its user on call', [override('replace', 'zed')], NOON, ['zed'], null],
    ['add puts its user on call too', [override('add', 'zed')], NOON, ['cy', 'zed'], 'daytime'],
    ['add of someone already on call changes nothing', [override('add', 'cy')], NOON, ['cy'], 'daytime'],
    [
      'add when nobody is on call',
      [override('add', 'zed', '2026-01-01T00:00-05:00')],
      at('2026-01-01T12:00-05:00'),
      ['zed'],
      null,
    ],
    [
      'remove of one of several keeps the rest',
      [override('add', 'zed'), override('remove', 'cy')],
      NOON,
      ['zed'],
      'daytime',
    ],
    [
      'remove of the only person falls back to the next lower layer',
      [override('remove', 'nia')],
      LATE,
      ['cy'],
      'daytime',
    ],
    [
      'fallback skips layers whose person was removed',
      [override('remove', 'cy'), override('remove', 'nia')],
      LATE,
      [],
      null,
    ],
    ['remove of someone not on call changes nothing', [override('remove', 'zed')], NOON, ['cy'], 'daytime'],
    [
      'overrides apply in order: add then replace',
      [override('add', 'zed'), override('replace', 'yan')],
      NOON,
      ['yan'],
      null,
    ],
    [
      'overrides apply in order: replace then add',
      [override('replace', 'yan'), override('add', 'zed')],
      NOON,
      ['yan', 'zed'],
      null,
    ],
    [
      'removing the replacement falls back to the layers',
      [override('replace', 'yan'), override('remove', 'yan')],
      LATE,
      ['nia'],
      'nights',
    ],
    [
      'an override is active from its start',
      [override('replace', 'zed', '2026-01-07T12:00-05:00')],
      NOON,
      ['zed'],
      null,
    ],
    [
      'an override is over at its end',
      [override('replace', 'zed', '2026-01-07T00:00-05:00', '2026-01-07T12:00-05:00')],
      NOON,
      ['cy'],
      'daytime',
    ],
  ];

  it.each(table)('%s', (_name, overrides, instant, users, layer) => {
    expect(whoIsOnCall(schedule(layers, overrides), instant)).toMatchObject({ users, layer });
  });
});

describe('shiftsBetween', () => {
  it('covers exactly [from, to) with consecutive shifts, nights past midnight over days', () => {
    const from = at('2026-01-07T00:00-05:00');
    const to = at('2026-01-08T12:00-05:00');
    expect(shiftsBetween(schedule([DAYTIME, NIGHTS]), from, to)).toEqual([
      { start: from, end: at('2026-01-07T06:00-05:00'), users: ['nia'], layer: 'nights' },
      {
        start: at('2026-01-07T06:00-05:00'),
        end: at('2026-01-07T09:00-05:00'),
        users: ['bob'],
        layer: 'daytime',
      },
      {
        start: at('2026-01-07T09:00-05:00'),
        end: at('2026-01-07T22:00-05:00'),
        users: ['cy'],
        layer: 'daytime',
      },
      {
        start: at('2026-01-07T22:00-05:00'),
        end: at('2026-01-08T06:00-05:00'),
        users: ['nia'],
        layer: 'nights',
      },
      {
        start: at('2026-01-08T06:00-05:00'),
        end: at('2026-01-08T09:00-05:00'),
        users: ['cy'],
        layer: 'daytime',
      },
      { start: at('2026-01-08T09:00-05:00'), end: to, users: ['ada'], layer: 'daytime' },
    ]);
  });

  it('merges neighbouring stretches with the same people and layer', () => {
    const alone = schedule([{ ...DAYTIME, participants: ['ada'] }]);
    const from = at('2026-01-06T00:00-05:00');
    expect(shiftsBetween(alone, from, from + 7 * DAY)).toEqual([
      { start: from, end: from + 7 * DAY, users: ['ada'], layer: 'daytime' },
    ]);
  });

  it('includes stretches with nobody on call, before the first layer starts', () => {
    const from = at('2026-01-05T00:00-05:00');
    expect(shiftsBetween(schedule([DAYTIME]), from, at('2026-01-05T12:00-05:00'))).toEqual([
      { start: from, end: at('2026-01-05T09:00-05:00'), users: [], layer: null },
      {
        start: at('2026-01-05T09:00-05:00'),
        end: at('2026-01-05T12:00-05:00'),
        users: ['ada'],
        layer: 'daytime',
      },
    ]);
  });

  it('starts and ends an override exactly, splitting the shift it falls in', () => {
    const replace = override('replace', 'zed', '2026-01-07T13:15-05:00', '2026-01-07T14:45-05:00');
    const shifts = shiftsBetween(schedule([DAYTIME], [replace]), NOON, NOON + 4 * HOUR);
    expect(shifts.map((s) => [s.start, s.end, s.users])).toEqual([
      [NOON, replace.start, ['cy']],
      [replace.start, replace.end, ['zed']],
      [replace.end, NOON + 4 * HOUR, ['cy']],
    ]);
  });

  it('is empty when to is not after from', () => {
    expect(shiftsBetween(schedule([DAYTIME]), NOON, NOON)).toEqual([]);
  });
});
