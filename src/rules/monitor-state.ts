import type { ComponentStatus } from '../statuspage/component-status.js';
import type { ConsecutiveRule } from './consecutive-rule.js';

/** Where a monitor stands: unknown until its first verdict, then up, degraded (too slow) or down. */
export type MonitorStatus = 'unknown' | 'up' | 'degraded' | 'down';

/** A monitor's rule state, persisted in monitor_states between checks. */
export interface MonitorState {
  readonly status: MonitorStatus;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  /** When `status` last changed (epoch ms); null while unknown. */
  readonly since: number | null;
}

export const INITIAL_STATE: MonitorState = {
  status: 'unknown',
  consecutiveFailures: 0,
  consecutiveSuccesses: 0,
  since: null,
};

/** What a monitor in `status` means for its component under `rule`. */
export function componentStatusFor(status: MonitorStatus, rule: ConsecutiveRule): ComponentStatus {
  switch (status) {
    case 'down':
      return rule.impact;
    case 'degraded':
      return 'degraded_performance';
    case 'up':
    case 'unknown':
      return 'operational';
  }
}
