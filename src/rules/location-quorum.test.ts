import { describe, expect, it } from 'vitest';
import { ruleCommon, signal } from '../../test/support/signals.js';
import { INITIAL_RULE_STATE, type LocationQuorumRule } from './alert-rule.js';
import { evaluateQuorum } from './location-quorum.js';
import type { Signal } from './signal.js';

const MIN = 60_000;

const RULE: LocationQuorumRule = {
  ...ruleCommon({
    key: 'hub-down-quorum',
    name: 'Hub down from two locations',
    match: { sources: ['check'], types: [], labels: [] },
    severity: 'P1',
  }),
  kind: 'quorum',
  quorum: 2,
  staleAfterMs: 10 * MIN,
};

/** One step: the minute, and a location's status (location null = a signal without one), or 'tick'. */
type Step = readonly [minute: number, location: string | null | 'tick', status?: Signal['status']];
type Outcome = 'fire' | 'clear' | '-';

function probe(location: string | null, status: Signal['status'], occurredAt: number): Signal {
  return signal({
    source: 'check',
    type: 'monitor',
    dedupKey: 'pangeo/hub',
    status,
    component: 'pangeo/hub',
    summary: 'hub probe',
    occurredAt,
    ...(location === null ? {} : { location }),
  });
}

function run(steps: readonly Step[]): Outcome[] {
  let state = INITIAL_RULE_STATE;
  let now = 0;
  return steps.map(([minute, location, status = 'ok']): Outcome => {
    now = Math.max(now, minute * MIN);
    const input = location === 'tick' ? null : probe(location, status, minute * MIN);
    const next = evaluateQuorum(state, input, RULE, now);
    state = next.state;
    if (!next.changed) return '-';
    return next.state.active ? 'fire' : 'clear';
  });
}

describe('evaluateQuorum (2 locations, stale after 10 min)', () => {
  const table: ReadonlyArray<[string, readonly Step[], readonly Outcome[]]> = [
    [
      'does not fire on one failing location',
      [
        [0, 'eu', 'problem'],
        [1, 'us', 'ok'],
      ],
      ['-', '-'],
    ],
    [
      'fires when two locations see a problem',
      [
        [0, 'eu', 'problem'],
        [1, 'us', 'problem'],
      ],
      ['-', 'fire'],
    ],
    [
      'clears when a location recovers',
      [
        [0, 'eu', 'problem'],
        [1, 'us', 'problem'],
        [2, 'us', 'ok'],
      ],
      ['-', 'fire', 'clear'],
    ],
    [
      'counts a signal without a location as location default',
      [
        [0, null, 'problem'],
        [1, 'eu', 'problem'],
      ],
      ['-', 'fire'],
    ],
    [
      'does not count one location twice',
      [
        [0, 'eu', 'problem'],
        [1, 'eu', 'problem'],
      ],
      ['-', '-'],
    ],
    [
      'does not count a location whose latest signal is stale',
      [
        [0, 'eu', 'problem'],
        [11, 'us', 'problem'],
      ],
      ['-', '-'],
    ],
    [
      'counts a location exactly staleAfter old',
      [
        [0, 'eu', 'problem'],
        [10, 'us', 'problem'],
      ],
      ['-', 'fire'],
    ],
    [
      'clears on a tick once a failing location goes stale',
      [
        [0, 'eu', 'problem'],
        [5, 'us', 'problem'],
        [10, 'tick'],
        [11, 'tick'],
      ],
      ['-', 'fire', '-', 'clear'],
    ],
    [
      'ignores a late signal older than its location latest one',
      [
        [5, 'eu', 'problem'],
        [6, 'us', 'ok'],
        [4, 'us', 'problem'],
      ],
      ['-', '-', '-'],
    ],
  ];

  it.each(table)('%s', (_name, steps, expected) => {
    expect(run(steps)).toEqual(expected);
  });

  it('says which locations see the problem', () => {
    const first = evaluateQuorum(INITIAL_RULE_STATE, probe('us', 'problem', 0), RULE, 0);
    expect(evaluateQuorum(first.state, probe('eu', 'problem', 0), RULE, 0).reason).toBe(
      '2 of 2 locations see a problem (eu, us), quorum 2',
    );
  });

  it('drops stale locations from its state', () => {
    const first = evaluateQuorum(INITIAL_RULE_STATE, probe('eu', 'problem', 0), RULE, 0);
    const later = evaluateQuorum(first.state, probe('us', 'ok', 30 * MIN), RULE, 30 * MIN);
    expect(later.state.data).toEqual({ locations: { us: { status: 'ok', at: 30 * MIN } } });
  });
});
