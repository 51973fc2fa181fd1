import type { CheckOutcome } from './check-outcome.js';
import { runHttpCheck } from './http-check.js';
import type { HttpSpec } from './http-spec.js';

/** A probe kind: given its stored spec, run once and report. Never throws. */
export type Probe = (spec: unknown, signal: AbortSignal) => Promise<CheckOutcome>;

/** Every probe kind by monitor type. A new kind is one file and one line here. */
export const PROBES: Readonly<Record<string, Probe>> = {
  http: (spec, signal) => runHttpCheck(spec as HttpSpec, { signal }),
};

/** Runs the probe for `type`; an unknown type is a failed check that says so. */
export async function runCheck(type: string, spec: unknown, signal: AbortSignal): Promise<CheckOutcome> {
  const probe = PROBES[type];
  if (!probe) {
    return { ok: false, slow: false, reason: `unknown monitor type "${type}"`, durationMs: 0 };
  }
  return probe(spec, signal);
}
