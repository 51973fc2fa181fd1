import { describe, expect, it } from 'vitest';
import { ruleCommon, signal } from '../../test/support/signals.js';
import { type HeartbeatMissingRule, INITIAL_RULE_STATE } from './alert-rule.js';
import { evaluateHeartbeatMissing } from './heartbeat-missing.js';
import type { Signal } from './signal.js';

const MIN = 60_000;

const RULE: HeartbeatMissingRule = {
  ...ruleCommon({
    key: 'nightly-backup',
    name: 'Nightly backup',
    match: { sources: [], types: ['backup_done'], labels: [] },
  }),
  kind: 'heartbeat_missing',
  expectEveryMs: 60 * MIN,
  graceMs: 10 * MIN,
};

/** One step: the minute, and an ok heartbeat, a reported failure, or a clock tick. */
type Step = readonly [minute: number, kind: 'ok' | 'fail' | 'tick'];
type Outcome = 'fire' | 'clear' | '-';

function heartbeat(status: Signal['status'], occurredAt: number): Signal {
  const summary = status === 'ok' ? '' : 'pg_dump exited 1';
  return signal({
    source: 'heartbeat',
    type: 'backup_done',
    dedupKey: 'pangeo/backup',
    status,
    summary,
    occurredAt,
  });
}

function run(steps: readonly Step[]): Outcome[] {
  let state = INITIAL_RULE_STATE;
  return steps.map(([minute, kind]): Outcome => {
    const now = minute * MIN;
    const input = kind === 'tick' ? null : heartbeat(kind === 'ok' ? 'ok' : 'problem', now);
    const next = evaluateHeartbeatMissing(state, input, RULE, now);
    state = next.state;
    if (!next.changed) return '-';
    return next.state.active ? 'fire' : 'clear';
  });
}

describe('evaluateHeartbeatMissing (every 1h, 10m grace)', () => {
  const table: ReadonlyArray<[string, readonly Step[], readonly Outcome[]]> = [
    [
      'fires on the first tick more than 1h10m after the last heartbeat',
      [
        [0, 'ok'],
        [60, 'tick'],
        [70, 'tick'],
        [71, 'tick'],
        [80, 'tick'],
      ],
      ['-', '-', '-', 'fire', '-'],
    ],
    [
      'stays quiet while heartbeats keep coming',
      [
        [0, 'ok'],
        [60, 'ok'],
        [125, 'tick'],
        [130, 'ok'],
      ],
      ['-', '-', '-', '-'],
    ],
    [
      'clears on the next heartbeat',
      [
        [0, 'ok'],
        [90, 'tick'],
        [95, 'ok'],
      ],
      ['-', 'fire', 'clear'],
    ],
    [
      'fires at once when the job reports a failure',
      [
        [0, 'ok'],
        [30, 'fail'],
        [40, 'tick'],
      ],
      ['-', 'fire', '-'],
    ],
    [
      'clears a reported failure on the next heartbeat',
      [
        [0, 'fail'],
        [60, 'ok'],
      ],
      ['fire', 'clear'],
    ],
    [
      'fires nothing before the first heartbeat ever arrived',
      [
        [0, 'tick'],
        [600, 'tick'],
      ],
      ['-', '-'],
    ],
  ];

  it.each(table)('%s', (_name, steps, expected) => {
    expect(run(steps)).toEqual(expected);
  });

  it('says what has been missing for how long', () => {
    const state = evaluateHeartbeatMissing(INITIAL_RULE_STATE, heartbeat('ok', 0), RULE, 0).state;
    expect(evaluateHeartbeatMissing(state, null, RULE, 70 * MIN + 1000)).toMatchObject({
      changed: true,
      reason: 'no backup_done for 1h10m1s',
      state: { active: true, since: 70 * MIN + 1000, lastSignalAt: 0 },
    });
  });

  it('says what the job reported when it failed', () => {
    expect(evaluateHeartbeatMissing(INITIAL_RULE_STATE, heartbeat('problem', 0), RULE, 0).reason).toBe(
      'backup_done reported a failure: pg_dump exited 1',
    );
  });
});
