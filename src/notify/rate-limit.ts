/** At most `limit` messages to one address within any `windowMs`. */
export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** Per address: 10 messages a minute; more are bundled into one message, never dropped. */
export const DEFAULT_RATE_LIMIT: RateLimit = { limit: 10, windowMs: 60_000 };

/**
 * How many messages may go to an address now, given when earlier ones went (`sent`, any order),
 * and when the next slot opens if none may.
 */
export function rateAllowance(
  sent: readonly number[],
  now: number,
  rate: RateLimit,
): { readonly allowed: number; readonly nextSlotAt: number } {
  const inWindow = sent.filter((t) => t > now - rate.windowMs).sort((a, b) => a - b);
  const allowed = Math.max(0, rate.limit - inWindow.length);
  const oldest = inWindow[inWindow.length - rate.limit];
  return { allowed, nextSlotAt: allowed > 0 || oldest === undefined ? now : oldest + rate.windowMs };
}

/**
 * Splits `count` waiting messages over `allowed` slots: the first go alone, and when they do not
 * all fit, the last slot carries a bundle of the rest. Returns how many go alone and how many are
 * bundled (0 or ≥ 2).
 */
export function splitForSlots(
  count: number,
  allowed: number,
): { readonly single: number; readonly bundled: number } {
  if (allowed <= 0) return { single: 0, bundled: 0 };
  if (count <= allowed) return { single: count, bundled: 0 };
  return { single: allowed - 1, bundled: count - (allowed - 1) };
}
