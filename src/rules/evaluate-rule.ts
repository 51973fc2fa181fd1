import type { AlertRule, RuleEvaluation, RuleEvaluator, RuleKind, RuleState } from './alert-rule.js';
import { evaluateConsecutive } from './consecutive-failures.js';
import { evaluateEventsInWindow } from './events-in-window.js';
import { evaluateHeartbeatMissing } from './heartbeat-missing.js';
import { evaluateLatency } from './latency-above.js';
import { evaluateQuorum } from './location-quorum.js';
import { matchesLabels } from './match-labels.js';
import { evaluateNOfM } from './n-of-m.js';
import { labelsOf, type Signal } from './signal.js';

type RuleOfKind = { readonly [K in RuleKind]: Extract<AlertRule, { readonly kind: K }> };
type Evaluators = { readonly [K in RuleKind]: RuleEvaluator<RuleOfKind[K]> };

/** One evaluator per rule kind; a new kind is one new file and one line here. */
const EVALUATORS = {
  consecutive: evaluateConsecutive,
  n_of_m: evaluateNOfM,
  events_in_window: evaluateEventsInWindow,
  latency: evaluateLatency,
  heartbeat_missing: evaluateHeartbeatMissing,
  quorum: evaluateQuorum,
} as const satisfies Evaluators;

/**
 * Folds one signal (or, with `signal` null, a clock tick) into a rule's state for one subject,
 * using the evaluator of the rule's kind. Pure: time comes in as `now`. The caller passes only
 * signals for which ruleMatches holds.
 */
export function evaluateRule(
  state: RuleState,
  signal: Signal | null,
  rule: AlertRule,
  now: number,
): RuleEvaluation {
  return evaluateKind(rule.kind, state, signal, rule, now);
}

function evaluateKind<K extends RuleKind>(
  kind: K,
  state: RuleState,
  signal: Signal | null,
  rule: RuleOfKind[K],
  now: number,
): RuleEvaluation {
  const evaluator: Evaluators[K] = EVALUATORS[kind];
  return evaluator(state, signal, rule, now);
}

/**
 * Whether a rule looks at a signal: its source is one of `match.sources`, its type one of
 * `match.types` (each empty = any), and its labels (labelsOf) satisfy `match.labels`. For
 * events_in_window a signal whose type is in `resetTypes` matches too, so it can reset the count.
 */
export function ruleMatches(rule: AlertRule, signal: Signal): boolean {
  const { sources, types, labels } = rule.match;
  if (sources.length > 0 && !sources.includes(signal.source)) return false;
  const resets = rule.kind === 'events_in_window' && rule.resetTypes.includes(signal.type);
  if (types.length > 0 && !types.includes(signal.type) && !resets) return false;
  return matchesLabels(labelsOf(signal), labels);
}

/**
 * The subject a signal belongs to under a rule: `name=value` for each label in `rule.per`
 * (from labelsOf; a missing label is the empty value), sorted by name and joined with commas,
 * e.g. `community=pangeo,location=eu`. A value holding `,`, `=` or `"` is JSON-quoted so two
 * subjects never collide. Empty `per` gives `''`: one subject for the whole rule.
 */
export function subjectOf(rule: AlertRule, signal: Signal): string {
  const labels = labelsOf(signal);
  return [...new Set(rule.per)]
    .sort()
    .map((name) => `${name}=${quoted(Object.hasOwn(labels, name) ? labels[name]! : '')}`)
    .join(',');
}

function quoted(value: string): string {
  return /[,="]/.test(value) ? JSON.stringify(value) : value;
}
