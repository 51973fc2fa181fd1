import type { FlapSettings } from './alert-rule.js';

/** Recent condition change times (epoch ms, oldest first; bounded) and whether the alert is flapping. */
export interface FlapState {
  readonly changes: readonly number[];
  readonly flapping: boolean;
}

export const INITIAL_FLAP_STATE: FlapState = { changes: [], flapping: false };

/** The next flap state, and whether this step made the alert start or stop flapping. */
export interface FlapDecision {
  readonly state: FlapState;
  readonly startedFlapping: boolean;
  readonly stoppedFlapping: boolean;
}

/**
 * Records a condition change at `now` (changed=true) or just lets time pass (changed=false).
 *
 * Counts the changes within the last `windowMs` (inclusive). Flapping starts when that count
 * exceeds `maxChanges`, and stops only when it drops to `floor(maxChanges / 2)` or fewer — the
 * gap (hysteresis) keeps an alert near the threshold from toggling between flapping and not.
 * Keeps at most `maxChanges + 1` change times: a count saturated there is still above both
 * thresholds, so no decision needs more. Pure: time comes in as `now`.
 */
export function dampFlapping(
  state: FlapState,
  changed: boolean,
  settings: FlapSettings,
  now: number,
): FlapDecision {
  const maxChanges = Math.max(0, settings.maxChanges);
  const recent = state.changes.filter((at) => now - at <= settings.windowMs);
  if (changed) recent.push(now);
  const changes = recent.slice(-(maxChanges + 1));
  const flapping = state.flapping ? changes.length > Math.floor(maxChanges / 2) : changes.length > maxChanges;
  return {
    state: { changes, flapping },
    startedFlapping: flapping && !state.flapping,
    stoppedFlapping: !flapping && state.flapping,
  };
}
