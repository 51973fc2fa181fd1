import { describe, expect, it } from 'vitest';
import type { TimeWindow } from './schedule.js';
import { inWindows, windowEdges } from './time-window.js';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const at = (iso: string): number => Date.parse(iso);

const WEEKDAYS_9_TO_5: TimeWindow = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' };
const NIGHTS: TimeWindow = { days: ['fri'], from: '22:00', to: '06:00' };
const SUNDAY: TimeWindow = { days: ['sun'], from: '00:00', to: '00:00' };

describe('inWindows', () => {
  // 2026-01-09 is a Friday.
  const table: ReadonlyArray<[string, readonly TimeWindow[], string, boolean]> = [
    ['no windows means always', [], '2026-01-10T03:00-05:00', true],
    ['inside office hours', [WEEKDAYS_9_TO_5], '2026-01-09T09:00-05:00', true],
    ['the end is exclusive', [WEEKDAYS_9_TO_5], '2026-01-09T17:00-05:00', false],
    ['before the start', [WEEKDAYS_9_TO_5], '2026-01-09T08:59-05:00', false],
    ['not on a day it does not list', [WEEKDAYS_9_TO_5], '2026-01-10T10:00-05:00', false],
    ['a window past midnight, evening part', [NIGHTS], '2026-01-09T23:00-05:00', true],
    [
      'a window past midnight, morning part (the day after the listed day)',
      [NIGHTS],
      '2026-01-10T05:59-05:00',
      true,
    ],
    ['a window past midnight ends at its end time', [NIGHTS], '2026-01-10T06:00-05:00', false],
    ['a window past midnight does not start on unlisted days', [NIGHTS], '2026-01-09T05:00-05:00', false],
    ['00:00–00:00 is the whole day, first minute', [SUNDAY], '2026-01-11T00:00-05:00', true],
    ['00:00–00:00 is the whole day, last minute', [SUNDAY], '2026-01-11T23:59-05:00', true],
    ['00:00–00:00 ends at midnight', [SUNDAY], '2026-01-12T00:00-05:00', false],
    ['any of several windows', [WEEKDAYS_9_TO_5, SUNDAY], '2026-01-11T12:00-05:00', true],
    [
      'read in the zone given: 03:30 in New York is before work there',
      [WEEKDAYS_9_TO_5],
      '2026-01-09T03:30-05:00',
      false,
    ],
  ];

  it.each(table)('%s', (_name, windows, time, expected) => {
    expect(inWindows(windows, NY, at(time))).toBe(expected);
  });

  it('reads the same instant as 09:30 in Berlin when given Berlin', () => {
    expect(inWindows([WEEKDAYS_9_TO_5], BERLIN, at('2026-01-09T03:30-05:00'))).toBe(true);
  });

  it('starts an ambiguous start at its first occurrence and ends an ambiguous end at its last', () => {
    // New York, 2026-11-01 (Sunday): 01:00–02:00 happens twice.
    const early: TimeWindow = { days: ['sun'], from: '01:30', to: '01:45' };
    expect(inWindows([early], NY, at('2026-11-01T01:29-04:00'))).toBe(false);
    expect(inWindows([early], NY, at('2026-11-01T01:30-04:00'))).toBe(true);
    expect(inWindows([early], NY, at('2026-11-01T01:44-05:00'))).toBe(true);
    expect(inWindows([early], NY, at('2026-11-01T01:45-05:00'))).toBe(false);
  });

  it('moves a start or end in the spring-forward gap to the end of the gap', () => {
    // New York, 2026-03-08 (Sunday): 02:00–03:00 does not exist.
    const inGap: TimeWindow = { days: ['sun'], from: '02:30', to: '04:00' };
    expect(inWindows([inGap], NY, at('2026-03-08T01:59-05:00'))).toBe(false);
    expect(inWindows([inGap], NY, at('2026-03-08T03:00-04:00'))).toBe(true);
    const endInGap: TimeWindow = { days: ['sat'], from: '23:00', to: '02:30' };
    expect(inWindows([endInGap], NY, at('2026-03-08T01:59-05:00'))).toBe(true);
    expect(inWindows([endInGap], NY, at('2026-03-08T03:00-04:00'))).toBe(false);
  });

  it('refuses a malformed time with what it expected', () => {
    expect(() => inWindows([{ days: ['mon'], from: '9:00', to: '17:00' }], NY, 0)).toThrow(/"9:00" is not/);
    expect(() => inWindows([{ days: ['mon'], from: '09:00', to: '24:00' }], NY, 0)).toThrow(/"24:00"/);
  });
});

describe('windowEdges', () => {
  it('lists every start and end in [from, to], including ones of an occurrence that began before from', () => {
    expect(windowEdges([NIGHTS], NY, at('2026-01-10T00:00-05:00'), at('2026-01-17T00:00-05:00'))).toEqual([
      at('2026-01-10T06:00-05:00'),
      at('2026-01-16T22:00-05:00'),
    ]);
  });

  it('lists office hours over a week, edges at from and to included', () => {
    const edges = windowEdges(
      [WEEKDAYS_9_TO_5],
      NY,
      at('2026-01-05T09:00-05:00'),
      at('2026-01-09T17:00-05:00'),
    );
    expect(edges).toHaveLength(10);
    expect(edges[0]).toBe(at('2026-01-05T09:00-05:00'));
    expect(edges[9]).toBe(at('2026-01-09T17:00-05:00'));
  });

  it('follows local time across a DST change', () => {
    const edges = windowEdges(
      [WEEKDAYS_9_TO_5],
      NY,
      at('2026-03-06T00:00-05:00'),
      at('2026-03-10T00:00-04:00'),
    );
    expect(edges).toEqual([
      at('2026-03-06T09:00-05:00'),
      at('2026-03-06T17:00-05:00'),
      at('2026-03-09T09:00-04:00'),
      at('2026-03-09T17:00-04:00'),
    ]);
  });

  it('is empty without windows', () => {
    expect(windowEdges([], NY, 0, at('2026-01-10T00:00-05:00'))).toEqual([]);
  });
});
