import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKING_HOURS } from './person.js';
import type { TimeWindow } from './schedule.js';
import { nextWorkingMoment } from './working-hours.js';

const BERLIN = 'Europe/Berlin';
const at = (iso: string): number => Date.parse(iso);

describe('nextWorkingMoment', () => {
  // 2026-01-09 is a Friday.
  const table: ReadonlyArray<[string, readonly TimeWindow[], string, string]> = [
    ['now, inside working hours', DEFAULT_WORKING_HOURS, '2026-01-09T10:00+01:00', '2026-01-09T10:00+01:00'],
    [
      'the same morning, before work',
      DEFAULT_WORKING_HOURS,
      '2026-01-08T07:15+01:00',
      '2026-01-08T09:00+01:00',
    ],
    [
      'the next morning, after work',
      DEFAULT_WORKING_HOURS,
      '2026-01-07T17:00+01:00',
      '2026-01-08T09:00+01:00',
    ],
    ['Monday, on Friday evening', DEFAULT_WORKING_HOURS, '2026-01-09T18:00+01:00', '2026-01-12T09:00+01:00'],
    [
      'Monday in summer time, across the spring change',
      DEFAULT_WORKING_HOURS,
      '2026-03-27T18:00+01:00',
      '2026-03-30T09:00+02:00',
    ],
    ['now, without working hours', [], '2026-01-10T03:00+01:00', '2026-01-10T03:00+01:00'],
    [
      'now, when no window ever opens',
      [{ days: [], from: '09:00', to: '17:00' }],
      '2026-01-10T03:00+01:00',
      '2026-01-10T03:00+01:00',
    ],
    [
      'next week, for a once-a-week window just missed',
      [{ days: ['fri'], from: '09:00', to: '10:00' }],
      '2026-01-09T10:00+01:00',
      '2026-01-16T09:00+01:00',
    ],
  ];

  it.each(table)('%s', (_name, windows, time, expected) => {
    expect(nextWorkingMoment(windows, BERLIN, at(time))).toBe(at(expected));
  });
});
