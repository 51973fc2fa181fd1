/**
 * One TLS probe: a handshake with host:port succeeds, the certificate chain is trusted (unless
 * rejectUnauthorized is off) and no certificate in it expires within warnBeforeMs. Durations in ms.
 */
export interface TlsSpec {
  /** A name or an IP literal; names resolve through the probe's policy-enforcing lookup. */
  readonly host: string;
  readonly port: number;
  /** The SNI name and the name the certificate must match; null means host (no SNI for an IP literal). */
  readonly servername: string | null;
  /** The whole probe: resolution, connect and handshake. */
  readonly timeoutMs: number;
  /** A certificate expiring sooner than this fails the check (e.g. 14 days), so it is renewed in time. */
  readonly warnBeforeMs: number;
  /** Fail on an untrusted chain or a hostname mismatch; off for self-signed targets (expiry still counts). */
  readonly rejectUnauthorized: boolean;
  /** PEM of a private CA to trust in addition to the system roots; null for the system roots only. */
  readonly caPem: string | null;
}

const DAY_MS = 86_400_000;

export const TLS_DEFAULTS = { port: 443, timeoutMs: 10_000, warnBeforeMs: 14 * DAY_MS } as const;

/** A spec for host with every default filled in, then `overrides` on top. */
export function tlsSpec(host: string, overrides: Partial<TlsSpec> = {}): TlsSpec {
  return {
    host,
    port: TLS_DEFAULTS.port,
    servername: null,
    timeoutMs: TLS_DEFAULTS.timeoutMs,
    warnBeforeMs: TLS_DEFAULTS.warnBeforeMs,
    rejectUnauthorized: true,
    caPem: null,
    ...overrides,
  };
}
