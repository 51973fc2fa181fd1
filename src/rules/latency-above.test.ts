import { describe, expect, it } from 'vitest';
import { ruleCommon, signal } from '../../test/support/signals.js';
import { INITIAL_RULE_STATE, type LatencyRule } from './alert-rule.js';
import { evaluateLatency } from './latency-above.js';
import type { Signal } from './signal.js';

const MIN = 60_000;

const RULE: LatencyRule = {
  ...ruleCommon({ key: 'hub-slow', name: 'Hub slow', match: { sources: ['check'], types: [], labels: [] } }),
  kind: 'latency',
  thresholdMs: 2000,
  forMs: 5 * MIN,
};

/** One step: the minute, and a latency reading in ms, 'none' for a signal without one, or 'tick'. */
type Step = readonly [minute: number, reading: number | 'none' | 'tick'];
type Outcome = 'fire' | 'clear' | '-';

function probe(occurredAt: number, latencyMs?: number): Signal {
  return signal({
    source: 'check',
    type: 'monitor',
    dedupKey: 'pangeo/hub',
    status: 'ok',
    component: 'pangeo/hub',
    summary: 'hub probe',
    occurredAt,
    ...(latencyMs === undefined ? {} : { latencyMs }),
  });
}

/** Runs the steps with `now` at each step's minute (late readings arrive at the latest time seen). */
function run(steps: readonly Step[]): Outcome[] {
  let state = INITIAL_RULE_STATE;
  let now = 0;
  return steps.map(([minute, reading]): Outcome => {
    now = Math.max(now, minute * MIN);
    const input = reading === 'tick' ? null : probe(minute * MIN, reading === 'none' ? undefined : reading);
    const next = evaluateLatency(state, input, RULE, now);
    state = next.state;
    if (!next.changed) return '-';
    return next.state.active ? 'fire' : 'clear';
  });
}

describe('evaluateLatency (above 2000 ms for 5 min)', () => {
  const table: ReadonlyArray<[string, readonly Step[], readonly Outcome[]]> = [
    [
      'fires when readings stay above the threshold for 5 min',
      [
        [0, 2500],
        [2, 2600],
        [5, 2700],
      ],
      ['-', '-', 'fire'],
    ],
    [
      'does not fire before 5 min have passed',
      [
        [0, 2500],
        [4, 2600],
      ],
      ['-', '-'],
    ],
    [
      'starts over after a reading at the threshold',
      [
        [0, 2500],
        [3, 2000],
        [4, 2500],
        [8, 2500],
        [9, 2500],
      ],
      ['-', '-', '-', '-', 'fire'],
    ],
    [
      'fires on a clock tick once the run lasted 5 min',
      [
        [0, 2500],
        [4, 'tick'],
        [5, 'tick'],
      ],
      ['-', '-', 'fire'],
    ],
    [
      'clears on a reading at or below the threshold',
      [
        [0, 2500],
        [5, 2500],
        [6, 2500],
        [7, 1800],
      ],
      ['-', 'fire', '-', 'clear'],
    ],
    [
      'skips signals without a latency reading',
      [
        [0, 2500],
        [5, 'none'],
        [6, 'none'],
        [7, 2500],
      ],
      ['-', '-', '-', 'fire'],
    ],
    [
      'ignores a reading older than the latest one',
      [
        [0, 2500],
        [3, 2500],
        [2, 100],
        [5, 2500],
      ],
      ['-', '-', '-', 'fire'],
    ],
    [
      'does nothing on ticks without a slow reading',
      [
        [0, 100],
        [10, 'tick'],
        [60, 'tick'],
      ],
      ['-', '-', '-'],
    ],
  ];

  it.each(table)('%s', (_name, steps, expected) => {
    expect(run(steps)).toEqual(expected);
  });

  it('returns the state untouched for a signal without a reading', () => {
    const state = evaluateLatency(INITIAL_RULE_STATE, probe(0, 2500), RULE, 0).state;
    expect(evaluateLatency(state, probe(MIN), RULE, MIN)).toEqual({ state, changed: false, reason: null });
  });

  it('says how long latency has been above the threshold and the latest reading', () => {
    const state = evaluateLatency(INITIAL_RULE_STATE, probe(0, 2500), RULE, 0).state;
    expect(evaluateLatency(state, probe(5 * MIN, 3100), RULE, 5 * MIN)).toMatchObject({
      changed: true,
      reason: 'latency above 2000ms for 5m (latest 3100ms)',
      state: { active: true, since: 5 * MIN },
    });
  });
});
