/** Where a signal came from. */
export const SIGNAL_SOURCES = ['check', 'heartbeat', 'alertmanager', 'grafana', 'generic'] as const;
export type SignalSource = (typeof SIGNAL_SOURCES)[number];

/** Severity P1 (critical) … P4 (no user impact). */
export const SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * One thing that came in: a monitor's verdict, a heartbeat, a webhook alert, a generic event.
 * Data only; rules decide what it means. `problem` = something is wrong (firing, failed),
 * `ok` = the opposite (resolved, succeeded).
 */
export interface Signal {
  readonly source: SignalSource;
  /** What happened: an event type (`server_start_failed`), an alert name, or `monitor` for checks. */
  readonly type: string;
  /** Repeats of one condition share this key (Alertmanager fingerprint, generic dedup_key, monitor ref). */
  readonly dedupKey: string;
  readonly status: 'problem' | 'ok';
  /** Community slug the signal is about, when known. */
  readonly community: string | null;
  /** Component ref (`<slug>/<key>` or `shared/<key>`), when known. */
  readonly component: string | null;
  /** Severity the sender gave; null lets the rule (or the default, P3) decide. */
  readonly severity: Severity | null;
  /** One line a human reads. */
  readonly summary: string;
  readonly details: Readonly<Record<string, unknown>>;
  /** Free labels for matching, grouping and silences (Alertmanager labels, generic labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** When it happened at the source (epoch ms). */
  readonly occurredAt: number;
  /** Check signals: the location that ran the check. */
  readonly location?: string;
  /** Check signals: probe wall time in ms. */
  readonly latencyMs?: number;
  /** A sender's own grouping (Alertmanager groupKey): alerts with one group key form one alert group. */
  readonly groupKey?: string;
}

/**
 * Every label a signal can be matched, grouped or silenced on: its free labels plus
 * `source`, `type`, `community`, `component`, `severity` and `location` (fields win over free labels).
 */
export function labelsOf(signal: Signal): Readonly<Record<string, string>> {
  const labels: Record<string, string> = { ...signal.labels };
  labels.source = signal.source;
  labels.type = signal.type;
  if (signal.community !== null) labels.community = signal.community;
  if (signal.component !== null) labels.component = signal.component;
  if (signal.severity !== null) labels.severity = signal.severity;
  if (signal.location !== undefined) labels.location = signal.location;
  return labels;
}
