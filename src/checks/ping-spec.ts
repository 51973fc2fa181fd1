/**
 * One ICMP echo probe: `host` answers at least one of `count` pings within timeoutMs, with an average round
 * trip under maxLatencyMs. Pings go out a second apart, so timeoutMs must exceed count seconds. Durations in ms.
 */
export interface PingSpec {
  /** A name or an IP literal; it resolves through the probe's policy-enforcing lookup, then the address is pinged. */
  readonly host: string;
  /** Echo requests to send (default 1); any reply counts as up, partial loss included. */
  readonly count: number;
  /** The whole probe: resolution and every echo. */
  readonly timeoutMs: number;
  /** An average round trip slower than this is a latency failure (slow, degraded); null for no limit. */
  readonly maxLatencyMs: number | null;
}

export const PING_DEFAULTS = { count: 1, timeoutMs: 5_000 } as const;

/** A spec for `host` with every default filled in, then `overrides` on top. */
export function pingSpec(host: string, overrides: Partial<PingSpec> = {}): PingSpec {
  return {
    host,
    count: PING_DEFAULTS.count,
    timeoutMs: PING_DEFAULTS.timeoutMs,
    maxLatencyMs: null,
    ...overrides,
  };
}
