import type { Dispatcher } from 'undici';
import { assessResponse } from './assess-response.js';
import type { CheckOutcome } from './check-outcome.js';
import { type Deadline, startDeadline } from './deadline.js';
import { fetchFinalResponse } from './fetch-final-response.js';
import type { HttpSpec } from './http-spec.js';
import { messageOf } from './message-of.js';
import type { NetworkPolicy } from './network-policy.js';
import { probeDispatcher } from './probe-dispatcher.js';
import { ProbeFailure } from './probe-failure.js';

export { DEFAULT_USER_AGENT } from './fetch-final-response.js';

/**
 * The edges of one probe: cancellation, where it may connect (default: public addresses only), the
 * connection pool (default: probeDispatcher(policy); a dispatcher passed here replaces the policy's guard)
 * and a clock in ms.
 */
export interface HttpCheckOptions {
  readonly signal?: AbortSignal;
  readonly policy?: NetworkPolicy;
  readonly dispatcher?: Dispatcher;
  readonly now?: () => number;
}

const PUBLIC_ONLY: NetworkPolicy = { allowPrivateTargets: false };

/**
 * Runs one HTTP probe and assesses the final response against the spec. Never throws: a network error,
 * a timeout (spec.timeoutMs over the whole probe: redirects, headers and body), a cancellation through
 * options.signal and every failed assertion become an outcome whose reason names the most important
 * problem first (network/timeout, then status, body, JSON, latency). durationMs covers the whole probe.
 */
export async function runHttpCheck(spec: HttpSpec, options: HttpCheckOptions = {}): Promise<CheckOutcome> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const deadline = startDeadline(spec.timeoutMs, options.signal);
  try {
    const dispatcher = options.dispatcher ?? probeDispatcher(options.policy ?? PUBLIC_ONLY);
    const response = await fetchFinalResponse(spec, dispatcher, deadline.signal);
    return assessResponse(spec, response, Math.round(now() - started));
  } catch (error) {
    return {
      ok: false,
      slow: false,
      reason: failureReason(error, deadline, spec),
      durationMs: Math.round(now() - started),
    };
  } finally {
    deadline.dispose();
  }
}

function failureReason(error: unknown, deadline: Deadline, spec: HttpSpec): string {
  if (deadline.timedOut()) return `timed out after ${spec.timeoutMs} ms`;
  if (deadline.signal.aborted) return 'probe cancelled before it finished';
  if (error instanceof ProbeFailure) return error.message;
  return `probe failed unexpectedly: ${messageOf(error)}`;
}
