import type { ComponentStatus } from '../statuspage/component-status.js';

/** What a failing monitor does to its component. Latency-only failures always mean degraded_performance. */
export type FailureImpact = Extract<
  ComponentStatus,
  'major_outage' | 'partial_outage' | 'degraded_performance'
>;

/**
 * The walking skeleton's rule: `failAfter` consecutive failures move the monitor
 * to failing, `recoverAfter` consecutive successes move it back.
 * Stored as JSON in monitors.rule.
 */
export interface ConsecutiveRule {
  readonly failAfter: number;
  readonly recoverAfter: number;
  readonly impact: FailureImpact;
  /** How many locations must see the monitor failing before its component changes (1 = any). */
  readonly quorum: number;
}

export const DEFAULT_RULE: ConsecutiveRule = {
  failAfter: 2,
  recoverAfter: 1,
  impact: 'major_outage',
  quorum: 1,
};
