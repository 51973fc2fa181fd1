import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Signal } from '../rules/signal.js';
import { type BodyPath, describeValue, formatPath, nonEmpty, parseTimestamp } from './body-path.js';
import { IngestError, type IntegrationSettings } from './integration-settings.js';
import { severityFromWord } from './severity-words.js';
import { boundedSignal, plainData } from './signal-limits.js';

/** Alertmanager's zero `time.Time`, sent as endsAt of alerts that have no end yet. */
const GO_ZERO_TIME = -62_135_596_800_000;

const optionalText = z.string().nullish();
const labelSet = z.record(z.string(), z.string());

/**
 * One alert in Alertmanager's webhook format, which Grafana's unified alerting sends too. Fields Firewatch
 * does not read may be anything; those it reads must have their documented types.
 */
export const webhookAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: labelSet.nullish(),
  startsAt: optionalText,
  endsAt: optionalText,
  generatorURL: optionalText,
  fingerprint: optionalText,
});
/** One alert as webhookAlertSchema parses it. */
export type WebhookAlert = z.infer<typeof webhookAlertSchema>;

/** What an Alertmanager-format sender adds to each of its alerts' signals. */
export interface AlertGroup {
  readonly source: 'alertmanager' | 'grafana';
  /** Put before the fingerprint and the group key, so senders never share keys. */
  readonly keyPrefix: string;
  readonly groupKey: string | null | undefined;
  /** Merged into each signal's details; undefined values are left out. */
  readonly details: Readonly<Record<string, unknown>>;
  /** Fields of each alert, beyond Alertmanager's own, copied into its details as given. */
  readonly alertDetails: readonly string[];
}

/**
 * The Signal for one Alertmanager-format alert at `at` in the body: type from its alertname label,
 * community/component/severity from its labels or the integration's defaults, time from startsAt
 * (firing) or endsAt (resolved), else `now`.
 */
export function alertSignal(
  alert: WebhookAlert,
  at: BodyPath,
  group: AlertGroup,
  settings: IntegrationSettings,
  now: number,
): Signal {
  const labels = alert.labels;
  const alertname = nonEmpty(labels.alertname);
  if (alertname === undefined) {
    throw new IngestError(
      formatPath([...at, 'labels', 'alertname']),
      'labels has no "alertname" — every alert needs an alertname label naming its rule',
    );
  }
  const annotations = alert.annotations ?? {};
  const firing = alert.status === 'firing';
  const timeField = firing ? 'startsAt' : 'endsAt';
  const details = withoutUndefined({
    annotations,
    generatorURL: alert.generatorURL,
    startsAt: alert.startsAt,
    endsAt: alert.endsAt,
    ...Object.fromEntries(group.alertDetails.map((key) => [key, alert[key]])),
    ...group.details,
  });
  return boundedSignal(
    {
      source: group.source,
      type: alertname,
      dedupKey: group.keyPrefix + (nonEmpty(alert.fingerprint) ?? labelsHash(labels)),
      status: firing ? 'problem' : 'ok',
      community: nonEmpty(labels.community) ?? settings.defaults.community,
      component: nonEmpty(labels.component) ?? settings.defaults.component,
      severity: severityFromWord(labels.severity) ?? settings.defaults.severity,
      summary:
        nonEmpty(annotations.summary) ?? nonEmpty(annotations.description) ?? `${alertname} ${alert.status}`,
      details: plainData(details, formatPath(at)),
      labels,
      occurredAt: alertTime(alert[timeField], [...at, timeField]) ?? now,
      ...(nonEmpty(group.groupKey) === undefined ? {} : { groupKey: group.keyPrefix + group.groupKey }),
    },
    formatPath([...at, 'labels']),
  );
}

function alertTime(text: string | null | undefined, at: BodyPath): number | null {
  if (nonEmpty(text) === undefined) {
    return null;
  }
  const time = parseTimestamp(text ?? '');
  if (time === null) {
    throw new IngestError(
      formatPath(at),
      `${String(at.at(-1))} ${describeValue(text)} is not an RFC 3339 time — send one like "2024-05-01T12:00:00Z"`,
    );
  }
  return time <= GO_ZERO_TIME ? null : time;
}

/** A stable key for alerts without a fingerprint: sha256 of their labels in key order. */
function labelsHash(labels: Readonly<Record<string, string>>): string {
  const sorted = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

function withoutUndefined(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
