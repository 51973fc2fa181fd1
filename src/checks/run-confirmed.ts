import type { CheckOutcome } from './check-outcome.js';

/** How a failed check is re-run before it counts. */
export interface ConfirmPolicy {
  readonly retries: number;
  readonly delayMs: number;
}

/**
 * Runs `probe`; while it fails and retries are left, waits `delayMs` and runs it
 * again. The first success wins (a dropped packet moves nothing); when every attempt
 * fails, the last failure counts. `sleep` is injected so tests need no real waiting.
 */
export async function runConfirmed(
  probe: () => Promise<CheckOutcome>,
  policy: ConfirmPolicy,
  sleep: (ms: number) => Promise<void>,
): Promise<{ outcome: CheckOutcome; attempts: number }> {
  let outcome = await probe();
  let attempts = 1;
  while (!outcome.ok && attempts <= policy.retries) {
    await sleep(policy.delayMs);
    outcome = await probe();
    attempts += 1;
  }
  return { outcome, attempts };
}
