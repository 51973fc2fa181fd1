/** The record types a DNS monitor can query. */
export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'NS' | 'SOA' | 'SRV' | 'CAA' | 'PTR';

/**
 * One DNS probe: `name` has `recordType` records at `resolver`, and every expected answer is among them.
 * Answers compare as the probe normalises them: MX `10 mail.example.org`, TXT chunks joined, SRV
 * `priority weight port target`, SOA `nsname hostmaster serial`, CAA `0 issue "ca.example"`; names without
 * a trailing dot and case-insensitively. Durations in ms.
 */
export interface DnsSpec {
  readonly name: string;
  readonly recordType: DnsRecordType;
  /**
   * 'ip' or 'ip:port' ('[v6]:port' for IPv6) of the resolver to ask; null for the system resolvers.
   * Queries go straight to it, not through the probe's policy-enforcing lookup, so the network policy
   * must vet this address where the monitor is configured.
   */
  readonly resolver: string | null;
  /** Answers that must all be present; empty means any non-empty answer passes. */
  readonly expectAnswers: readonly string[];
  /** The whole probe, retries included. */
  readonly timeoutMs: number;
}

export const DNS_DEFAULTS = { timeoutMs: 5_000 } as const;

/** A spec for `name` with every default filled in (an A query to the system resolvers), then `overrides`. */
export function dnsSpec(name: string, overrides: Partial<DnsSpec> = {}): DnsSpec {
  return {
    name,
    recordType: 'A',
    resolver: null,
    expectAnswers: [],
    timeoutMs: DNS_DEFAULTS.timeoutMs,
    ...overrides,
  };
}
