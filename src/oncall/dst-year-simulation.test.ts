import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { layerHandoffs, layerShiftAt } from './rotation.js';
import type { Layer, Schedule } from './schedule.js';
import { shiftsBetween, whoIsOnCall } from './who-is-on-call.js';

/*
 * A whole year (2026) of rotations in three zones with different DST rules: New York (spring
 * 2026-03-08 02:00→03:00, autumn 2026-11-01 02:00→01:00), Berlin (2026-03-29 02:00→03:00,
 * 2026-10-25 03:00→02:00) and Sydney (southern hemisphere: autumn 2026-04-05 03:00→02:00, spring
 * 2026-10-04 02:00→03:00). Every expected instant is written out with its offset.
 */

const HOUR = 3_600_000;
const PEOPLE = ['ada', 'bob', 'cy'];

interface ZoneCase {
  readonly zone: string;
  /** Shifts of a daily 09:00 rotation that are not 24 h, by local start. */
  readonly daily: Record<string, number>;
  /** Shifts of a weekly Monday 09:00 rotation that are not 168 h, by local start. */
  readonly weekly: Record<string, number>;
  /** The 02:30 handoff on the spring-forward day: the end of the gap. */
  readonly gapHandoff: string;
  /** Shifts of a daily 02:30 rotation that are not 24 h, by local start. */
  readonly gapLayer: Record<string, number>;
  /** A local time that happens twice on the autumn day, and its first occurrence. */
  readonly ambiguousClock: string;
  readonly ambiguousHandoff: string;
  readonly ambiguousLayer: Record<string, number>;
  /** A replace override from the Friday before the autumn change to the Monday after, 12:00 local. */
  readonly override: readonly [string, string];
}

const ZONES: readonly ZoneCase[] = [
  {
    zone: 'America/New_York',
    daily: { '2026-03-07 09:00': 23, '2026-10-31 09:00': 25 },
    weekly: { '2026-03-02 09:00': 167, '2026-10-26 09:00': 169 },
    gapHandoff: '2026-03-08T03:00-04:00',
    gapLayer: { '2026-03-07 02:30': 23.5, '2026-03-08 03:00': 23.5, '2026-10-31 02:30': 25 },
    ambiguousClock: '01:30',
    ambiguousHandoff: '2026-11-01T01:30-04:00',
    ambiguousLayer: { '2026-03-08 01:30': 23, '2026-11-01 01:30': 25 },
    override: ['2026-10-30T12:00-04:00', '2026-11-02T12:00-05:00'],
  },
  {
    zone: 'Europe/Berlin',
    daily: { '2026-03-28 09:00': 23, '2026-10-24 09:00': 25 },
    weekly: { '2026-03-23 09:00': 167, '2026-10-19 09:00': 169 },
    gapHandoff: '2026-03-29T03:00+02:00',
    gapLayer: { '2026-03-28 02:30': 23.5, '2026-03-29 03:00': 23.5, '2026-10-25 02:30': 25 },
    ambiguousClock: '02:30',
    ambiguousHandoff: '2026-10-25T02:30+02:00',
    ambiguousLayer: { '2026-03-28 02:30': 23.5, '2026-03-29 03:00': 23.5, '2026-10-25 02:30': 25 },
    override: ['2026-10-23T12:00+02:00', '2026-10-26T12:00+01:00'],
  },
  {
    zone: 'Australia/Sydney',
    daily: { '2026-04-04 09:00': 25, '2026-10-03 09:00': 23 },
    weekly: { '2026-03-30 09:00': 169, '2026-09-28 09:00': 167 },
    gapHandoff: '2026-10-04T03:00+11:00',
    gapLayer: { '2026-04-05 02:30': 25, '2026-10-03 02:30': 23.5, '2026-10-04 03:00': 23.5 },
    ambiguousClock: '02:30',
    ambiguousHandoff: '2026-04-05T02:30+11:00',
    ambiguousLayer: { '2026-04-05 02:30': 25, '2026-10-03 02:30': 23.5, '2026-10-04 03:00': 23.5 },
    override: ['2026-04-03T12:00+11:00', '2026-04-06T12:00+10:00'],
  },
];

function layer(name: string, overrides: Partial<Layer>): Layer {
  return {
    name,
    rotation: 'daily',
    shiftLengthMs: null,
    start: '2025-12-01T09:00',
    end: null,
    participants: PEOPLE,
    restrictions: [],
    ...overrides,
  };
}

function local(instant: number, zone: string, format = 'yyyy-MM-dd HH:mm'): string {
  return DateTime.fromMillis(instant, { zone }).toFormat(format);
}

/** The shift starting at each handoff (checked to start there), in order. */
function shiftsAt(rotation: Layer, zone: string, handoffs: readonly number[]) {
  const shifts = handoffs.map((handoff) => layerShiftAt(rotation, zone, handoff));
  expect(shifts.map((shift) => shift?.start)).toEqual(handoffs);
  return shifts as NonNullable<(typeof shifts)[number]>[];
}

/** Lengths in hours of shifts that are not `usual` hours long, by local start. */
function unusualLengths(shifts: readonly { start: number; end: number }[], zone: string, usual: number) {
  const lengths: Record<string, number> = {};
  for (const shift of shifts) {
    const hours = (shift.end - shift.start) / HOUR;
    if (hours !== usual) lengths[local(shift.start, zone)] = hours;
  }
  return lengths;
}

/** Every shift ends where the next one starts: no instant without a shift, none twice. */
function expectContiguous(shifts: readonly { start: number; end: number }[]): void {
  const gaps = shifts.slice(1).filter((shift, i) => shift.start !== (shifts[i] as { end: number }).end);
  expect(gaps).toEqual([]);
}

describe.each(ZONES)('a year of on-call in $zone', (c) => {
  const { zone } = c;
  const yearStart = DateTime.fromISO('2026-01-01T00:00', { zone }).toMillis();
  const yearEnd = DateTime.fromISO('2027-01-01T00:00', { zone }).toMillis();
  const at = Date.parse;

  it('hands a daily rotation off at 09:00 local every day, in order, without gaps; only the DST days are 23 h and 25 h', () => {
    const daily = layer('daily', {});
    const handoffs = layerHandoffs(daily, zone, yearStart, yearEnd);
    expect(handoffs).toHaveLength(365);
    expect(handoffs.map((handoff) => local(handoff, zone))).toEqual(
      handoffs.map((_, i) => `${DateTime.fromISO('2026-01-01').plus({ days: i }).toISODate()} 09:00`),
    );
    const shifts = shiftsAt(daily, zone, handoffs);
    // Layer started 2025-12-01: 2026-01-01 is shift 31.
    expect(shifts.map((shift) => [shift.index, shift.user])).toEqual(
      shifts.map((_, i) => [31 + i, PEOPLE[(31 + i) % 3]]),
    );
    expectContiguous(shifts);
    expect(unusualLengths(shifts, zone, 24)).toEqual(c.daily);

    const schedule: Schedule = { key: 's', name: 'S', timeZone: zone, layers: [daily], overrides: [] };
    const covered = shiftsBetween(schedule, yearStart, yearEnd);
    expect(covered).toHaveLength(366);
    expect(covered[0]?.start).toBe(yearStart);
    expect(covered[covered.length - 1]?.end).toBe(yearEnd);
    expectContiguous(covered);
    expect(covered.every((shift) => shift.users.length === 1)).toBe(true);
  });

  it('hands a weekly rotation off every Monday at 09:00 local; only the DST weeks are 167 h and 169 h', () => {
    const weekly = layer('weekly', {
      rotation: 'weekly',
      start: '2025-12-29T09:00',
      participants: [...PEOPLE, 'dee'],
    });
    const handoffs = layerHandoffs(weekly, zone, yearStart, yearEnd);
    expect(handoffs).toHaveLength(52);
    expect(new Set(handoffs.map((handoff) => local(handoff, zone, 'ccc HH:mm')))).toEqual(
      new Set(['Mon 09:00']),
    );
    expect(local(handoffs[0] as number, zone)).toBe('2026-01-05 09:00');
    expect(local(handoffs[51] as number, zone)).toBe('2026-12-28 09:00');
    const shifts = shiftsAt(weekly, zone, handoffs);
    expect(shifts.map((shift) => [shift.index, shift.user])).toEqual(
      shifts.map((_, i) => [i + 1, weekly.participants[(i + 1) % 4]]),
    );
    expectContiguous(shifts);
    expect(unusualLengths(shifts, zone, 168)).toEqual(c.weekly);
  });

  it('hands off a 02:30 rotation at the end of the spring-forward gap, and loses no shift', () => {
    const gap = layer('gap', { start: '2025-12-01T02:30' });
    const handoffs = layerHandoffs(gap, zone, yearStart, yearEnd);
    expect(handoffs).toHaveLength(365);
    expect(handoffs).toContain(at(c.gapHandoff));
    const notAt0230 = handoffs.filter((handoff) => local(handoff, zone, 'HH:mm') !== '02:30');
    expect(notAt0230).toEqual([at(c.gapHandoff)]);
    const shifts = shiftsAt(gap, zone, handoffs);
    expectContiguous(shifts);
    expect(unusualLengths(shifts, zone, 24)).toEqual(c.gapLayer);
  });

  it(`hands off at the first occurrence of an ambiguous handoff time, and loses no shift`, () => {
    const ambiguous = layer('ambiguous', { start: `2025-12-01T${c.ambiguousClock}` });
    const handoffs = layerHandoffs(ambiguous, zone, yearStart, yearEnd);
    expect(handoffs).toHaveLength(365);
    expect(handoffs).toContain(at(c.ambiguousHandoff));
    // The second occurrence of the same wall-clock time, an hour later, is no handoff.
    expect(handoffs).not.toContain(at(c.ambiguousHandoff) + HOUR);
    expect(local(at(c.ambiguousHandoff) + HOUR, zone, 'HH:mm')).toBe(c.ambiguousClock);
    const shifts = shiftsAt(ambiguous, zone, handoffs);
    expectContiguous(shifts);
    expect(unusualLengths(shifts, zone, 24)).toEqual(c.ambiguousLayer);
  });

  it('runs an hourly rotation in elapsed time: every hour served, every shift exactly 1 h', () => {
    const hourly = layer('hourly', { rotation: 'hourly', start: '2026-01-01T00:00' });
    const handoffs = layerHandoffs(hourly, zone, yearStart, yearEnd - 1);
    expect(handoffs).toHaveLength(8760);
    expect(yearEnd - yearStart).toBe(8760 * HOUR);
    const shifts = shiftsAt(hourly, zone, handoffs);
    expect(shifts.map((shift) => [shift.index, shift.user, shift.end - shift.start])).toEqual(
      shifts.map((_, i) => [i, PEOPLE[i % 3], HOUR]),
    );
    expectContiguous(shifts);
    expect(handoffs.every((handoff) => local(handoff, zone, 'mm') === '00')).toBe(true);
    // The spring-forward day has 23 hourly shifts, the autumn day 25 (its repeated hour served twice).
    const perDay = new Map<string, number>();
    for (const handoff of handoffs) {
      const day = local(handoff, zone, 'yyyy-MM-dd');
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    expect(Object.fromEntries([...perDay].filter(([, count]) => count !== 24))).toEqual(
      Object.fromEntries(
        Object.entries(c.daily).map(([start, hours]) => [
          DateTime.fromFormat(start, 'yyyy-MM-dd HH:mm').plus({ days: 1 }).toISODate(),
          hours,
        ]),
      ),
    );
    const schedule: Schedule = { key: 's', name: 'S', timeZone: zone, layers: [hourly], overrides: [] };
    const covered = shiftsBetween(schedule, yearStart, yearEnd);
    expect(covered).toHaveLength(8760);
    expect(covered.every((shift) => shift.end - shift.start === HOUR && shift.users.length === 1)).toBe(true);
  });

  it('keeps someone on call every minute with two layers and a replace override across the autumn change', () => {
    const [overrideStart, overrideEnd] = c.override.map((iso) => at(iso)) as [number, number];
    const schedule: Schedule = {
      key: 'primary',
      name: 'Primary',
      timeZone: zone,
      layers: [
        layer('base', { rotation: 'weekly', start: '2025-12-29T09:00' }),
        layer('business', {
          participants: ['eve', 'fay'],
          restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
        }),
      ],
      overrides: [{ id: 'swap', kind: 'replace', user: 'zed', start: overrideStart, end: overrideEnd }],
    };
    const shifts = shiftsBetween(schedule, yearStart, yearEnd);
    expect(shifts[0]?.start).toBe(yearStart);
    expect(shifts[shifts.length - 1]?.end).toBe(yearEnd);
    expectContiguous(shifts);
    expect(shifts.filter((shift) => shift.users.length === 0)).toEqual([]);

    // The override decides exactly its span, and nothing else is decided without a layer.
    expect(shifts.filter((shift) => shift.layer === null)).toEqual([
      { start: overrideStart, end: overrideEnd, users: ['zed'], layer: null },
    ]);
    const repeatedHour = at(c.ambiguousHandoff) + HOUR;
    expect(whoIsOnCall(schedule, at(c.ambiguousHandoff))).toEqual(shifts.find((s) => s.layer === null));
    expect(whoIsOnCall(schedule, repeatedHour)).toMatchObject({ users: ['zed'], start: overrideStart });

    // Business hours: one stretch each weekday (261 in 2026), 09:00–17:00 local, cut by the override.
    const business = shifts.filter((shift) => shift.layer === 'business');
    expect(business).toHaveLength(261);
    for (const shift of business) {
      expect(shift.start === overrideEnd || local(shift.start, zone, 'HH:mm') === '09:00').toBe(true);
      expect(shift.end === overrideStart || local(shift.end, zone, 'HH:mm') === '17:00').toBe(true);
      expect(['Sat', 'Sun']).not.toContain(local(shift.start, zone, 'ccc'));
    }
    expect(
      business.filter((shift) => shift.end === overrideStart || shift.start === overrideEnd),
    ).toHaveLength(2);
    // Outside business hours the weekly base layer is on call, handing off Mondays 09:00.
    expect(shifts.filter((shift) => shift.layer === 'base').every((shift) => shift.users.length === 1)).toBe(
      true,
    );
  });
});
