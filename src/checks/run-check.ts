import type { CheckOutcome } from './check-outcome.js';
import { runDnsCheck } from './dns-check.js';
import type { DnsSpec } from './dns-spec.js';
import { assertTargetAllowed } from './guarded-lookup.js';
import { heartbeatOutcome } from './heartbeat-outcome.js';
import { runHttpCheck } from './http-check.js';
import type { MonitorSpec } from './monitor-spec.js';
import { runMultiStepCheck } from './multi-step-check.js';
import type { ProbeContext } from './network-policy.js';
import { runPingCheck } from './ping-check.js';
import { runTcpCheck } from './tcp-check.js';
import { runTlsCheck } from './tls-check.js';

/** Runs one probe of a monitor type against its spec. Never throws. */
type Probes = {
  readonly [S in MonitorSpec as S['type']]: (spec: S['spec'], context: ProbeContext) => Promise<CheckOutcome>;
};

/** Every probe kind by monitor type. A new kind is one file and one line here. */
const PROBES: Probes = {
  http: (spec, context) => runHttpCheck(spec, { signal: context.signal, policy: context.policy }),
  multi_step: (spec, context) => runMultiStepCheck(spec, context),
  tcp: (spec, context) => runTcpCheck(spec, context),
  tls: (spec, context) => runTlsCheck(spec, context),
  dns: (spec, context) => runGuardedDnsCheck(spec, context),
  ping: (spec, context) => runPingCheck(spec, context),
  browser: async (spec, context) => (await loadBrowserCheck()).runBrowserCheck(spec, context),
  // A heartbeat fetches nothing: it judges the pings the engine read for it.
  heartbeat: async (spec, context) =>
    context.heartbeat
      ? heartbeatOutcome(spec, context.heartbeat.last, context.heartbeat.since, (context.now ?? Date.now)())
      : {
          ok: false,
          slow: false,
          reason: 'heartbeat checked without its ping history (a Firewatch bug)',
          durationMs: 0,
        },
};

/** Runs the probe for a monitor; an unknown type is a failed check that says so. */
export async function runCheck(monitor: MonitorSpec, context: ProbeContext): Promise<CheckOutcome> {
  const probe = PROBES[monitor.type] as
    | ((spec: unknown, context: ProbeContext) => Promise<CheckOutcome>)
    | undefined;
  if (!probe) {
    return { ok: false, slow: false, reason: `unknown monitor type "${monitor.type}"`, durationMs: 0 };
  }
  return probe(monitor.spec, context);
}

/** DNS queries go straight to the resolver, so the policy vets the resolver's address first. */
async function runGuardedDnsCheck(spec: DnsSpec, context: ProbeContext): Promise<CheckOutcome> {
  if (spec.resolver !== null) {
    const address = spec.resolver
      .replace(/^\[(.*)\](:\d+)?$/, '$1')
      .replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1');
    try {
      await assertTargetAllowed(address, context.policy);
    } catch (error) {
      return { ok: false, slow: false, reason: (error as Error).message, durationMs: 0 };
    }
  }
  return runDnsCheck(spec, context);
}

// Loaded on first use: Playwright costs 60-90 MB of memory that fleets without browser monitors never need.
let browserCheck: Promise<typeof import('./browser-check.js')> | undefined;

function loadBrowserCheck(): Promise<typeof import('./browser-check.js')> {
  browserCheck ??= import('./browser-check.js');
  return browserCheck;
}

/** Releases what probes hold across checks (the shared Chromium, if a browser check started it). */
export async function closeProbes(): Promise<void> {
  if (browserCheck) await (await import('./browser-runner.js')).closeBrowser();
}
