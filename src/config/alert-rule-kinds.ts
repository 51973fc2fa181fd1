import { z } from 'zod';
import type { AlertRule, RuleCommon, RuleKind } from '../rules/alert-rule.js';
import { formatDuration } from './duration.js';
import { duration, label } from './schema-parts.js';

const SECOND = 1000;
const DAY = 86_400_000;

/** The part of a rule that only its kind has (`count`, `windowMs`, …). */
export type KindFields<K extends RuleKind> = Omit<Extract<AlertRule, { kind: K }>, keyof RuleCommon | 'kind'>;

/**
 * How config as code reads and writes one alert rule kind: its own YAML fields (next to the common
 * ones in alert-rule-schema.ts), how they become the rule's fields, and back. A new kind is one
 * entry in ALERT_RULE_KINDS.
 */
export interface AlertRuleKind<K extends RuleKind = RuleKind, Shape extends z.ZodRawShape = z.ZodRawShape> {
  readonly kind: K;
  /** The kind's own fields, validated like every other field (unknown ones are errors). */
  readonly fields: Shape;
  /** Validated fields → the rule's own fields. Report cross-field problems with ctx.addIssue. */
  toRule(fields: z.output<z.ZodObject<Shape>>, ctx: z.RefinementCtx): KindFields<K>;
  /** The rule's own fields → YAML fields; null stands for "equal to the default, leave out". */
  toFile(rule: KindFields<K>): Record<string, unknown>;
}

function defineRuleKind<K extends RuleKind, Shape extends z.ZodRawShape>(
  kind: AlertRuleKind<K, Shape>,
): AlertRuleKind<K, Shape> {
  return kind;
}

/** Defaults of the kind fields a file may leave out. */
export const KIND_DEFAULTS = {
  consecutive: { failAfter: 2, recoverAfter: 1 },
  eventsInWindow: { consecutive: true },
  heartbeatMissing: { graceMs: 5 * 60_000 },
} as const;

const consecutive = defineRuleKind({
  kind: 'consecutive',
  fields: {
    fail_after: z.int().min(1).max(1000).nullish(),
    recover_after: z.int().min(1).max(1000).nullish(),
  },
  toRule: (f) => ({
    failAfter: f.fail_after ?? KIND_DEFAULTS.consecutive.failAfter,
    recoverAfter: f.recover_after ?? KIND_DEFAULTS.consecutive.recoverAfter,
  }),
  toFile: (r) => ({
    fail_after: r.failAfter === KIND_DEFAULTS.consecutive.failAfter ? null : r.failAfter,
    recover_after: r.recoverAfter === KIND_DEFAULTS.consecutive.recoverAfter ? null : r.recoverAfter,
  }),
});

const nOfM = defineRuleKind({
  kind: 'n_of_m',
  fields: { n: z.int().min(1).max(100), m: z.int().min(1).max(100) },
  toRule(f, ctx) {
    if (f.n > f.m) {
      ctx.addIssue({
        code: 'custom',
        path: ['n'],
        message: `n ${f.n} is more than m ${f.m} — the rule fires when n of the last m signals are problems, so use n ≤ m`,
      });
    }
    return { n: f.n, m: f.m };
  },
  toFile: (r) => ({ n: r.n, m: r.m }),
});

const eventsInWindow = defineRuleKind({
  kind: 'events_in_window',
  fields: {
    count: z.int().min(1).max(1000),
    window: duration('window', SECOND, 7 * DAY),
    consecutive: z.boolean().nullish(),
    reset_types: z.array(label).nullish(),
  },
  toRule: (f) => ({
    count: f.count,
    windowMs: f.window,
    consecutive: f.consecutive ?? KIND_DEFAULTS.eventsInWindow.consecutive,
    resetTypes: f.reset_types ?? [],
  }),
  toFile: (r) => ({
    count: r.count,
    window: formatDuration(r.windowMs),
    consecutive: r.consecutive === KIND_DEFAULTS.eventsInWindow.consecutive ? null : r.consecutive,
    reset_types: r.resetTypes.length === 0 ? null : r.resetTypes,
  }),
});

const latency = defineRuleKind({
  kind: 'latency',
  fields: { threshold: duration('threshold', 1, DAY), for: duration('for', 0, DAY) },
  toRule: (f) => ({ thresholdMs: f.threshold, forMs: f.for }),
  toFile: (r) => ({ threshold: formatDuration(r.thresholdMs), for: formatDuration(r.forMs) }),
});

const heartbeatMissing = defineRuleKind({
  kind: 'heartbeat_missing',
  fields: {
    expect_every: duration('expect_every', SECOND, 366 * DAY),
    grace: duration('grace', 0, 31 * DAY).nullish(),
  },
  toRule: (f) => ({
    expectEveryMs: f.expect_every,
    graceMs: f.grace ?? KIND_DEFAULTS.heartbeatMissing.graceMs,
  }),
  toFile: (r) => ({
    expect_every: formatDuration(r.expectEveryMs),
    grace: r.graceMs === KIND_DEFAULTS.heartbeatMissing.graceMs ? null : formatDuration(r.graceMs),
  }),
});

const quorum = defineRuleKind({
  kind: 'quorum',
  fields: { quorum: z.int().min(1).max(100), stale_after: duration('stale_after', SECOND, DAY) },
  toRule: (f) => ({ quorum: f.quorum, staleAfterMs: f.stale_after }),
  toFile: (r) => ({ quorum: r.quorum, stale_after: formatDuration(r.staleAfterMs) }),
});

/** Every alert rule kind config as code knows, by its `kind:` value. */
export const ALERT_RULE_KINDS: { readonly [K in RuleKind]: AlertRuleKind<K> } = {
  consecutive: consecutive as unknown as AlertRuleKind<'consecutive'>,
  n_of_m: nOfM as unknown as AlertRuleKind<'n_of_m'>,
  events_in_window: eventsInWindow as unknown as AlertRuleKind<'events_in_window'>,
  latency: latency as unknown as AlertRuleKind<'latency'>,
  heartbeat_missing: heartbeatMissing as unknown as AlertRuleKind<'heartbeat_missing'>,
  quorum: quorum as unknown as AlertRuleKind<'quorum'>,
};
