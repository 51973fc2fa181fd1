/** How a matcher compares: equal, not equal, regex match, regex no match (Alertmanager's four). */
export type MatchOperator = '=' | '!=' | '=~' | '!~';

/** One label condition, e.g. `community="pangeo"` or `alertname=~"Hub.*"`. */
export interface LabelMatcher {
  readonly name: string;
  readonly op: MatchOperator;
  readonly value: string;
}
