import { describe, expect, it } from 'vitest';
import type { Schedule } from '../oncall/schedule.js';
import { readOverride, scheduleSchema, scheduleToFile } from './schedule-schema.js';

function schedule(input: Record<string, unknown>): Schedule {
  const parsed = scheduleSchema.safeParse(input);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

function messages(input: Record<string, unknown>): string[] {
  const parsed = scheduleSchema.safeParse(input);
  if (parsed.success) throw new Error('expected the schedule to be rejected');
  return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const PRIMARY = {
  key: 'primary',
  name: 'Primary on-call',
  time_zone: 'America/New_York',
  layers: [
    {
      name: 'weekly',
      rotation: 'weekly',
      start: '2026-01-05T09:00',
      end: '2027-01-01T00:00',
      participants: ['ana', 'ben'],
      restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
    },
    {
      name: 'nights',
      rotation: 'custom',
      shift_length: '12h',
      start: '2026-01-05T21:00',
      participants: ['cai'],
    },
  ],
  overrides: [{ kind: 'replace', user: 'cai', start: '2026-12-24T09:00', end: '2026-12-26T09:00' }],
};

describe('scheduleSchema', () => {
  it('reads layers and turns overrides into instants in the schedule zone, with config ids', () => {
    const s = schedule(PRIMARY);
    expect(s.layers[0]).toEqual({
      name: 'weekly',
      rotation: 'weekly',
      shiftLengthMs: null,
      start: '2026-01-05T09:00',
      end: '2027-01-01T00:00',
      participants: ['ana', 'ben'],
      restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
    });
    expect(s.layers[1]).toMatchObject({ rotation: 'custom', shiftLengthMs: 43_200_000, end: null });
    expect(s.overrides).toEqual([
      {
        id: 'cfg-primary-0',
        kind: 'replace',
        user: 'cai',
        start: Date.parse('2026-12-24T14:00:00Z'),
        end: Date.parse('2026-12-26T14:00:00Z'),
      },
    ]);
  });

  it('normalises a date without a time to midnight', () => {
    const s = schedule({
      key: 's',
      time_zone: 'UTC',
      layers: [{ name: 'l', rotation: 'daily', start: '2026-01-05', participants: ['a'] }],
    });
    expect(s.layers[0]!.start).toBe('2026-01-05T00:00');
  });

  it('reads an ambiguous local start as its first occurrence and an ambiguous end as its last', () => {
    // New York falls back on 2026-11-01: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    const s = schedule({
      key: 's',
      time_zone: 'America/New_York',
      overrides: [
        { kind: 'add', user: 'a', start: '2026-11-01T01:30', end: '2026-11-01T01:30' },
        { kind: 'remove', user: 'b', start: '2026-11-01T00:00Z', end: '2026-11-01T02:00:00+01:00' },
      ],
    });
    expect(s.overrides.map((o) => [o.start, o.end])).toEqual([
      [Date.parse('2026-11-01T05:30:00Z'), Date.parse('2026-11-01T06:30:00Z')],
      [Date.parse('2026-11-01T00:00:00Z'), Date.parse('2026-11-01T01:00:00Z')],
    ]);
  });

  const base = { key: 's', time_zone: 'UTC' };
  const layer = (fields: Record<string, unknown>) => ({
    ...base,
    layers: [{ name: 'l', rotation: 'daily', start: '2026-01-05T09:00', participants: ['a'], ...fields }],
  });
  const override = (fields: Record<string, unknown>) => ({
    ...base,
    overrides: [{ kind: 'add', user: 'a', start: '2026-01-05T09:00', end: '2026-01-06T09:00', ...fields }],
  });
  it.each([
    [
      'an unknown time zone',
      { ...base, time_zone: 'Mars/Olympus' },
      'time_zone: unknown time zone "Mars/Olympus" — use an IANA name such as Europe/Berlin',
    ],
    [
      'a custom rotation without shift_length',
      layer({ rotation: 'custom' }),
      'layers.0.shift_length: a custom rotation needs "shift_length" — add e.g. shift_length: 12h',
    ],
    [
      'shift_length on a weekly rotation',
      layer({ rotation: 'weekly', shift_length: '12h' }),
      'layers.0.shift_length: shift_length applies to rotation: custom only (weekly sets its own) — remove it',
    ],
    [
      'a shift_length of part hours',
      layer({ rotation: 'custom', shift_length: '90m' }),
      'layers.0.shift_length: shift_length 90m is not whole hours — use e.g. 8h or 36h',
    ],
    [
      'a shift_length over 28 days',
      layer({ rotation: 'custom', shift_length: '29d' }),
      'layers.0.shift_length: shift_length 29d is out of range — use between 1h and 28d',
    ],
    [
      'a start with an offset',
      layer({ start: '2026-01-05T09:00Z' }),
      'layers.0.start: invalid local time "2026-01-05T09:00Z" — write YYYY-MM-DDTHH:MM, e.g. "2026-01-05T09:00" (no offset: it is read in the schedule\'s time zone)',
    ],
    [
      'a date that does not exist',
      layer({ start: '2026-02-30T09:00' }),
      'layers.0.start: invalid local time "2026-02-30T09:00" — write YYYY-MM-DDTHH:MM, e.g. "2026-01-05T09:00" (no offset: it is read in the schedule\'s time zone)',
    ],
    [
      'an end before the start',
      layer({ end: '2026-01-01T00:00' }),
      'layers.0.end: end 2026-01-01T00:00 is not after start 2026-01-05T09:00 — put the end later or remove it',
    ],
    [
      'a layer without participants',
      layer({ participants: [] }),
      'layers.0.participants: the list is empty — name at least one user, e.g. participants: [ana, ben]',
    ],
    [
      'restrictions with a bad time',
      layer({ restrictions: [{ days: ['sat'], from: '9am', to: '17:00' }] }),
      'layers.0.restrictions.0.from: invalid time of day "9am" — write HH:MM on a 24-hour clock, e.g. "09:00" or "17:30"',
    ],
    [
      'two layers with one name',
      {
        ...base,
        layers: [
          { name: 'l', rotation: 'daily', start: '2026-01-05', participants: ['a'] },
          { name: 'l', rotation: 'weekly', start: '2026-01-05', participants: ['b'] },
        ],
      },
      'layers.1.name: duplicate layer name "l" — each layer of a schedule needs its own name',
    ],
    [
      'an override whose start cannot be read',
      override({ start: 'tomorrow' }),
      'overrides.0.start: invalid time "tomorrow" — write a local time like "2026-12-24T09:00" (read in UTC) or an ISO time with an offset like "2026-12-24T09:00+01:00"',
    ],
    [
      'an override ending before it starts',
      override({ end: '2026-01-05T08:00' }),
      'overrides.0.end: end "2026-01-05T08:00" is not after start "2026-01-05T09:00" — put the end later',
    ],
    [
      'an override longer than 366 days',
      override({ end: '2027-06-01T00:00' }),
      'overrides.0.end: an override may last at most 366 days — end it sooner',
    ],
  ])('refuses %s', (_, input, message) => {
    expect(messages(input)).toEqual([message]);
  });
});

describe('scheduleToFile', () => {
  it('writes every field so that it reads back equal', () => {
    const s = schedule(PRIMARY);
    expect(scheduleToFile(s)).toEqual(PRIMARY);
    expect(schedule(scheduleToFile(s))).toEqual(s);
  });

  it('writes an override time as ISO with offset when the local time would read back differently', () => {
    // The earlier 01:30 of the fall-back night, as an end: read as local it would be the later one.
    const s = schedule({
      key: 's',
      time_zone: 'America/New_York',
      overrides: [{ kind: 'add', user: 'a', start: '2026-11-01T00:00', end: '2026-11-01T01:30-04:00' }],
    });
    const written = scheduleToFile(s).overrides as Record<string, unknown>[];
    expect(written[0]).toMatchObject({ start: '2026-11-01T00:00', end: '2026-11-01T01:30:00-04:00' });
    expect(schedule(scheduleToFile(s))).toEqual(s);
  });
});

describe('readOverride', () => {
  it('reads an override in the given zone with the given id', () => {
    const read = readOverride(
      { kind: 'remove', user: 'ana', start: '2026-07-01T09:00', end: '2026-07-01T17:00' },
      'Europe/Berlin',
      'ovr_1',
    );
    expect(read).toEqual({
      override: {
        id: 'ovr_1',
        kind: 'remove',
        user: 'ana',
        start: Date.parse('2026-07-01T07:00:00Z'),
        end: Date.parse('2026-07-01T15:00:00Z'),
      },
    });
  });
});
