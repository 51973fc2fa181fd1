import { afterEach, describe, expect, it } from 'vitest';
import { nextDue, Scheduler } from './scheduler.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Scheduler', () => {
  let scheduler: Scheduler<{ id: string; intervalMs: number }> | undefined;
  afterEach(async () => {
    await scheduler?.stop();
  });

  it('runs every monitor once per interval', async () => {
    const runs = new Map<string, number>();
    scheduler = new Scheduler({
      now: Date.now,
      run: async (m) => {
        runs.set(m.id, (runs.get(m.id) ?? 0) + 1);
      },
    });
    scheduler.setMonitors(Array.from({ length: 20 }, (_, i) => ({ id: `m${i}`, intervalMs: 200 })));
    scheduler.start();
    await sleep(1_050);
    for (let i = 0; i < 20; i++) {
      const count = runs.get(`m${i}`) ?? 0;
      expect(count, `m${i}`).toBeGreaterThanOrEqual(4);
      expect(count, `m${i}`).toBeLessThanOrEqual(6);
    }
  });

  it('keeps running other monitors while one target hangs, and skips the hanging one instead of piling up', async () => {
    const runs = new Map<string, number>();
    let skips = 0;
    scheduler = new Scheduler({
      now: Date.now,
      run: async (m) => {
        runs.set(m.id, (runs.get(m.id) ?? 0) + 1);
        if (m.id === 'hang') await sleep(800);
      },
      events: { onSkip: () => skips++ },
    });
    scheduler.setMonitors([
      { id: 'hang', intervalMs: 100 },
      { id: 'fast', intervalMs: 100 },
    ]);
    scheduler.start();
    await sleep(650);
    expect(runs.get('hang')).toBe(1);
    expect(runs.get('fast')).toBeGreaterThanOrEqual(5);
    expect(skips).toBeGreaterThanOrEqual(4);
  });

  it('spreads monitors across the interval instead of firing them together', () => {
    const interval = 30_000;
    const now = 1_800_000_000_000;
    const buckets = new Array(10).fill(0) as number[];
    for (let i = 0; i < 1_000; i++) {
      const due = nextDue({ id: `monitor-${i}`, intervalMs: interval }, now);
      expect(due).toBeGreaterThanOrEqual(now);
      expect(due).toBeLessThan(now + interval);
      buckets[Math.floor(((due - now) / interval) * 10)]!++;
    }
    for (const count of buckets) expect(count).toBeGreaterThan(50);
  });

  it('stops running removed monitors', async () => {
    const runs: string[] = [];
    scheduler = new Scheduler({ now: Date.now, run: async (m) => void runs.push(m.id) });
    scheduler.setMonitors([
      { id: 'a', intervalMs: 50 },
      { id: 'b', intervalMs: 50 },
    ]);
    scheduler.start();
    await sleep(200);
    scheduler.setMonitors([{ id: 'a', intervalMs: 50 }]);
    const before = runs.filter((id) => id === 'b').length;
    await sleep(200);
    expect(runs.filter((id) => id === 'b').length).toBe(before);
    expect(before).toBeGreaterThan(0);
  });
});
