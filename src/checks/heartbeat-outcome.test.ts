import { describe, expect, it } from 'vitest';
import { heartbeatOutcome, nextDue } from './heartbeat-outcome.js';
import type { HeartbeatSpec } from './heartbeat-spec.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const HOURLY: HeartbeatSpec = {
  periodMs: HOUR,
  schedule: null,
  timezone: null,
  graceMs: 5 * MIN,
  timeoutMs: 1000,
};
const NIGHTLY_BERLIN: HeartbeatSpec = {
  periodMs: null,
  schedule: '0 3 * * *',
  timezone: 'Europe/Berlin',
  graceMs: 10 * MIN,
  timeoutMs: 1000,
};

describe('heartbeatOutcome', () => {
  it('is fine until period plus grace after the last ping, and late after', () => {
    const last = { kind: 'success', at: T0 } as const;
    expect(heartbeatOutcome(HOURLY, last, 0, T0 + HOUR + 5 * MIN).ok).toBe(true);
    const late = heartbeatOutcome(HOURLY, last, 0, T0 + HOUR + 5 * MIN + 1);
    expect(late.ok).toBe(false);
    expect(late.reason).toBe('late: missed a ping every 1h, grace 5m; last ping at 2026-11-21T12:00:00Z');
  });

  it('counts from the monitor creation when no ping ever came', () => {
    expect(heartbeatOutcome(HOURLY, null, T0, T0 + HOUR).ok).toBe(true);
    expect(heartbeatOutcome(HOURLY, null, T0, T0 + 2 * HOUR).reason).toMatch(/no ping yet$/);
  });

  it('fails at once when the job reports failure, and recovers with the next success', () => {
    const failed = heartbeatOutcome(HOURLY, { kind: 'fail', at: T0 }, 0, T0 + 1000);
    expect(failed).toMatchObject({ ok: false, reason: 'the job reported failure at 2026-11-21T12:00:00Z' });
    expect(heartbeatOutcome(HOURLY, { kind: 'success', at: T0 + 2000 }, 0, T0 + 3000).ok).toBe(true);
  });

  it('fails a started job that runs longer than the grace', () => {
    const start = { kind: 'start', at: T0 } as const;
    expect(heartbeatOutcome(HOURLY, start, 0, T0 + 5 * MIN).ok).toBe(true);
    expect(heartbeatOutcome(HOURLY, start, 0, T0 + 5 * MIN + 1).reason).toMatch(
      /has not finished within the 5m grace/,
    );
  });

  it('expects a cron job at its local time across the spring DST change', () => {
    // Berlin moves to summer time on 2026-03-29: 03:00 local is 02:00Z before, 01:00Z after.
    const saturdayRun = Date.UTC(2026, 2, 28, 2, 0, 0);
    expect(nextDue(NIGHTLY_BERLIN, saturdayRun)).toBe(Date.UTC(2026, 2, 29, 1, 0, 0));
    const last = { kind: 'success', at: saturdayRun } as const;
    expect(heartbeatOutcome(NIGHTLY_BERLIN, last, 0, Date.UTC(2026, 2, 29, 1, 10, 0)).ok).toBe(true);
    const late = heartbeatOutcome(NIGHTLY_BERLIN, last, 0, Date.UTC(2026, 2, 29, 1, 10, 1));
    expect(late.reason).toBe(
      'late: missed the run due at 2026-03-29T01:00:00Z (0 3 * * * in Europe/Berlin), grace 10m; last ping at 2026-03-28T02:00:00Z',
    );
  });

  it('expects a cron job at its local time across the autumn DST change', () => {
    // Berlin returns to winter time on 2026-10-25: 03:00 local is 01:00Z before, 02:00Z after.
    expect(nextDue(NIGHTLY_BERLIN, Date.UTC(2026, 9, 24, 1, 0, 0))).toBe(Date.UTC(2026, 9, 25, 2, 0, 0));
  });
});
