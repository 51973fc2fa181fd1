import { describe, expect, it } from 'vitest';
import { firstRunAfter, nextOccurrence, repeatProblem } from './maintenance-schedule.js';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-11-18T12:00:00Z'); // a Wednesday

describe('repeatProblem', () => {
  it('accepts a 5-field UTC cron expression whose occurrences do not overlap', () => {
    expect(repeatProblem('0 2 * * 0', 2 * H, NOW)).toBeNull();
    expect(repeatProblem('30 3 1 * *', 4 * H, NOW)).toBeNull();
  });

  it('refuses a wrong number of fields, saying how to write one', () => {
    expect(repeatProblem('0 0 2 * * 0', H, NOW)).toMatch(/use 5 fields .* got 6 — e\.g\. "0 2 \* \* 0"/);
    expect(repeatProblem('weekly', H, NOW)).toMatch(/got 1/);
  });

  it('refuses what croner cannot read, quoting its reason', () => {
    expect(repeatProblem('61 * * * *', H, NOW)).toMatch(/invalid cron expression "61 \* \* \* \*": .*minute/);
  });

  it('refuses an expression that never matches', () => {
    expect(repeatProblem('0 0 30 2 *', H, NOW)).toMatch(/never matches/);
  });

  it('refuses occurrences longer than the time between two starts', () => {
    expect(repeatProblem('0 * * * *', 2 * H, NOW)).toBe(
      'each occurrence lasts 2h but "0 * * * *" starts one every 1h: occurrences would overlap — shorten the duration or repeat less often',
    );
    // Mondays and Tuesdays: the shortest gap (a day) counts.
    expect(repeatProblem('0 2 * * 1,2', 25 * H, NOW)).toMatch(/every 1d/);
    expect(repeatProblem('0 2 * * 1,2', 24 * H, NOW)).toBeNull();
  });
});

describe('firstRunAfter', () => {
  it('finds the next match in UTC', () => {
    expect(new Date(firstRunAfter('0 2 * * 0', NOW) ?? 0).toISOString()).toBe('2026-11-22T02:00:00.000Z');
  });
});

describe('nextOccurrence', () => {
  const weekly = {
    startsAt: at('2026-11-22T02:00:00Z'),
    endsAt: at('2026-11-22T04:00:00Z'),
    repeat: '0 2 * * 0',
    repeatUntil: null,
  };

  it('is the running occurrence while one runs, else the next to start', () => {
    expect(nextOccurrence(weekly, at('2026-11-29T03:00:00Z'))).toEqual({
      start: at('2026-11-29T02:00:00Z'),
      end: at('2026-11-29T04:00:00Z'),
    });
    expect(nextOccurrence(weekly, at('2026-11-29T04:00:00Z'))?.start).toBe(at('2026-12-06T02:00:00Z'));
  });

  it('finds a yearly occurrence months ahead', () => {
    const yearly = {
      ...weekly,
      repeat: '0 2 1 1 *',
      startsAt: at('2026-01-01T02:00:00Z'),
      endsAt: at('2026-01-01T03:00:00Z'),
    };
    expect(nextOccurrence(yearly, NOW)?.start).toBe(at('2027-01-01T02:00:00Z'));
  });

  it('is null once repeat_until has passed, or a one-off window has ended', () => {
    expect(
      nextOccurrence({ ...weekly, repeatUntil: at('2026-11-30T00:00:00Z') }, at('2026-11-30T00:00:00Z')),
    ).toBeNull();
    expect(nextOccurrence({ ...weekly, repeat: null }, at('2026-11-22T04:00:00Z'))).toBeNull();
  });

  it('is a one-off window however far ahead it lies', () => {
    expect(nextOccurrence({ ...weekly, repeat: null }, at('2026-10-01T00:00:00Z'))).toEqual({
      start: weekly.startsAt,
      end: weekly.endsAt,
    });
  });
});
