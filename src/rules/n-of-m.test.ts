import { describe, expect, it } from 'vitest';
import { ruleCommon, signal } from '../../test/support/signals.js';
import { INITIAL_RULE_STATE, type NOfMRule, type RuleState } from './alert-rule.js';
import { evaluateNOfM } from './n-of-m.js';
import type { Signal } from './signal.js';

const RULE: NOfMRule = {
  ...ruleCommon({ key: 'flaky-hub', name: 'Flaky hub' }),
  kind: 'n_of_m',
  n: 3,
  m: 5,
};

type Outcome = 'fire' | 'clear' | '-';

function probe(status: Signal['status'], occurredAt: number): Signal {
  return signal({ type: 'hub_probe', dedupKey: 'hub_probe', status, summary: 'probe', occurredAt });
}

/** Feeds statuses ('P' problem, 'o' ok, '.' tick) a second apart; returns what each did and the end state. */
function run(statuses: string, rule = RULE): { outcomes: Outcome[]; state: RuleState } {
  let state = INITIAL_RULE_STATE;
  const outcomes = [...statuses].map((c, i): Outcome => {
    const at = (i + 1) * 1000;
    const next = evaluateNOfM(state, c === '.' ? null : probe(c === 'P' ? 'problem' : 'ok', at), rule, at);
    state = next.state;
    if (!next.changed) return '-';
    return next.state.active ? 'fire' : 'clear';
  });
  return { outcomes, state };
}

describe('evaluateNOfM (3 of 5)', () => {
  const table: ReadonlyArray<[string, string, readonly Outcome[]]> = [
    ['fires at the third problem among the last five', 'PoPoP', ['-', '-', '-', '-', 'fire']],
    ['fires before five signals arrived when three are problems', 'PPP', ['-', '-', 'fire']],
    ['does not fire when problems are spread wider than five', 'PoooPoooP', Array(9).fill('-')],
    ['stays active while three of the last five are problems', 'PPPoo', ['-', '-', 'fire', '-', '-']],
    ['clears when the third-last problem slides out', 'PPPooo', ['-', '-', 'fire', '-', '-', 'clear']],
    ['does nothing on clock ticks', 'PP..P', ['-', '-', '-', '-', 'fire']],
  ];

  it.each(table)('%s', (_name, statuses, expected) => {
    expect(run(statuses).outcomes).toEqual(expected);
  });

  it('keeps only the last m statuses', () => {
    expect(run('PPPPPPPPoo').state.data.recent).toEqual(['problem', 'problem', 'problem', 'ok', 'ok']);
  });

  it('says how many of the last signals were problems', () => {
    const { state } = run('PP');
    expect(evaluateNOfM(state, probe('problem', 3000), RULE, 3000).reason).toBe(
      '3 of the last 3 signals were problems',
    );
  });
});
