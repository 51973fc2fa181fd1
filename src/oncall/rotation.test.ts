import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fromNaiveMs, localToInstant, naiveMs, parseLocalDateTime } from './local-time.js';
import { layerHandoffs, layerShiftAt } from './rotation.js';
import type { Layer } from './schedule.js';

const NY = 'America/New_York';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function layer(overrides: Partial<Layer> = {}): Layer {
  return {
    name: 'primary',
    rotation: 'daily',
    shiftLengthMs: null,
    start: '2026-01-05T09:00',
    end: null,
    participants: ['ada', 'bob', 'cy'],
    restrictions: [],
    ...overrides,
  };
}

/** An instant written with its offset, e.g. "2026-03-08T03:00-04:00". */
const at = (iso: string): number => Date.parse(iso);

const localClock = (instant: number, zone = NY): string =>
  DateTime.fromMillis(instant, { zone }).toFormat('yyyy-MM-dd HH:mm ZZ');

describe('layerShiftAt', () => {
  const daily = layer();
  const table: ReadonlyArray<[string, number, number, string, string, string]> = [
    [
      'the first shift starts at the layer start',
      at('2026-01-05T09:00-05:00'),
      0,
      'ada',
      '2026-01-05T09:00-05:00',
      '2026-01-06T09:00-05:00',
    ],
    [
      'the last minute of the first shift',
      at('2026-01-06T08:59-05:00'),
      0,
      'ada',
      '2026-01-05T09:00-05:00',
      '2026-01-06T09:00-05:00',
    ],
    [
      'the handoff instant belongs to the next shift',
      at('2026-01-06T09:00-05:00'),
      1,
      'bob',
      '2026-01-06T09:00-05:00',
      '2026-01-07T09:00-05:00',
    ],
    [
      'participants repeat in order',
      at('2026-01-08T12:00-05:00'),
      3,
      'ada',
      '2026-01-08T09:00-05:00',
      '2026-01-09T09:00-05:00',
    ],
    [
      'a year on, still 09:00 local in summer time',
      at('2026-07-01T10:00-04:00'),
      177,
      'ada',
      '2026-07-01T09:00-04:00',
      '2026-07-02T09:00-04:00',
    ],
  ];

  it.each(table)('%s', (_name, instant, index, user, start, end) => {
    expect(layerShiftAt(daily, NY, instant)).toEqual({ index, user, start: at(start), end: at(end) });
  });

  it('has nobody before the layer starts', () => {
    expect(layerShiftAt(daily, NY, at('2026-01-05T08:59-05:00'))).toBeNull();
    expect(layerShiftAt(daily, NY, at('2025-06-01T08:59-04:00'))).toBeNull();
  });

  it('has nobody from the layer end on, and cuts the last shift there', () => {
    const ending = layer({ end: '2026-01-07T18:00' });
    expect(layerShiftAt(ending, NY, at('2026-01-07T17:59-05:00'))).toMatchObject({
      user: 'cy',
      end: at('2026-01-07T18:00-05:00'),
    });
    expect(layerShiftAt(ending, NY, at('2026-01-07T18:00-05:00'))).toBeNull();
    expect(layerShiftAt(ending, NY, at('2026-03-01T12:00-05:00'))).toBeNull();
  });

  it('cuts a weekly shift at a layer end days away', () => {
    const ending = layer({ rotation: 'weekly', end: '2026-01-14T12:00' });
    expect(layerShiftAt(ending, NY, at('2026-01-12T10:00-05:00'))).toMatchObject({
      start: at('2026-01-12T09:00-05:00'),
      end: at('2026-01-14T12:00-05:00'),
    });
  });

  it('has nobody when the layer has no participants', () => {
    expect(layerShiftAt(layer({ participants: [] }), NY, at('2026-02-01T12:00-05:00'))).toBeNull();
  });

  it('hands a weekly rotation off on the start weekday at the start time', () => {
    const weekly = layer({ rotation: 'weekly' });
    expect(layerShiftAt(weekly, NY, at('2026-03-10T12:00-04:00'))).toEqual({
      index: 9,
      user: 'ada',
      start: at('2026-03-09T09:00-04:00'),
      end: at('2026-03-16T09:00-04:00'),
    });
  });

  it('keeps 12-hour custom handoffs at 09:00 and 21:00 local across spring forward', () => {
    const twelve = layer({ rotation: 'custom', shiftLengthMs: 12 * HOUR });
    const shift = layerShiftAt(twelve, NY, at('2026-03-08T05:00-04:00'));
    expect(shift).toMatchObject({ start: at('2026-03-07T21:00-05:00'), end: at('2026-03-08T09:00-04:00') });
    expect(shift && (shift.end - shift.start) / HOUR).toBe(11);
    expect(layerShiftAt(twelve, NY, at('2026-03-08T10:00-04:00'))).toMatchObject({
      start: at('2026-03-08T09:00-04:00'),
      end: at('2026-03-08T21:00-04:00'),
    });
  });

  it('runs 3-day custom shifts', () => {
    const threeDays = layer({ rotation: 'custom', shiftLengthMs: 72 * HOUR });
    expect(layerShiftAt(threeDays, NY, at('2026-01-11T08:00-05:00'))).toEqual({
      index: 1,
      user: 'bob',
      start: at('2026-01-08T09:00-05:00'),
      end: at('2026-01-11T09:00-05:00'),
    });
  });

  it.each([null, 0, -HOUR, 90 * 60_000])('refuses a custom rotation with shiftLengthMs %s', (length) => {
    const bad = layer({ rotation: 'custom', shiftLengthMs: length });
    expect(() => layerShiftAt(bad, NY, at('2026-02-01T12:00-05:00'))).toThrow(/whole number of hours/);
  });

  it('refuses a malformed start', () => {
    expect(() => layerShiftAt(layer({ start: '2026-01-05 9am' }), NY, 0)).toThrow(/start "2026-01-05 9am"/);
  });

  it('hands off at the end of the spring-forward gap when the handoff time does not exist', () => {
    const gap = layer({ start: '2026-03-01T02:30' });
    expect(layerShiftAt(gap, NY, at('2026-03-08T03:10-04:00'))).toMatchObject({
      start: at('2026-03-08T03:00-04:00'),
      end: at('2026-03-09T02:30-04:00'),
    });
    expect(layerShiftAt(gap, NY, at('2026-03-08T01:59-05:00'))).toMatchObject({
      start: at('2026-03-07T02:30-05:00'),
      end: at('2026-03-08T03:00-04:00'),
    });
  });

  it('hands off at the first occurrence of an ambiguous handoff time; the incoming shift is an hour longer', () => {
    const ambiguous = layer({ start: '2026-10-01T01:30' });
    const outgoing = layerShiftAt(ambiguous, NY, at('2026-11-01T01:00-04:00'));
    const incoming = layerShiftAt(ambiguous, NY, at('2026-11-01T01:10-05:00'));
    expect(outgoing).toMatchObject({
      start: at('2026-10-31T01:30-04:00'),
      end: at('2026-11-01T01:30-04:00'),
    });
    expect(incoming).toMatchObject({
      start: at('2026-11-01T01:30-04:00'),
      end: at('2026-11-02T01:30-05:00'),
    });
    expect(incoming && (incoming.end - incoming.start) / HOUR).toBe(25);
  });

  it('runs hourly rotations in elapsed time: no hour lost in spring, both 01:00 hours served in autumn', () => {
    const hourly = layer({ rotation: 'hourly', start: '2026-01-01T00:00' });
    const spring = layerShiftAt(hourly, NY, at('2026-03-08T03:30-04:00'));
    expect(spring && localClock(spring.start)).toBe('2026-03-08 03:00 -04:00');
    expect(spring && localClock(spring.start - HOUR)).toBe('2026-03-08 01:00 -05:00');
    const first = layerShiftAt(hourly, NY, at('2026-11-01T01:30-04:00'));
    const second = layerShiftAt(hourly, NY, at('2026-11-01T01:30-05:00'));
    expect(first && second && second.index - first.index).toBe(1);
    expect(second && second.end - second.start).toBe(HOUR);
  });

  it('answers a year of hourly lookups on a daily layer well within a second', () => {
    const daily = layer({ start: '2025-12-01T09:00' });
    const from = at('2026-01-01T00:00-05:00');
    const started = performance.now();
    for (let t = from; t < from + 365 * DAY; t += HOUR) layerShiftAt(daily, NY, t);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('layerShiftAt, against reading every boundary with localToInstant', () => {
  /** Slow and obvious: boundary k read in full, k found by stepping from an elapsed-time estimate. */
  function reference(rotation: Layer, zone: string, lengthMs: number, instant: number) {
    const start = naiveMs(
      parseLocalDateTime(rotation.start) as NonNullable<ReturnType<typeof parseLocalDateTime>>,
    );
    const boundary = (k: number) => localToInstant(fromNaiveMs(start + k * lengthMs), zone, 'first');
    let k = Math.max(0, Math.floor((instant - boundary(0)) / lengthMs));
    while (k > 0 && boundary(k) > instant) k -= 1;
    while (boundary(k + 1) <= instant) k += 1;
    return { index: k, start: boundary(k), end: boundary(k + 1) };
  }

  const zones = [
    'America/New_York',
    'Europe/Berlin',
    'Australia/Sydney',
    'Australia/Lord_Howe',
    'America/Santiago',
  ];
  const rotations: ReadonlyArray<[Layer['rotation'], number]> = [
    ['daily', DAY],
    ['weekly', 7 * DAY],
    ['custom', 12 * HOUR],
    ['custom', 2 * HOUR],
  ];

  it.each(zones)('agrees in %s over three years of pseudo-random instants', (zone) => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const from = at('2025-01-01T00:00Z');
    for (const [rotation, lengthMs] of rotations) {
      const subject = layer({
        rotation,
        shiftLengthMs: rotation === 'custom' ? lengthMs : null,
        start: '2024-12-30T02:30',
      });
      const instants = Array.from({ length: 300 }, () => from + Math.floor(random() * 3 * 365 * DAY));
      const actual = instants.map((t) => {
        const shift = layerShiftAt(subject, zone, t);
        return shift && { index: shift.index, start: shift.start, end: shift.end };
      });
      expect(actual).toEqual(instants.map((t) => reference(subject, zone, lengthMs, t)));
    }
  });
});

describe('layerHandoffs', () => {
  it('lists the layer start, every shift start and the layer end within [from, to]', () => {
    const ending = layer({ end: '2026-01-07T18:00' });
    expect(layerHandoffs(ending, NY, at('2026-01-01T00:00-05:00'), at('2026-02-01T00:00-05:00'))).toEqual([
      at('2026-01-05T09:00-05:00'),
      at('2026-01-06T09:00-05:00'),
      at('2026-01-07T09:00-05:00'),
      at('2026-01-07T18:00-05:00'),
    ]);
  });

  it('includes boundaries exactly at from and to', () => {
    const from = at('2026-01-06T09:00-05:00');
    const to = at('2026-01-08T09:00-05:00');
    expect(layerHandoffs(layer(), NY, from, to)).toEqual([from, at('2026-01-07T09:00-05:00'), to]);
  });

  it('is empty before the layer starts and without participants', () => {
    expect(layerHandoffs(layer(), NY, at('2025-12-01T00:00-05:00'), at('2026-01-05T08:00-05:00'))).toEqual(
      [],
    );
    expect(layerHandoffs(layer({ participants: [] }), NY, 0, at('2027-01-01T00:00-05:00'))).toEqual([]);
  });

  it('keeps 09:00 local across both DST changes', () => {
    const handoffs = layerHandoffs(layer(), NY, at('2026-03-06T00:00-05:00'), at('2026-11-03T00:00-05:00'));
    expect(handoffs).toHaveLength(242);
    expect(new Set(handoffs.map((h) => DateTime.fromMillis(h, { zone: NY }).toFormat('HH:mm')))).toEqual(
      new Set(['09:00']),
    );
  });
});
