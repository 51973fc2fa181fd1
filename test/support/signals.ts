import type { AlertRule, EventsInWindowRule, RuleCommon } from '../../src/rules/alert-rule.js';
import type { Signal } from '../../src/rules/signal.js';

/** A generic signal with sensible defaults; override any field. */
export function signal(overrides: Partial<Signal> = {}): Signal {
  return {
    source: 'generic',
    type: 'server_start_failed',
    dedupKey: 'generic:server_start_failed:pangeo:',
    status: 'problem',
    community: 'pangeo',
    component: null,
    severity: null,
    summary: 'a user server failed to start',
    details: {},
    labels: {},
    occurredAt: 0,
    ...overrides,
  };
}

/**
 * The fields every rule kind shares: per community, P3, auto-resolving, no grouping, matching
 * every signal, flapping at more than 6 changes in 30 minutes; override any field.
 */
export function ruleCommon(overrides: Partial<RuleCommon> = {}): RuleCommon {
  return {
    key: 'rule',
    name: 'Rule',
    match: { sources: [], types: [], labels: [] },
    per: ['community'],
    severity: 'P3',
    autoResolve: true,
    groupBy: [],
    flap: { maxChanges: 6, windowMs: 30 * 60_000 },
    ...overrides,
  };
}

/** The rule a real team needed: two server-start failures in a row within 30 minutes, per community. */
export const SERVER_START_RULE: EventsInWindowRule = {
  ...ruleCommon({
    key: 'server-start-failures',
    name: 'Two server-start failures in a row within 30 minutes',
    match: { sources: [], types: ['server_start_failed'], labels: [] },
    severity: 'P2',
  }),
  kind: 'events_in_window',
  count: 2,
  windowMs: 30 * 60_000,
  consecutive: true,
  resetTypes: ['server_start_succeeded'],
};

/** Engine rules as AlertContext wants them. */
export function engineRules(...rules: AlertRule[]) {
  return rules.map((rule, i) => ({ id: `rul_${i + 1}`, rule }));
}
