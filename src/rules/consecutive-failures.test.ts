import { describe, expect, it } from 'vitest';
import { ruleCommon, signal } from '../../test/support/signals.js';
import { type ConsecutiveFailuresRule, INITIAL_RULE_STATE } from './alert-rule.js';
import { evaluateConsecutive } from './consecutive-failures.js';
import type { Signal } from './signal.js';

const RULE: ConsecutiveFailuresRule = {
  ...ruleCommon({ key: 'hub-down', name: 'Hub down', severity: 'P1' }),
  kind: 'consecutive',
  failAfter: 2,
  recoverAfter: 2,
};

type Outcome = 'fire' | 'clear' | '-';

function probe(status: Signal['status'], occurredAt: number): Signal {
  const summary = status === 'problem' ? 'hub returned 503' : 'hub is fine';
  return signal({ type: 'hub_probe', dedupKey: 'hub_probe', status, summary, occurredAt });
}

/** Feeds statuses ('P' problem, 'o' ok, '.' tick) a second apart and returns what each did. */
function run(statuses: string, rule = RULE): Outcome[] {
  let state = INITIAL_RULE_STATE;
  return [...statuses].map((c, i): Outcome => {
    const at = (i + 1) * 1000;
    const next = evaluateConsecutive(
      state,
      c === '.' ? null : probe(c === 'P' ? 'problem' : 'ok', at),
      rule,
      at,
    );
    state = next.state;
    if (!next.changed) return '-';
    return next.state.active ? 'fire' : 'clear';
  });
}

describe('evaluateConsecutive', () => {
  const table: ReadonlyArray<[string, string, readonly Outcome[]]> = [
    ['fires at the failAfter-th problem in a row', 'PP', ['-', 'fire']],
    ['ignores a single problem between oks', 'oPoPo', ['-', '-', '-', '-', '-']],
    ['fires only once while problems continue', 'PPPP', ['-', 'fire', '-', '-']],
    ['needs recoverAfter oks in a row to clear', 'PPoPoo', ['-', 'fire', '-', '-', '-', 'clear']],
    ['does nothing on clock ticks', 'P..P..', ['-', '-', '-', 'fire', '-', '-']],
  ];

  it.each(table)('%s', (_name, statuses, expected) => {
    expect(run(statuses)).toEqual(expected);
  });

  it('fires at the first problem and clears at the first ok when both thresholds are 1', () => {
    expect(run('PoP', { ...RULE, failAfter: 1, recoverAfter: 1 })).toEqual(['fire', 'clear', 'fire']);
  });

  it('says why it fired, with the latest summary', () => {
    const first = evaluateConsecutive(INITIAL_RULE_STATE, probe('problem', 1000), RULE, 1000);
    const second = evaluateConsecutive(first.state, probe('problem', 2000), RULE, 2000);
    expect(second).toMatchObject({
      changed: true,
      reason: '2 problems in a row: hub returned 503',
      state: { active: true, since: 2000, lastSignalAt: 2000 },
    });
  });
});
