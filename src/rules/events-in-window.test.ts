import { describe, expect, it } from 'vitest';
import { ruleCommon, signal } from '../../test/support/signals.js';
import { type EventsInWindowRule, INITIAL_RULE_STATE, type RuleState } from './alert-rule.js';
import { evaluateEventsInWindow } from './events-in-window.js';
import type { Signal } from './signal.js';

const MIN = 60_000;

const RULE: EventsInWindowRule = {
  ...ruleCommon({
    key: 'server-start',
    name: 'User servers fail to start',
    match: { sources: [], types: ['server_start_failed'], labels: [] },
    severity: 'P2',
  }),
  kind: 'events_in_window',
  count: 2,
  windowMs: 30 * MIN,
  consecutive: true,
  resetTypes: ['server_start_succeeded'],
};

/** What arrives: a failed start, an ok of the failed type, a success event, an unrelated problem, or a tick. */
type Kind = 'fail' | 'ok' | 'succeeded' | 'other' | 'tick';
/** One step: the minute the signal occurred at (or the tick's time), and what it is. */
type Step = readonly [minute: number, kind: Kind];
type Outcome = 'fire' | 'clear' | '-';

const SIGNALS = {
  fail: ['server_start_failed', 'problem'],
  ok: ['server_start_failed', 'ok'],
  succeeded: ['server_start_succeeded', 'ok'],
  other: ['hub_slow', 'problem'],
} as const;

function event(type: string, status: Signal['status'], occurredAt: number): Signal {
  return signal({
    type,
    dedupKey: `${type}-${occurredAt}`,
    status,
    summary: `${type} for user ada`,
    occurredAt,
  });
}

function arriving(kind: Exclude<Kind, 'tick'>, minute: number): Signal {
  const [type, status] = SIGNALS[kind];
  return event(type, status, minute * MIN);
}

/**
 * Runs the steps in arrival order (a signal arrives no earlier than the latest one, so a late
 * signal's `now` is later than its `occurredAt`) and returns what each step did.
 */
function run(steps: readonly Step[], rule = RULE): { outcomes: Outcome[]; state: RuleState } {
  let state = INITIAL_RULE_STATE;
  let now = 0;
  const outcomes = steps.map(([minute, kind]): Outcome => {
    now = Math.max(now, minute * MIN);
    const next = evaluateEventsInWindow(state, kind === 'tick' ? null : arriving(kind, minute), rule, now);
    state = next.state;
    if (!next.changed) return '-';
    return next.state.active ? 'fire' : 'clear';
  });
  return { outcomes, state };
}

describe('evaluateEventsInWindow', () => {
  const consecutive: ReadonlyArray<[string, readonly Step[], readonly Outcome[]]> = [
    [
      'fires once when two server starts fail within 30 min',
      [
        [0, 'fail'],
        [10, 'fail'],
      ],
      ['-', 'fire'],
    ],
    [
      'fires when the two failures are exactly 30 min apart',
      [
        [0, 'fail'],
        [30, 'fail'],
      ],
      ['-', 'fire'],
    ],
    [
      'does not fire when the two failures are 31 min apart',
      [
        [0, 'fail'],
        [31, 'fail'],
      ],
      ['-', '-'],
    ],
    [
      'does not fire when an ok start of the same type lies between the failures',
      [
        [0, 'fail'],
        [5, 'ok'],
        [10, 'fail'],
      ],
      ['-', '-', '-'],
    ],
    [
      'does not fire when a server_start_succeeded event lies between the failures',
      [
        [0, 'fail'],
        [5, 'succeeded'],
        [10, 'fail'],
      ],
      ['-', '-', '-'],
    ],
    [
      'fires only once for three failures in a row',
      [
        [0, 'fail'],
        [5, 'fail'],
        [10, 'fail'],
      ],
      ['-', 'fire', '-'],
    ],
    [
      'counts a failure after a reset afresh',
      [
        [0, 'fail'],
        [5, 'succeeded'],
        [10, 'fail'],
        [20, 'fail'],
      ],
      ['-', '-', '-', 'fire'],
    ],
    [
      'ignores problems of other types',
      [
        [0, 'fail'],
        [5, 'other'],
        [10, 'other'],
      ],
      ['-', '-', '-'],
    ],
    [
      'clears on a success once fired, and fires again on the next two failures',
      [
        [0, 'fail'],
        [5, 'fail'],
        [60, 'succeeded'],
        [70, 'fail'],
        [80, 'fail'],
      ],
      ['-', 'fire', 'clear', '-', 'fire'],
    ],
    [
      'clears on an ok start of the failed type',
      [
        [0, 'fail'],
        [5, 'fail'],
        [60, 'ok'],
      ],
      ['-', 'fire', 'clear'],
    ],
    [
      'stays active through hours of silence and further failures',
      [
        [0, 'fail'],
        [5, 'fail'],
        [180, 'tick'],
        [240, 'fail'],
        [600, 'tick'],
      ],
      ['-', 'fire', '-', '-', '-'],
    ],
    [
      'places a late failure by when it occurred, inside the window',
      [
        [40, 'fail'],
        [15, 'fail'],
      ],
      ['-', 'fire'],
    ],
    [
      'drops a late failure that occurred more than 30 min before the newest',
      [
        [50, 'fail'],
        [15, 'fail'],
      ],
      ['-', '-'],
    ],
    [
      'ignores a late failure that occurred before the latest success',
      [
        [0, 'fail'],
        [10, 'succeeded'],
        [5, 'fail'],
        [20, 'fail'],
      ],
      ['-', '-', '-', '-'],
    ],
    [
      'stays active on a late success when failures after it still make the count',
      [
        [0, 'fail'],
        [10, 'fail'],
        [20, 'fail'],
        [5, 'succeeded'],
      ],
      ['-', 'fire', '-', '-'],
    ],
    [
      'clears on a late success when the failures after it fall short of the count',
      [
        [0, 'fail'],
        [10, 'fail'],
        [20, 'fail'],
        [15, 'succeeded'],
      ],
      ['-', 'fire', '-', 'clear'],
    ],
  ];

  it.each(consecutive)('%s', (_name, steps, expected) => {
    expect(run(steps).outcomes).toEqual(expected);
  });

  const nonConsecutive: ReadonlyArray<[string, readonly Step[], readonly Outcome[]]> = [
    [
      'fires despite an ok start between the failures',
      [
        [0, 'fail'],
        [5, 'ok'],
        [10, 'fail'],
      ],
      ['-', '-', 'fire'],
    ],
    [
      'still resets on a reset type',
      [
        [0, 'fail'],
        [5, 'succeeded'],
        [10, 'fail'],
      ],
      ['-', '-', '-'],
    ],
    [
      'does not clear on an ok start once fired',
      [
        [0, 'fail'],
        [5, 'fail'],
        [60, 'ok'],
      ],
      ['-', 'fire', '-'],
    ],
  ];

  it.each(nonConsecutive)('without consecutive, %s', (_name, steps, expected) => {
    expect(run(steps, { ...RULE, consecutive: false }).outcomes).toEqual(expected);
  });

  it('counts problems of any type when the rule names no types', () => {
    const rule: EventsInWindowRule = { ...RULE, match: { ...RULE.match, types: [] } };
    expect(
      run(
        [
          [0, 'fail'],
          [5, 'other'],
        ],
        rule,
      ).outcomes,
    ).toEqual(['-', 'fire']);
  });

  it('says why it fired and records when', () => {
    let state = INITIAL_RULE_STATE;
    state = evaluateEventsInWindow(state, event('server_start_failed', 'problem', 0), RULE, 1_000).state;
    const fired = evaluateEventsInWindow(
      state,
      event('server_start_failed', 'problem', 10 * MIN),
      RULE,
      11 * MIN,
    );
    expect(fired).toMatchObject({
      changed: true,
      reason: '2 server_start_failed events within 30m',
      state: { active: true, since: 11 * MIN, lastSignalAt: 11 * MIN },
    });
  });

  it('keeps at most count event times, all within the window', () => {
    const steps = Array.from({ length: 50 }, (_, i): Step => [i * 7, 'fail']);
    const { state } = run(steps);
    expect(state.data.events).toEqual([48 * 7 * MIN, 49 * 7 * MIN]);
  });

  it('leaves the state alone on a clock tick', () => {
    const { state } = run([[0, 'fail']]);
    expect(evaluateEventsInWindow(state, null, RULE, 90 * MIN)).toEqual({
      state,
      changed: false,
      reason: null,
    });
  });
});
