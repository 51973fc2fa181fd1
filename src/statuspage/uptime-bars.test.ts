import { describe, expect, it } from 'vitest';
import type { SnapshotIncident } from './status-snapshot.js';
import { UPTIME_DAYS } from './status-snapshot.js';
import { countsOn, pastUptime, uptimeBar } from './uptime-bars.js';

const DAY = 86_400_000;
const TODAY = Date.UTC(2026, 10, 22);
const FIRST = TODAY - (UPTIME_DAYS - 1) * DAY;

describe('pastUptime', () => {
  const rows = [
    { componentId: 'a', day: TODAY - DAY, checks: 100, failures: 2 },
    { componentId: 'a', day: FIRST, checks: 50, failures: 0 },
    { componentId: 'b', day: FIRST, checks: 50, failures: 0 },
    // Another monitor of the same component on the same day adds up.
    { componentId: 'a', day: TODAY - DAY, checks: 10, failures: 1 },
    // Today and days before the bar are not past days of it.
    { componentId: 'a', day: TODAY, checks: 7, failures: 7 },
    { componentId: 'a', day: FIRST - DAY, checks: 9, failures: 9 },
  ];

  it('sums each component per day before today, oldest first, with totals', () => {
    const past = pastUptime(rows, TODAY);
    const a = past.bars.get('a');
    expect(a?.days).toHaveLength(UPTIME_DAYS - 1);
    expect(a?.days[0]).toEqual({ day: FIRST, checks: 50, failures: 0, incidents: [] });
    expect(a?.days.at(-1)).toEqual({ day: TODAY - DAY, checks: 110, failures: 3, incidents: [] });
    expect(a?.days[1]).toEqual({ day: FIRST + DAY, checks: 0, failures: 0, incidents: [] });
    expect(a).toMatchObject({ checks: 160, failures: 3 });
    expect(past.bars.has('c')).toBe(false);
    expect(past.empty.days.every((d) => d.checks === 0)).toBe(true);
  });

  it('shares the day values of clean days with equal counts between components', () => {
    const past = pastUptime(rows, TODAY);
    expect(past.bars.get('a')?.days[0]).toBe(past.bars.get('b')?.days[0]);
    expect(past.bars.get('a')?.days[5]).toBe(past.empty.days[5]);
  });
});

describe('uptimeBar', () => {
  const past = pastUptime([{ componentId: 'a', day: TODAY - DAY, checks: 100, failures: 10 }], TODAY);
  const incident = { id: 'inc_1', title: 'Hub down', impact: 'major' } as SnapshotIncident;

  it('adds today and the ratio over the whole bar', () => {
    const { uptime, uptimeRatio } = uptimeBar(
      past.bars.get('a')!,
      TODAY,
      { checks: 100, failures: 0 },
      undefined,
    );
    expect(uptime).toHaveLength(UPTIME_DAYS);
    expect(uptime.at(-1)).toEqual({ day: TODAY, checks: 100, failures: 0, incidents: [] });
    expect(uptimeRatio).toBeCloseTo(190 / 200);
    expect(uptimeBar(past.empty, TODAY, undefined, undefined).uptimeRatio).toBeNull();
  });

  it('lists incidents on their days without touching the shared past days', () => {
    const dayIncidents: SnapshotIncident[][] = [];
    dayIncidents[UPTIME_DAYS - 2] = [incident];
    dayIncidents[UPTIME_DAYS - 1] = [incident];
    const { uptime } = uptimeBar(past.bars.get('a')!, TODAY, undefined, dayIncidents);
    expect(uptime.at(-2)).toEqual({
      day: TODAY - DAY,
      checks: 100,
      failures: 10,
      incidents: [{ id: 'inc_1', title: 'Hub down', impact: 'major' }],
    });
    expect(uptime.at(-1)?.incidents).toHaveLength(1);
    expect(uptime[0]?.incidents).toEqual([]);
    expect(past.bars.get('a')?.days.at(-1)?.incidents).toEqual([]);
  });
});

describe('countsOn', () => {
  it('sums one day per component', () => {
    const counts = countsOn(
      [
        { componentId: 'a', day: TODAY, checks: 5, failures: 1 },
        { componentId: 'a', day: TODAY, checks: 5, failures: 0 },
        { componentId: 'a', day: TODAY - DAY, checks: 99, failures: 99 },
      ],
      TODAY,
    );
    expect(counts.get('a')).toEqual({ checks: 10, failures: 1 });
  });
});
