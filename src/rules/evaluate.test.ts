import { describe, expect, it } from 'vitest';
import type { CheckOutcome } from '../checks/check-outcome.js';
import type { ConsecutiveRule } from './consecutive-rule.js';
import { evaluate } from './evaluate.js';
import { componentStatusFor, INITIAL_STATE, type MonitorState, type MonitorStatus } from './monitor-state.js';

const OK: CheckOutcome = { ok: true, slow: false, reason: null, durationMs: 20 };
const FAIL: CheckOutcome = { ok: false, slow: false, reason: 'expected status 200, got 503', durationMs: 20 };
const SLOW: CheckOutcome = {
  ok: false,
  slow: true,
  reason: 'response took 2300 ms, limit 1000 ms',
  durationMs: 2300,
};
const RULE: ConsecutiveRule = { failAfter: 2, recoverAfter: 2, impact: 'major_outage', quorum: 1 };

/** Runs outcomes through evaluate and returns the status after each one. */
function statuses(outcomes: readonly CheckOutcome[], rule = RULE, start: MonitorState = INITIAL_STATE) {
  let state = start;
  return outcomes.map((outcome, i) => {
    state = evaluate(state, outcome, rule, 1_000 * (i + 1)).state;
    return state.status;
  });
}

describe('evaluate (consecutive rule)', () => {
  const table: ReadonlyArray<[string, readonly CheckOutcome[], readonly MonitorStatus[]]> = [
    ['stays unknown until recoverAfter successes, then is up', [OK, OK, OK], ['unknown', 'up', 'up']],
    [
      'goes down only at the failAfter-th consecutive failure',
      [OK, OK, FAIL, FAIL],
      ['unknown', 'up', 'up', 'down'],
    ],
    [
      'ignores a single failure between successes',
      [OK, OK, FAIL, OK, FAIL, OK],
      ['unknown', 'up', 'up', 'up', 'up', 'up'],
    ],
    [
      'needs recoverAfter consecutive successes to come back',
      [FAIL, FAIL, OK, FAIL, OK, OK],
      ['unknown', 'down', 'down', 'down', 'down', 'up'],
    ],
    [
      'is degraded when the failures are latency only',
      [OK, OK, SLOW, SLOW],
      ['unknown', 'up', 'up', 'degraded'],
    ],
    [
      'follows the latest failure kind while failing',
      [FAIL, FAIL, SLOW, FAIL],
      ['unknown', 'down', 'degraded', 'down'],
    ],
    [
      'counts latency and hard failures in one streak; the latest decides',
      [OK, OK, FAIL, SLOW],
      ['unknown', 'up', 'up', 'degraded'],
    ],
    ['reaches a verdict from unknown on failures alone', [FAIL, FAIL], ['unknown', 'down']],
  ];

  it.each(table)('%s', (_name, outcomes, expected) => {
    expect(statuses(outcomes)).toEqual(expected);
  });

  it('goes down at the first failure when failAfter is 1, and up at the first success when recoverAfter is 1', () => {
    const rule: ConsecutiveRule = { failAfter: 1, recoverAfter: 1, impact: 'partial_outage', quorum: 1 };
    expect(statuses([OK, FAIL, OK], rule)).toEqual(['up', 'down', 'up']);
  });

  it('records when the status changed and why, and keeps the time while it does not change', () => {
    const first = evaluate(INITIAL_STATE, FAIL, RULE, 1_000);
    expect(first).toMatchObject({
      changed: false,
      reason: null,
      state: { since: null, consecutiveFailures: 1 },
    });
    const second = evaluate(first.state, FAIL, RULE, 2_000);
    expect(second.changed).toBe(true);
    expect(second.state.since).toBe(2_000);
    expect(second.reason).toBe('2 consecutive failures: expected status 200, got 503');
    const third = evaluate(second.state, FAIL, RULE, 3_000);
    expect(third).toMatchObject({ changed: false, state: { since: 2_000, consecutiveFailures: 3 } });
  });

  it('maps monitor status to the component status the rule asks for', () => {
    expect(componentStatusFor('down', RULE)).toBe('major_outage');
    expect(componentStatusFor('down', { ...RULE, impact: 'partial_outage' })).toBe('partial_outage');
    expect(componentStatusFor('degraded', RULE)).toBe('degraded_performance');
    expect(componentStatusFor('unknown', RULE)).toBe('operational');
    expect(componentStatusFor('up', RULE)).toBe('operational');
  });
});
