import { describe, expect, it } from 'vitest';
import type { CheckOutcome } from './check-outcome.js';
import { runConfirmed } from './run-confirmed.js';

const OK: CheckOutcome = { ok: true, slow: false, reason: null, durationMs: 5 };
const FAIL: CheckOutcome = { ok: false, slow: false, reason: 'connection reset', durationMs: 5 };

function sequence(...outcomes: CheckOutcome[]) {
  let i = 0;
  return async () => outcomes[Math.min(i++, outcomes.length - 1)]!;
}

describe('runConfirmed', () => {
  it('does not retry a success', async () => {
    const waits: number[] = [];
    const result = await runConfirmed(
      sequence(OK),
      { retries: 2, delayMs: 100 },
      async (ms) => void waits.push(ms),
    );
    expect(result).toEqual({ outcome: OK, attempts: 1 });
    expect(waits).toEqual([]);
  });

  it('lets one dropped packet pass when the retry succeeds', async () => {
    const waits: number[] = [];
    const result = await runConfirmed(
      sequence(FAIL, OK),
      { retries: 1, delayMs: 250 },
      async (ms) => void waits.push(ms),
    );
    expect(result).toEqual({ outcome: OK, attempts: 2 });
    expect(waits).toEqual([250]);
  });

  it('counts the failure once every retry failed too', async () => {
    const result = await runConfirmed(sequence(FAIL, FAIL, FAIL), { retries: 2, delayMs: 0 }, async () => {});
    expect(result).toEqual({ outcome: FAIL, attempts: 3 });
  });

  it('does not retry at all with zero retries', async () => {
    const result = await runConfirmed(sequence(FAIL, OK), { retries: 0, delayMs: 0 }, async () => {});
    expect(result).toEqual({ outcome: FAIL, attempts: 1 });
  });
});
