import type { NOfMRule, RuleEvaluator } from './alert-rule.js';

type Status = 'problem' | 'ok';

/**
 * Active while at least `n` of the last `m` signals (in arrival order) are problems; clears as
 * soon as fewer are. Before `m` signals arrived, the ones so far count. Clock ticks change
 * nothing. State data: `{ recent }`, the last `m` statuses, oldest first.
 */
export const evaluateNOfM: RuleEvaluator<NOfMRule> = (state, signal, rule, now) => {
  if (signal === null) return { state, changed: false, reason: null };
  const recent = [...statuses(state.data.recent), signal.status].slice(-Math.max(1, rule.m));
  const problems = recent.filter((status) => status === 'problem').length;
  const active = problems >= Math.max(1, rule.n);
  const changed = active !== state.active;
  return {
    state: { active, since: changed ? now : state.since, lastSignalAt: now, data: { recent } },
    changed,
    reason: changed ? describe(active, problems, recent.length, rule.n) : null,
  };
};

function statuses(value: unknown): Status[] {
  if (!Array.isArray(value)) return [];
  return value.filter((status): status is Status => status === 'problem' || status === 'ok');
}

function describe(active: boolean, problems: number, of: number, n: number): string {
  const tally = `${problems} of the last ${of} ${of === 1 ? 'signal' : 'signals'}`;
  return active ? `${tally} were problems` : `only ${tally} were problems (${n} needed)`;
}
