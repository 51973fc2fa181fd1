/**
 * A heartbeat (push) monitor: the job calls its secret URL, and Firewatch fails the
 * monitor when a ping is late or the job reports failure. Expected either every
 * `periodMs`, or on a cron `schedule` in `timezone`; `graceMs` is the slack after each
 * expected time (and how long a started job may run). Durations in ms.
 */
export interface HeartbeatSpec {
  readonly periodMs: number | null;
  readonly schedule: string | null;
  /** IANA zone the schedule is read in; UTC when null. */
  readonly timezone: string | null;
  readonly graceMs: number;
  /** Unused by heartbeats (nothing is fetched); kept so every spec has one. */
  readonly timeoutMs: number;
}

/** The kinds of ping: /ping/<token> (success), /ping/<token>/start, /ping/<token>/fail. */
export type PingKind = 'success' | 'start' | 'fail';

/** The last ping received, if any. */
export interface LastPing {
  readonly kind: PingKind;
  readonly at: number;
}
