import type { LookupFunction } from 'node:net';
import type { LastPing } from './heartbeat-spec.js';

/**
 * Where probes may connect. Targets on loopback, private, link-local, carrier-grade
 * NAT, unique-local or cloud metadata addresses are refused unless allowed, and the
 * address is checked when the connection is made (after DNS resolution), so a name
 * that resolves to a private address later (DNS rebinding) is refused too.
 */
export interface NetworkPolicy {
  readonly allowPrivateTargets: boolean;
}

/** What every probe receives besides its spec. */
export interface ProbeContext {
  readonly signal: AbortSignal;
  /** A dns.lookup-compatible resolver that enforces the policy; pass it to net/tls connect. */
  readonly lookup: LookupFunction;
  readonly policy: NetworkPolicy;
  /** Directory for evidence files (screenshots); probes create it when they need it. */
  readonly artifactsDir: string;
  /** For heartbeat monitors: the last ping and since when the monitor expects pings. */
  readonly heartbeat?: { readonly last: LastPing | null; readonly since: number };
  /** The clock, for probes that judge time (heartbeats); Date.now when absent. */
  readonly now?: () => number;
}
