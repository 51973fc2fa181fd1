import { describe, expect, it } from 'vitest';
import { rateAllowance, splitForSlots } from './rate-limit.js';
import { givesUp, retryDelay } from './retry-policy.js';

describe('rate limits and retries', () => {
  const rate = { limit: 3, windowMs: 60_000 };

  it.each([
    { sent: [], now: 0, allowed: 3, nextSlotAt: 0 },
    { sent: [1_000, 2_000], now: 10_000, allowed: 1, nextSlotAt: 10_000 },
    { sent: [1_000, 2_000, 3_000], now: 10_000, allowed: 0, nextSlotAt: 61_000 },
    { sent: [1_000, 2_000, 3_000], now: 61_001, allowed: 1, nextSlotAt: 61_001 },
  ])('allows $allowed with $sent sent at $now', ({ sent, now, allowed, nextSlotAt }) => {
    expect(rateAllowance(sent, now, rate)).toEqual({ allowed, nextSlotAt });
  });

  it.each([
    [2, 3, { single: 2, bundled: 0 }],
    [5, 3, { single: 2, bundled: 3 }],
    [5, 1, { single: 0, bundled: 5 }],
    [5, 0, { single: 0, bundled: 0 }],
  ])('%i waiting over %i slots', (count, allowed, split) => {
    expect(splitForSlots(count, allowed)).toEqual(split);
  });

  it('backs off 10 s, 20 s, 40 s … capped at 15 min, and gives up after a day', () => {
    expect([1, 2, 3, 4, 10, 20].map(retryDelay)).toEqual([10_000, 20_000, 40_000, 80_000, 900_000, 900_000]);
    expect(givesUp(0, 24 * 3_600_000 - 1)).toBe(false);
    expect(givesUp(0, 24 * 3_600_000)).toBe(true);
  });
});
