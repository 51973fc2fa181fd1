/** An alert's lifecycle: firing → acknowledged → resolved (resolved may reopen while flapping). */
export type AlertStatus = 'firing' | 'acknowledged' | 'resolved';

/** Kinds of alert_events rows: every transition of an alert is one. */
export type AlertEventKind =
  | 'created'
  | 'repeated'
  | 'reopened'
  | 'acknowledged'
  | 'reassigned'
  | 'resolved'
  | 'flapping_started'
  | 'flapping_stopped'
  | 'muted'
  | 'timebox_started'
  | 'timebox_expired'
  | 'timebox_extended'
  | 'timebox_decided'
  | 'routed'
  | 'escalated'
  | 'reminded'
  | 'follow_up_opened';

/** How a resolved alert ended. */
export type Resolution = 'auto' | 'manual' | 'deferred';

/** What the decision needs to know about the latest alert of a dedup key. */
export interface CurrentAlert {
  readonly id: string;
  readonly status: AlertStatus;
  readonly flapping: boolean;
  readonly resolvedAt: number | null;
}
