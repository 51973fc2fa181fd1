/** Retries of a retryable error: 10 s, 20 s, 40 s … doubling, at most 15 min apart, for a day. */
export const RETRY_POLICY = {
  firstDelayMs: 10_000,
  maxDelayMs: 15 * 60_000,
  giveUpAfterMs: 24 * 60 * 60_000,
} as const;

/** Delay before attempt `attempt + 1`, after `attempt` attempts failed (attempt ≥ 1). */
export function retryDelay(attempt: number): number {
  return Math.min(RETRY_POLICY.firstDelayMs * 2 ** Math.max(0, attempt - 1), RETRY_POLICY.maxDelayMs);
}

/** A notification retried for longer than a day is given up (failed, and counted). */
export function givesUp(createdAt: number, now: number): boolean {
  return now - createdAt >= RETRY_POLICY.giveUpAfterMs;
}
