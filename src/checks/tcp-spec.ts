/**
 * One TCP probe: a connection to host:port can be opened within timeoutMs (it is closed at once, nothing is
 * sent). Durations in ms.
 */
export interface TcpSpec {
  /** A name or an IP literal; names resolve through the probe's policy-enforcing lookup. */
  readonly host: string;
  readonly port: number;
  /** The whole probe: name resolution and connect. */
  readonly timeoutMs: number;
  /** A connect slower than this is a latency failure (slow, degraded, not down); null for no limit. */
  readonly maxLatencyMs: number | null;
}

export const TCP_DEFAULTS = { timeoutMs: 10_000 } as const;

/** A spec for host:port with every default filled in, then `overrides` on top. */
export function tcpSpec(host: string, port: number, overrides: Partial<TcpSpec> = {}): TcpSpec {
  return { host, port, timeoutMs: TCP_DEFAULTS.timeoutMs, maxLatencyMs: null, ...overrides };
}
