import { z } from 'zod';
import { DEFAULT_ALERTING } from '../alerts/alerting-settings.js';
import type { AlertRule, RuleCommon, RuleKind } from '../rules/alert-rule.js';
import { SIGNAL_SOURCES } from '../rules/signal.js';
import { ALERT_RULE_KINDS } from './alert-rule-kinds.js';
import { flapSchema, flapToFile, severity } from './alerting-schema.js';
import { compact, describeValue, formatMatcher, label, labelMatcher, slug } from './schema-parts.js';

/** An alert rule of config as code, and whether it runs (`enabled: false` keeps it but ignores it). */
export interface ConfiguredRule {
  readonly rule: AlertRule;
  readonly enabled: boolean;
}

/** What a rule gets for the common fields it leaves out (independent of the `alerting:` section). */
export const RULE_DEFAULTS = {
  per: ['community'],
  severity: DEFAULT_ALERTING.defaultSeverity,
  autoResolve: true,
  groupBy: [],
  flap: DEFAULT_ALERTING.flap,
} as const satisfies Omit<RuleCommon, 'key' | 'name' | 'match'>;

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const labelName = z.string().refine((value) => LABEL_NAME.test(value), {
  error: (issue) =>
    `invalid label name ${describeValue(issue.input)} — use letters, digits and _, not starting with a digit (e.g. community)`,
});

const LEADING_FIELDS = {
  key: slug('alert rule key'),
  name: label.nullish(),
};

const COMMON_FIELDS = {
  match: z
    .strictObject({
      sources: z.array(z.enum(SIGNAL_SOURCES)).nullish(),
      types: z.array(label).nullish(),
      labels: z.array(labelMatcher).nullish(),
    })
    .nullish(),
  per: z.array(labelName).nullish(),
  severity: severity.nullish(),
  auto_resolve: z.boolean().nullish(),
  group_by: z.array(labelName).nullish(),
  flap: flapSchema.nullish(),
};

const ENABLED_FIELD = { enabled: z.boolean().nullish() };

type CommonInput = z.output<z.ZodObject<typeof LEADING_FIELDS & typeof COMMON_FIELDS>> & { kind: RuleKind };

// Field order is the order error messages list allowed fields in: identity, kind, the kind's own, common.
const branches = Object.values(ALERT_RULE_KINDS).map((kind) =>
  z.strictObject({ ...LEADING_FIELDS, kind: z.literal(kind.kind), ...kind.fields, ...COMMON_FIELDS }),
);
const configuredBranches = branches.map((branch) => branch.extend(ENABLED_FIELD));

function unknownKind(input: unknown): string {
  // A non-map input is an invalid_type issue instead, which parse-config-file.ts words.
  const kind = (input as { kind?: unknown } | undefined)?.kind;
  const kinds = Object.keys(ALERT_RULE_KINDS).join(', ');
  return kind === undefined || kind === null
    ? `missing required field "kind" — add "kind: …", one of: ${kinds}`
    : `unknown alert rule kind ${describeValue(kind)} — use one of: ${kinds}`;
}

function toAlertRule(r: CommonInput, ctx: z.RefinementCtx): AlertRule {
  const kind = ALERT_RULE_KINDS[r.kind];
  return {
    key: r.key,
    name: r.name ?? r.key,
    kind: r.kind,
    match: {
      sources: r.match?.sources ?? [],
      types: r.match?.types ?? [],
      labels: r.match?.labels ?? [],
    },
    per: r.per ?? RULE_DEFAULTS.per,
    severity: r.severity ?? RULE_DEFAULTS.severity,
    autoResolve: r.auto_resolve ?? RULE_DEFAULTS.autoResolve,
    groupBy: r.group_by ?? RULE_DEFAULTS.groupBy,
    flap: r.flap ?? RULE_DEFAULTS.flap,
    ...kind.toRule(r as never, ctx),
  } as AlertRule;
}

/**
 * One alert rule as YAML-shaped input (snake_case, durations as text), validated and turned into an
 * AlertRule with defaults filled in. No `enabled`: the API takes that separately (see configuredRuleSchema).
 */
export const alertRuleSchema = z
  .discriminatedUnion(
    'kind',
    branches as unknown as [(typeof branches)[number], ...(typeof branches)[number][]],
    {
      error: (issue) => unknownKind(issue.input),
    },
  )
  .transform((r, ctx) => toAlertRule(r as CommonInput, ctx));

/** One entry of the file's `alert_rules:` list: an alert rule plus `enabled` (default true). */
export const configuredRuleSchema = z
  .discriminatedUnion(
    'kind',
    configuredBranches as unknown as [
      (typeof configuredBranches)[number],
      ...(typeof configuredBranches)[number][],
    ],
    {
      error: (issue) => unknownKind(issue.input),
    },
  )
  .transform(
    (r, ctx): ConfiguredRule => ({
      rule: toAlertRule(r as CommonInput, ctx),
      enabled: (r as { enabled?: boolean | null }).enabled ?? true,
    }),
  );

/**
 * A rule as its YAML map, defaults left out: the inverse of alertRuleSchema (alertRuleSchema reads it
 * back to an equal rule). Export, plans and the API use it.
 */
export function alertRuleToFile(rule: AlertRule): Record<string, unknown> {
  const own = ALERT_RULE_KINDS[rule.kind].toFile(rule as never);
  const match = compact({
    sources: rule.match.sources.length > 0 ? rule.match.sources : null,
    types: rule.match.types.length > 0 ? rule.match.types : null,
    labels: rule.match.labels.length > 0 ? rule.match.labels.map(formatMatcher) : null,
  });
  return compact({
    key: rule.key,
    name: rule.name === rule.key ? null : rule.name,
    kind: rule.kind,
    ...own,
    match: Object.keys(match).length > 0 ? match : null,
    // An empty `per` (one subject for the whole rule) differs from the default and is written.
    per: sameList(rule.per, RULE_DEFAULTS.per) ? null : rule.per,
    severity: rule.severity === RULE_DEFAULTS.severity ? null : rule.severity,
    auto_resolve: rule.autoResolve === RULE_DEFAULTS.autoResolve ? null : rule.autoResolve,
    group_by: rule.groupBy.length > 0 ? rule.groupBy : null,
    flap: flapToFile(rule.flap),
  });
}

/** A configured rule as its entry in `alert_rules:` (alertRuleToFile plus `enabled: false` when off). */
export function configuredRuleToFile(configured: ConfiguredRule): Record<string, unknown> {
  return { ...alertRuleToFile(configured.rule), ...(configured.enabled ? {} : { enabled: false }) };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
