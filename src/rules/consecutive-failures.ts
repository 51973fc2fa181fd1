import type { ConsecutiveFailuresRule, RuleEvaluator } from './alert-rule.js';

/**
 * `failAfter` problem signals in a row make the condition active; `recoverAfter` ok signals in
 * a row clear it. A signal of the other status starts its streak over. Signals count in arrival
 * order. Clock ticks change nothing. State data: `{ problems, oks }` (the two streaks).
 */
export const evaluateConsecutive: RuleEvaluator<ConsecutiveFailuresRule> = (state, signal, rule, now) => {
  if (signal === null) return { state, changed: false, reason: null };
  const problem = signal.status === 'problem';
  const problems = problem ? count(state.data.problems) + 1 : 0;
  const oks = problem ? 0 : count(state.data.oks) + 1;
  const active = state.active ? problem || oks < rule.recoverAfter : problem && problems >= rule.failAfter;
  const changed = active !== state.active;
  return {
    state: { active, since: changed ? now : state.since, lastSignalAt: now, data: { problems, oks } },
    changed,
    reason: changed ? describe(active, problems, oks, signal.summary) : null,
  };
};

function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
}

function describe(active: boolean, problems: number, oks: number, summary: string): string {
  if (!active) return `${oks} ok ${oks === 1 ? 'signal' : 'signals'} in a row`;
  const streak = `${problems} ${problems === 1 ? 'problem' : 'problems'} in a row`;
  return summary === '' ? streak : `${streak}: ${summary}`;
}
