import { z } from 'zod';
import type { MonitorSpec } from '../checks/monitor-spec.js';
import { type ConsecutiveRule, DEFAULT_RULE } from '../rules/consecutive-rule.js';
import { formatDuration } from './duration.js';
import { MONITOR_KINDS } from './monitor-kinds/index.js';
import { describeValue, duration, INTERVAL_LIMITS, label, slug } from './schema-parts.js';

/** Quick re-checks of a failed check before the failure counts (so one dropped packet moves nothing). */
export interface Confirmation {
  readonly retries: number;
  readonly delayMs: number;
}

/** Settings every monitor has, whatever its type. */
export interface MonitorSettings {
  readonly key: string;
  readonly name: string;
  readonly intervalMs: number;
  readonly enabled: boolean;
  readonly rule: ConsecutiveRule;
  /** Locations that run it; null = every location that runs checks. */
  readonly locations: readonly string[] | null;
  readonly confirm: Confirmation;
  /** Loopback, private, link-local and metadata targets are refused unless this is true. */
  readonly allowPrivateTargets: boolean;
  /** Free labels for choosing monitors (`firewatch verify --tag upgrade-smoke`). */
  readonly tags: readonly string[];
}

/** A monitor: its type's probe settings plus the common ones. */
export type MonitorConfig = MonitorSpec & MonitorSettings;

export const MONITOR_DEFAULTS = {
  intervalMs: 60_000,
  enabled: true,
  confirm: { retries: 1, delayMs: 1_000 },
  allowPrivateTargets: false,
} as const;

/**
 * The timeout a monitor gets when the file names none: 10 s (or its type's own default, 30 s for a
 * browser journey), or the interval when that is shorter.
 */
export function defaultTimeoutMs(intervalMs: number, type?: MonitorSpec['type']): number {
  return Math.min((type && MONITOR_KINDS[type].defaultTimeoutMs) ?? 10_000, intervalMs);
}

const ruleSchema = z.strictObject({
  fail_after: z.int().min(1).max(1000).nullish(),
  recover_after: z.int().min(1).max(1000).nullish(),
  impact: z.enum(['major_outage', 'partial_outage', 'degraded_performance']).nullish(),
  quorum: z.int().min(1).max(100).nullish(),
});

const LEADING_FIELDS = {
  key: slug('monitor key'),
  name: label.nullish(),
};

const COMMON_FIELDS = {
  interval: duration('interval', INTERVAL_LIMITS.minMs, INTERVAL_LIMITS.maxMs).nullish(),
  timeout: duration('timeout', 1, INTERVAL_LIMITS.maxMs).nullish(),
  rule: ruleSchema.nullish(),
  enabled: z.boolean().nullish(),
  locations: z.array(slug('location')).min(1).nullish(),
  confirm: z
    .strictObject({
      retries: z.int().min(0).max(5).nullish(),
      delay: duration('confirm.delay', 0, 60_000).nullish(),
    })
    .nullish(),
  allow_private_targets: z.boolean().nullish(),
  tags: z.array(slug('tag')).nullish(),
};

type CommonInput = z.output<z.ZodObject<typeof LEADING_FIELDS & typeof COMMON_FIELDS>>;

const branches = Object.values(MONITOR_KINDS).map((kind) =>
  // Field order is the order error messages list allowed fields in: identity, type, timing, the type's own.
  z.strictObject({
    ...LEADING_FIELDS,
    type: z.literal(kind.type),
    ...pick(COMMON_FIELDS, 'interval', 'timeout'),
    ...kind.fields,
    ...COMMON_FIELDS,
  }),
);

/** One monitor map of the file, of any type, validated and turned into a MonitorConfig. */
export const monitorSchema = z
  .discriminatedUnion(
    'type',
    branches as unknown as [(typeof branches)[number], ...(typeof branches)[number][]],
    {
      error: (issue) =>
        `unknown monitor type ${describeValue((issue.input as { type?: unknown } | undefined)?.type)} — use one of: ${Object.keys(MONITOR_KINDS).join(', ')}`,
    },
  )
  .transform((m, ctx): MonitorConfig => {
    const common = m as CommonInput & { type: MonitorSpec['type'] };
    const intervalMs = common.interval ?? MONITOR_DEFAULTS.intervalMs;
    const timeoutMs = common.timeout ?? defaultTimeoutMs(intervalMs, common.type);
    if (timeoutMs > intervalMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeout'],
        message:
          `timeout ${formatDuration(timeoutMs)} is longer than the interval ${formatDuration(intervalMs)} — ` +
          'use a timeout of at most the interval, or a longer interval',
      });
    }
    const rule = common.rule ?? {};
    const kind = MONITOR_KINDS[common.type];
    const defaults = ruleDefaults(common.type);
    const quorum = rule.quorum ?? defaults.quorum;
    if (quorum > 1 && (common.locations?.length ?? 0) < quorum) {
      ctx.addIssue({
        code: 'custom',
        path: ['rule', 'quorum'],
        message: `quorum ${quorum} needs at least ${quorum} locations — list them under "locations:" or lower the quorum`,
      });
    }
    const spec = kind.toSpec(m as never, timeoutMs, ctx);
    return {
      type: common.type,
      spec,
      key: common.key,
      name: common.name ?? common.key,
      intervalMs,
      enabled: common.enabled ?? MONITOR_DEFAULTS.enabled,
      rule: {
        failAfter: rule.fail_after ?? defaults.failAfter,
        recoverAfter: rule.recover_after ?? defaults.recoverAfter,
        impact: rule.impact ?? defaults.impact,
        quorum,
      },
      locations: common.locations ?? null,
      confirm: {
        retries: common.confirm?.retries ?? MONITOR_DEFAULTS.confirm.retries,
        delayMs: common.confirm?.delay ?? MONITOR_DEFAULTS.confirm.delayMs,
      },
      allowPrivateTargets: common.allow_private_targets ?? MONITOR_DEFAULTS.allowPrivateTargets,
      tags: [...new Set(common.tags ?? [])].sort(),
    } as MonitorConfig;
  });

/**
 * A monitor as its YAML map, defaults left out: what export writes and what plans
 * compare field by field.
 */
export function monitorToFile(m: MonitorConfig): Record<string, unknown> {
  const kind = MONITOR_KINDS[m.type];
  const defaults = ruleDefaults(m.type);
  return prune({
    key: m.key,
    name: m.name === m.key ? null : m.name,
    type: m.type,
    interval: m.intervalMs === MONITOR_DEFAULTS.intervalMs ? null : formatDuration(m.intervalMs),
    timeout:
      m.spec.timeoutMs === defaultTimeoutMs(m.intervalMs, m.type) ? null : formatDuration(m.spec.timeoutMs),
    ...kind.toFile(m.spec as never),
    rule: {
      fail_after: m.rule.failAfter === defaults.failAfter ? null : m.rule.failAfter,
      recover_after: m.rule.recoverAfter === defaults.recoverAfter ? null : m.rule.recoverAfter,
      impact: m.rule.impact === defaults.impact ? null : m.rule.impact,
      quorum: m.rule.quorum === defaults.quorum ? null : m.rule.quorum,
    },
    locations: m.locations,
    confirm: {
      retries: m.confirm.retries === MONITOR_DEFAULTS.confirm.retries ? null : m.confirm.retries,
      delay:
        m.confirm.delayMs === MONITOR_DEFAULTS.confirm.delayMs ? null : formatDuration(m.confirm.delayMs),
    },
    allow_private_targets:
      m.allowPrivateTargets === MONITOR_DEFAULTS.allowPrivateTargets ? null : m.allowPrivateTargets,
    tags: m.tags,
    enabled: m.enabled === MONITOR_DEFAULTS.enabled ? null : m.enabled,
  }) as Record<string, unknown>;
}

/** The rule a monitor of `type` gets for fields the file leaves out. */
function ruleDefaults(type: MonitorSpec['type']): ConsecutiveRule {
  return { ...DEFAULT_RULE, ...MONITOR_KINDS[type].defaultRule };
}

/** Drops nulls, empty lists and maps left empty, recursively (lists keep their items). */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? null : value;
  if (value === null || typeof value !== 'object') return value;
  const kept = Object.entries(value)
    .map(([k, v]) => [k, prune(v)] as const)
    .filter(([, v]) => v !== null && v !== undefined);
  return kept.length === 0 ? null : Object.fromEntries(kept);
}

function pick<T extends object, K extends keyof T>(object: T, ...keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, object[k]])) as Pick<T, K>;
}
