import type { CheckOutcome } from './check-outcome.js';
import { runHttpCheck } from './http-check.js';
import type { MonitorSpec } from './monitor-spec.js';
import type { ProbeContext } from './network-policy.js';

/** Runs one probe of a monitor type against its spec. Never throws. */
type Probes = {
  readonly [S in MonitorSpec as S['type']]: (spec: S['spec'], context: ProbeContext) => Promise<CheckOutcome>;
};

/** Every probe kind by monitor type. A new kind is one file and one line here. */
const PROBES: Probes = {
  http: (spec, context) => runHttpCheck(spec, { signal: context.signal, policy: context.policy }),
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
