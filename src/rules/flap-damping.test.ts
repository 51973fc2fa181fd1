import { describe, expect, it } from 'vitest';
import type { FlapSettings } from './alert-rule.js';
import { dampFlapping, type FlapState, INITIAL_FLAP_STATE } from './flap-damping.js';

const SEC = 1000;
const MIN = 60 * SEC;
const SETTINGS: FlapSettings = { maxChanges: 6, windowMs: 30 * MIN };

/** One step: the second it happens at, and whether the condition changed then. */
type Step = readonly [second: number, changed: boolean];
type Outcome = 'start' | 'stop' | '-';

function run(steps: readonly Step[], settings = SETTINGS): { outcomes: Outcome[]; state: FlapState } {
  let state = INITIAL_FLAP_STATE;
  const outcomes = steps.map(([second, changed]): Outcome => {
    const decision = dampFlapping(state, changed, settings, second * SEC);
    state = decision.state;
    if (decision.startedFlapping) return 'start';
    return decision.stoppedFlapping ? 'stop' : '-';
  });
  return { outcomes, state };
}

/** `count` steps `every` seconds apart from `from`, all changes or all quiet ticks. */
function steps(from: number, every: number, count: number, changed: boolean): Step[] {
  return Array.from({ length: count }, (_, i): Step => [from + i * every, changed]);
}

describe('dampFlapping (more than 6 changes in 30 min)', () => {
  const table: ReadonlyArray<[string, readonly Step[], readonly Outcome[]]> = [
    ['does not flap at 6 changes in the window', steps(0, 60, 6, true), Array(6).fill('-')],
    [
      'starts flapping at the 7th change in the window',
      steps(0, 60, 7, true),
      [...Array(6).fill('-'), 'start'],
    ],
    [
      'does not flap when changes are spread wider than the window',
      steps(0, 6 * 60, 12, true),
      Array(12).fill('-'),
    ],
    [
      'counts a change exactly windowMs old',
      [...steps(0, 5 * 60, 6, true), [30 * 60, true]],
      [...Array(6).fill('-'), 'start'],
    ],
    [
      'keeps flapping until the window holds 3 changes or fewer (hysteresis)',
      // 7 changes a minute apart (0..6 min); they age out from minute 30 + 1 s on.
      [
        ...steps(0, 60, 7, true),
        [31 * 60 + 1, false],
        [32 * 60 + 1, false],
        [33 * 60 + 1, false],
        [34 * 60, false],
      ],
      [...Array(6).fill('-'), 'start', '-', '-', 'stop', '-'],
    ],
  ];

  it.each(table)('%s', (_name, input, expected) => {
    expect(run(input).outcomes).toEqual(expected);
  });

  it('starts flapping exactly once over an hour of changes every 30 s, and stops after a quiet period', () => {
    const hour = steps(0, 30, 120, true);
    const quiet = steps(3600, 30, 80, false);
    const { outcomes } = run([...hour, ...quiet]);

    expect(outcomes.filter((o) => o === 'start')).toHaveLength(1);
    expect(outcomes.indexOf('start')).toBe(6);
    expect(outcomes.slice(0, 120).filter((o) => o === 'stop')).toHaveLength(0);
    expect(outcomes.filter((o) => o === 'stop')).toHaveLength(1);
    // The last change is at 3570 s; the 4th newest (3480 s) ages out after 3480 + 1800 s.
    const stoppedAt = hour.length + quiet.findIndex(([second]) => second > 3480 + 1800);
    expect(outcomes.indexOf('stop')).toBe(stoppedAt);
  });

  it('stays flapping through the noisy hour', () => {
    let state = INITIAL_FLAP_STATE;
    const flapping = steps(0, 30, 120, true).map(([second]) => {
      state = dampFlapping(state, true, SETTINGS, second * SEC).state;
      return state.flapping;
    });
    expect(flapping.slice(6).every(Boolean)).toBe(true);
  });

  it('keeps at most maxChanges + 1 change times', () => {
    expect(run(steps(0, 30, 120, true)).state.changes).toHaveLength(7);
  });
});
