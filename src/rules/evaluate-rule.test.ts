import { describe, expect, it } from 'vitest';
import { signal as genericSignal, ruleCommon } from '../../test/support/signals.js';
import {
  type AlertRule,
  type EventsInWindowRule,
  type HeartbeatMissingRule,
  INITIAL_RULE_STATE,
  type RuleState,
} from './alert-rule.js';
import { evaluateRule, ruleMatches, subjectOf } from './evaluate-rule.js';
import type { Signal } from './signal.js';

const MIN = 60_000;

const COMMON = ruleCommon();

const SERVER_START: EventsInWindowRule = {
  ...COMMON,
  kind: 'events_in_window',
  match: { sources: ['generic'], types: ['server_start_failed'], labels: [] },
  count: 2,
  windowMs: 30 * MIN,
  consecutive: true,
  resetTypes: ['server_start_succeeded'],
};

const HEARTBEAT: HeartbeatMissingRule = {
  ...COMMON,
  kind: 'heartbeat_missing',
  expectEveryMs: 60 * MIN,
  graceMs: 10 * MIN,
};

/** One rule of every kind, each set to fire (once) within two problem signals a minute apart. */
const EVERY_KIND: readonly AlertRule[] = [
  { ...COMMON, kind: 'consecutive', failAfter: 2, recoverAfter: 1 },
  { ...COMMON, kind: 'n_of_m', n: 2, m: 3 },
  { ...SERVER_START, match: { ...SERVER_START.match, types: [] } },
  { ...COMMON, kind: 'latency', thresholdMs: 1000, forMs: MIN },
  { ...HEARTBEAT },
  { ...COMMON, kind: 'quorum', quorum: 1, staleAfterMs: 10 * MIN },
];

/** A failed server start that also carries a latency reading, so every rule kind can use it. */
function signal(overrides: Partial<Signal> = {}): Signal {
  return genericSignal({
    dedupKey: 'pangeo/server-start',
    summary: 'server for ada failed to start',
    latencyMs: 5000,
    ...overrides,
  });
}

describe('evaluateRule', () => {
  it.each(EVERY_KIND.map((rule) => [rule.kind, rule] as const))(
    'dispatches a %s rule to its evaluator, which fires',
    (_kind, rule) => {
      let state: RuleState = INITIAL_RULE_STATE;
      const changes = [0, MIN].map((at) => {
        const next = evaluateRule(state, signal({ occurredAt: at }), rule, at);
        state = next.state;
        return next.changed;
      });
      expect(changes.filter(Boolean)).toHaveLength(1);
      expect(state.active).toBe(true);
    },
  );

  it('passes clock ticks to the time-based kinds', () => {
    const state = evaluateRule(INITIAL_RULE_STATE, signal({ status: 'ok' }), HEARTBEAT, 0).state;
    expect(evaluateRule(state, null, HEARTBEAT, 71 * MIN)).toMatchObject({
      changed: true,
      reason: 'no signal for 1h11m',
    });
  });
});

describe('ruleMatches', () => {
  const table: ReadonlyArray<[string, AlertRule, Partial<Signal>, boolean]> = [
    ['takes every signal when the match is empty', HEARTBEAT, { source: 'check', type: 'monitor' }, true],
    ['takes a signal of a listed source and type', SERVER_START, {}, true],
    ['skips a signal of another source', SERVER_START, { source: 'alertmanager' }, false],
    ['skips a signal of another type', SERVER_START, { type: 'hub_slow' }, false],
    [
      'takes a reset type of an events_in_window rule',
      SERVER_START,
      { type: 'server_start_succeeded' },
      true,
    ],
    [
      'takes a reset type only for events_in_window rules',
      { ...COMMON, kind: 'consecutive', match: SERVER_START.match, failAfter: 1, recoverAfter: 1 },
      { type: 'server_start_succeeded' },
      false,
    ],
    [
      'matches labels on the signal fields',
      {
        ...HEARTBEAT,
        match: { ...HEARTBEAT.match, labels: [{ name: 'community', op: '=', value: 'pangeo' }] },
      },
      {},
      true,
    ],
    [
      'skips a signal whose labels do not match',
      {
        ...HEARTBEAT,
        match: { ...HEARTBEAT.match, labels: [{ name: 'tier', op: '=~', value: 'gold|silver' }] },
      },
      { labels: { tier: 'bronze' } },
      false,
    ],
  ];

  it.each(table)('%s', (_name, rule, overrides, expected) => {
    expect(ruleMatches(rule, signal(overrides))).toBe(expected);
  });
});

describe('subjectOf', () => {
  const table: ReadonlyArray<[string, readonly string[], Partial<Signal>, string]> = [
    ['names the community by default', ['community'], {}, 'community=pangeo'],
    [
      'joins several labels sorted by name',
      ['location', 'community'],
      { location: 'eu' },
      'community=pangeo,location=eu',
    ],
    ['gives a missing label the empty value', ['community', 'location'], {}, 'community=pangeo,location='],
    ['reads free labels too', ['tier'], { labels: { tier: 'gold' } }, 'tier=gold'],
    ['quotes a value that would be ambiguous', ['tier'], { labels: { tier: 'a,b=c' } }, 'tier="a,b=c"'],
    ['is one subject for the whole rule without per labels', [], {}, ''],
  ];

  it.each(table)('%s', (_name, per, overrides, expected) => {
    expect(subjectOf({ ...HEARTBEAT, per }, signal(overrides))).toBe(expected);
  });
});
