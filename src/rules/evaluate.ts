import type { CheckOutcome } from '../checks/check-outcome.js';
import type { ConsecutiveRule } from './consecutive-rule.js';
import type { MonitorState, MonitorStatus } from './monitor-state.js';

/** The next state, and whether the status moved (a transition the caller records as a row). */
export interface Evaluation {
  readonly state: MonitorState;
  readonly changed: boolean;
  /** Why, in words, when `changed`: "2 consecutive failures: expected status 200, got 503". */
  readonly reason: string | null;
}

/**
 * Folds one check outcome into a monitor's state. Pure: time comes in as `now`.
 *
 * - A failure (any assertion, latency included) resets the success streak and adds to
 *   the failure streak; at `failAfter` the monitor is down, or degraded when the
 *   latest failure was latency only. While failing, it follows the latest failure's kind.
 * - A success resets the failure streak; at `recoverAfter` a failing monitor is up again.
 * - The very first verdict of an unknown monitor: up on a success (after `recoverAfter`
 *   successes), or the failing status once `failAfter` is reached.
 */
export function evaluate(
  state: MonitorState,
  outcome: CheckOutcome,
  rule: ConsecutiveRule,
  now: number,
): Evaluation {
  const failures = outcome.ok ? 0 : state.consecutiveFailures + 1;
  const successes = outcome.ok ? state.consecutiveSuccesses + 1 : 0;
  const next = nextStatus(state.status, outcome, failures, successes, rule);
  const changed = next !== state.status;
  return {
    state: {
      status: next,
      consecutiveFailures: failures,
      consecutiveSuccesses: successes,
      since: changed ? now : state.since,
    },
    changed,
    reason: changed ? describe(next, outcome, failures, successes) : null,
  };
}

function nextStatus(
  current: MonitorStatus,
  outcome: CheckOutcome,
  failures: number,
  successes: number,
  rule: ConsecutiveRule,
): MonitorStatus {
  if (outcome.ok) {
    if (current === 'up') return 'up';
    return successes >= rule.recoverAfter ? 'up' : current;
  }
  const failing: MonitorStatus = outcome.slow ? 'degraded' : 'down';
  if (current === 'down' || current === 'degraded') return failing;
  return failures >= rule.failAfter ? failing : current;
}

function describe(next: MonitorStatus, outcome: CheckOutcome, failures: number, successes: number): string {
  if (next === 'up') return `${plural(successes, 'consecutive success', 'consecutive successes')}`;
  return `${plural(failures, 'consecutive failure', 'consecutive failures')}: ${outcome.reason ?? 'check failed'}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
