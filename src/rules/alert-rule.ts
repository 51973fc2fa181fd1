import type { LabelMatcher } from './label-matcher.js';
import type { Severity, Signal, SignalSource } from './signal.js';

/** Which signals a rule looks at. Every given part must hold; an empty match takes every signal. */
export interface SignalMatch {
  readonly sources: readonly SignalSource[];
  /** Signal types that count as the rule's events; empty = any type. */
  readonly types: readonly string[];
  readonly labels: readonly LabelMatcher[];
}

/** Flap damping: more than `maxChanges` condition changes within `windowMs` → one alert marked flapping. */
export interface FlapSettings {
  readonly maxChanges: number;
  readonly windowMs: number;
}

/** What every rule kind has. */
export interface RuleCommon {
  readonly key: string;
  readonly name: string;
  readonly match: SignalMatch;
  /**
   * Label names that split the rule into independent subjects (default `["community"]`): each
   * distinct combination of values has its own state and its own alert.
   */
  readonly per: readonly string[];
  readonly severity: Severity;
  /** Resolve the alert when the condition clears (default true). */
  readonly autoResolve: boolean;
  /** Label names whose values put alerts into one group (one page for a cluster-wide failure). */
  readonly groupBy: readonly string[];
  readonly flap: FlapSettings;
}

/** `failAfter` problem signals in a row fire; `recoverAfter` ok signals in a row clear. */
export interface ConsecutiveFailuresRule extends RuleCommon {
  readonly kind: 'consecutive';
  readonly failAfter: number;
  readonly recoverAfter: number;
}

/** At least `n` problems among the last `m` signals fire; fewer clear. */
export interface NOfMRule extends RuleCommon {
  readonly kind: 'n_of_m';
  readonly n: number;
  readonly m: number;
}

/**
 * `count` problem events within `windowMs` fire ("2 server-start failures within 30 min").
 * With `consecutive`, an ok signal of a matched type, or any signal whose type is in
 * `resetTypes`, starts the count over. The condition clears only on such a reset (a window
 * passing in silence does not prove the problem went away).
 */
export interface EventsInWindowRule extends RuleCommon {
  readonly kind: 'events_in_window';
  readonly count: number;
  readonly windowMs: number;
  readonly consecutive: boolean;
  readonly resetTypes: readonly string[];
}

/** Latency (signal.latencyMs) above `thresholdMs` continuously for `forMs` fires; a signal at or below clears. */
export interface LatencyRule extends RuleCommon {
  readonly kind: 'latency';
  readonly thresholdMs: number;
  readonly forMs: number;
}

/** No matching signal for `expectEveryMs + graceMs` fires (judged on clock ticks); the next one clears. */
export interface HeartbeatMissingRule extends RuleCommon {
  readonly kind: 'heartbeat_missing';
  readonly expectEveryMs: number;
  readonly graceMs: number;
}

/**
 * At least `quorum` locations whose latest signal (within `staleAfterMs`) is a problem fire;
 * fewer clear. Signals without a location count as location "default".
 */
export interface LocationQuorumRule extends RuleCommon {
  readonly kind: 'quorum';
  readonly quorum: number;
  readonly staleAfterMs: number;
}

/** An alert rule from config as code or the API. Stored as JSON in alert_rules.definition. */
export type AlertRule =
  | ConsecutiveFailuresRule
  | NOfMRule
  | EventsInWindowRule
  | LatencyRule
  | HeartbeatMissingRule
  | LocationQuorumRule;

export type RuleKind = AlertRule['kind'];

/**
 * A rule's state for one subject, persisted as JSON between signals. Each kind keeps what it
 * needs in `data` (kept small and bounded); `active` is whether its condition holds.
 */
export interface RuleState {
  readonly active: boolean;
  /** When `active` last changed (epoch ms); null before the first change. */
  readonly since: number | null;
  /** When a matching signal last arrived; null before the first. */
  readonly lastSignalAt: number | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export const INITIAL_RULE_STATE: RuleState = { active: false, since: null, lastSignalAt: null, data: {} };

/** The result of folding one signal (or a clock tick) into a rule's state. */
export interface RuleEvaluation {
  readonly state: RuleState;
  /** `active` flipped: the caller fires (false → true) or clears (true → false) the alert. */
  readonly changed: boolean;
  /** Why, in words, when changed: "2 server_start_failed events within 30m". */
  readonly reason: string | null;
}

/**
 * Evaluates a rule of one kind. `signal` null means only time passed (a clock tick), which
 * the time-based kinds (heartbeat_missing, latency, quorum) use; other kinds return the state unchanged.
 * Pure: time comes in as `now`.
 */
export type RuleEvaluator<R extends AlertRule> = (
  state: RuleState,
  signal: Signal | null,
  rule: R,
  now: number,
) => RuleEvaluation;
