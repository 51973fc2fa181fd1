import type { RuleEvaluation, RuleState } from './alert-rule.js';

/**
 * The evaluation that makes a rule `active` with the given `data` and `lastSignalAt`: `since`
 * moves to `now` and `reason` is given only when `active` changed.
 */
export function settleRule(
  state: RuleState,
  active: boolean,
  data: RuleState['data'],
  lastSignalAt: number | null,
  now: number,
  reason: string,
): RuleEvaluation {
  const changed = active !== state.active;
  return {
    state: { active, since: changed ? now : state.since, lastSignalAt, data },
    changed,
    reason: changed ? reason : null,
  };
}
