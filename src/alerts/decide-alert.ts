import type { FlapSettings } from '../rules/alert-rule.js';
import { dampFlapping, type FlapState } from '../rules/flap-damping.js';
import type { CurrentAlert } from './alert-status.js';

/** A condition's news for one dedup key: a rule's evaluation, or a direct signal's status. */
export interface ConditionUpdate {
  /** The condition holds now. */
  readonly active: boolean;
  /** `active` flipped with this update. */
  readonly changed: boolean;
  /** The signal said "problem" (a repeat of the condition). */
  readonly problemSignal: boolean;
  readonly autoResolve: boolean;
  readonly flap: FlapSettings;
}

/** What to do with the key's alert. */
export type AlertAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'create'; readonly flapping: boolean }
  | { readonly kind: 'reopen'; readonly flapping: boolean }
  | { readonly kind: 'repeat' }
  | { readonly kind: 'resolve' };

/** The decision for one update: the action, the flap bookkeeping, and flapping flag changes. */
export interface AlertDecision {
  readonly action: AlertAction;
  readonly flap: FlapState;
  readonly startedFlapping: boolean;
  readonly stoppedFlapping: boolean;
}

/**
 * Decides what one condition update does to a dedup key's alert. Pure: time comes in as `now`.
 *
 * - Firing while an alert is open (firing or acknowledged) repeats it: one alert per condition,
 *   however often the sender repeats itself.
 * - Firing with no open alert creates one — or reopens the last one when it resolved less than
 *   one flap window ago or the key is flapping, so a condition that comes and goes is one alert.
 * - Clearing resolves the open alert when the rule auto-resolves, unless the key is flapping:
 *   a flapping alert stays open, marked, until the flapping stops (see rules/flap-damping.ts);
 *   then it resolves if the condition is clear by then.
 */
export function decideAlert(
  current: CurrentAlert | null,
  flapState: FlapState,
  update: ConditionUpdate,
  now: number,
): AlertDecision {
  const damped = dampFlapping(flapState, update.changed, update.flap, now);
  const flapping = damped.state.flapping;
  const open = current !== null && current.status !== 'resolved';
  const result = (action: AlertAction): AlertDecision => ({
    action,
    flap: damped.state,
    startedFlapping: damped.startedFlapping,
    stoppedFlapping: damped.stoppedFlapping,
  });

  if (update.active) {
    if (open) return result(update.changed || update.problemSignal ? { kind: 'repeat' } : { kind: 'none' });
    if (!update.changed && !update.problemSignal) return result({ kind: 'none' });
    const recentlyResolved =
      current?.resolvedAt !== null && current?.resolvedAt !== undefined
        ? now - current.resolvedAt < update.flap.windowMs
        : false;
    if (current !== null && (recentlyResolved || flapping)) return result({ kind: 'reopen', flapping });
    return result({ kind: 'create', flapping });
  }
  if (!open || !update.autoResolve) return result({ kind: 'none' });
  if (flapping) return result({ kind: 'none' });
  // Cleared just now, or flapping just stopped with the condition clear.
  if (update.changed || damped.stoppedFlapping || current.flapping) return result({ kind: 'resolve' });
  return result({ kind: 'none' });
}
