import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Signal } from '../rules/signal.js';
import { IngestError, type IntegrationSettings } from './integration-settings.js';
import { severityFromWord } from './severity-words.js';

/** Most signals one request body may carry. */
export const MAX_SIGNALS_PER_BODY = 1000;
/** Longest summary kept; longer ones are cut and end in "…". */
export const MAX_SUMMARY_CHARS = 500;
/** Longest label value (and type, community, component) kept; longer ones are cut. */
export const MAX_LABEL_VALUE_CHARS = 1000;
/** Most labels one signal may carry. */
export const MAX_LABELS = 100;
/** Deepest nesting taken inside details. */
export const MAX_DETAILS_DEPTH = 32;

/** Alertmanager's zero `time.Time`, sent as endsAt of alerts that have no end yet. */
const GO_ZERO_TIME = -62_135_596_800_000;

type Path = readonly PropertyKey[];

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
export type WebhookAlert = z.infer<typeof webhookAlertSchema>;

/** Alertmanager webhook payload version "4"; groupLabels, commonLabels, truncatedAlerts … pass unread. */
const payloadSchema = z.looseObject({
  version: z.literal('4'),
  groupKey: optionalText,
  receiver: optionalText,
  externalURL: optionalText,
  alerts: z.array(webhookAlertSchema),
});

/**
 * Turns an Alertmanager webhook body (payload version "4") into one Signal per alert.
 * Throws IngestError, naming the field, for anything it cannot take.
 */
export function parseAlertmanager(body: unknown, settings: IntegrationSettings, now: number): Signal[] {
  if (!isRecord(body)) {
    throw new IngestError('', `the body is ${describeValue(body)} — send Alertmanager's webhook payload`);
  }
  if (body.version !== '4') {
    const problem =
      body.version === undefined ? 'is missing' : `${describeValue(body.version)} is not supported`;
    throw new IngestError(
      'version',
      `version ${problem} — Firewatch reads Alertmanager's webhook payload version "4"; ` +
        "point Alertmanager's webhook_configs url here and send its payload unchanged",
    );
  }
  checkSignalCount(body.alerts, ['alerts'], "lower max_alerts in Alertmanager's webhook_configs");
  const payload = parseWithSchema(payloadSchema, body);
  const group: AlertGroup = {
    source: 'alertmanager',
    keyPrefix: 'alertmanager:',
    groupKey: payload.groupKey,
    details: { receiver: payload.receiver, externalURL: payload.externalURL },
    alertDetails: [],
  };
  return payload.alerts.map((alert, i) => alertSignal(alert, ['alerts', i], group, settings, now));
}

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
  at: Path,
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

function alertTime(text: string | null | undefined, at: Path): number | null {
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

// ---- Shared by every ingest parser (Grafana and generic import these). ----

/** Throws IngestError at `at` when `list` is an array of more than MAX_SIGNALS_PER_BODY entries. */
export function checkSignalCount(list: unknown, at: Path, fix: string): void {
  if (Array.isArray(list) && list.length > MAX_SIGNALS_PER_BODY) {
    const name = at.length === 0 ? 'the body' : String(at.at(-1));
    throw new IngestError(
      formatPath(at),
      `${name} has ${list.length} entries, more than the ${MAX_SIGNALS_PER_BODY} taken per request — ${fix}`,
    );
  }
}

/**
 * A signal within the limits: summary on one line and cut to MAX_SUMMARY_CHARS, type, community,
 * component and label values cut to MAX_LABEL_VALUE_CHARS. Throws IngestError at `labelsField` when it
 * has more than MAX_LABELS labels, since dropping some would change what matches it.
 */
export function boundedSignal(signal: Signal, labelsField: string): Signal {
  const entries = Object.entries(signal.labels);
  if (entries.length > MAX_LABELS) {
    throw new IngestError(
      labelsField,
      `there are ${entries.length} labels, more than the ${MAX_LABELS} a signal may carry — send fewer labels`,
    );
  }
  const summary = signal.summary.replace(/\s+/g, ' ').trim();
  return {
    ...signal,
    type: cut(signal.type, MAX_LABEL_VALUE_CHARS),
    community: signal.community === null ? null : cut(signal.community, MAX_LABEL_VALUE_CHARS),
    component: signal.component === null ? null : cut(signal.component, MAX_LABEL_VALUE_CHARS),
    summary:
      summary.length > MAX_SUMMARY_CHARS ? `${cut(summary, MAX_SUMMARY_CHARS - 1).trimEnd()}…` : summary,
    labels: Object.fromEntries(entries.map(([key, value]) => [key, cut(value, MAX_LABEL_VALUE_CHARS)])),
  };
}

/**
 * Returns `value` unchanged when it is JSON data (null, strings, booleans, finite numbers, arrays and
 * plain objects of those, nested at most MAX_DETAILS_DEPTH deep); throws IngestError at the part that
 * is not, `field` being the path of `value` itself.
 */
export function plainData<T>(value: T, field: string): T {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: field, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value: part, path, depth } = next;
    if (part === null || typeof part === 'string' || typeof part === 'boolean') {
      continue;
    }
    if (typeof part === 'number' && Number.isFinite(part)) {
      continue;
    }
    if (depth >= MAX_DETAILS_DEPTH && typeof part === 'object') {
      throw new IngestError(path, `this is nested more than ${MAX_DETAILS_DEPTH} levels deep — flatten it`);
    }
    if (Array.isArray(part)) {
      part.forEach((item, i) => {
        stack.push({ value: item, path: childPath(path, i), depth: depth + 1 });
      });
      continue;
    }
    if (isRecord(part)) {
      for (const [key, item] of Object.entries(part)) {
        stack.push({ value: item, path: childPath(path, key), depth: depth + 1 });
      }
      continue;
    }
    throw new IngestError(
      path,
      `${describeValue(part)} is not JSON data — send strings, numbers, lists or objects`,
    );
  }
  return value;
}

/** Parses with a zod schema, turning the first issue into an IngestError that names its field. */
export function parseWithSchema<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body, { reportInput: true });
  if (parsed.success) {
    return parsed.data;
  }
  const issue = parsed.error.issues[0];
  if (issue === undefined) {
    throw new IngestError('', 'the body is not valid — send the sender’s payload unchanged');
  }
  const field = formatPath(issue.path);
  const name = issue.path.length === 0 ? 'the body' : String(issue.path.at(-1));
  const input = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined
        ? fail(field, `${name} is missing — add it (${withArticle(issue.expected)})`)
        : fail(field, `${name} is ${describeValue(input)} — send ${withArticle(issue.expected)}`);
    case 'invalid_value': {
      const words = issue.values.map((v) => JSON.stringify(v));
      return fail(
        field,
        `${name} ${describeValue(input)} is not one of ${issue.values.join(', ')} — send ${words.join(' or ')}`,
      );
    }
    default:
      return fail(field, `${name} is not valid: ${issue.message}`);
  }
}

function fail(field: string, message: string): never {
  throw new IngestError(field, message);
}

function withArticle(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'an object';
    case 'array':
      return 'a list';
    default:
      return `a ${expected}`;
  }
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * Epoch ms of an RFC 3339 / ISO 8601 date-time with a zone (`Z` or `±hh:mm`); digits past milliseconds
 * are dropped and a leap second reads as :59. Null for anything else, including impossible dates.
 */
export function parseTimestamp(text: string): number | null {
  const match = RFC3339.exec(text.trim());
  if (match === null) {
    return null;
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zone = match[8] ?? 'Z';
  const offsetHours = zone.length > 1 ? Number(zone.slice(1, 3)) : 0;
  const offsetMinutes = zone.length > 1 ? Number(zone.slice(-2)) : 0;
  const daysInMonth = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 60) {
    return null;
  }
  if (offsetHours > 23 || offsetMinutes > 59) {
    return null;
  }
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as they are (Go's zero time is year 1).
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, Math.min(second, 59), Number((match[7] ?? '.0').slice(1, 4).padEnd(3, '0')));
  const sign = zone.startsWith('-') ? -1 : 1;
  return date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** `alerts[2].labels.severity`; keys that are not plain names are quoted: `labels["team name"]`. */
export function formatPath(path: Path): string {
  return path.reduce<string>((text, segment) => childPath(text, segment), '');
}

/** The path of `key` inside the value at `parent` (a formatPath string). */
export function childPath(parent: string, key: PropertyKey): string {
  if (typeof key === 'number') {
    return `${parent}[${key}]`;
  }
  const name = String(key);
  if (!/^[A-Za-z_$][\w$-]*$/.test(name)) {
    return `${parent}[${JSON.stringify(name)}]`;
  }
  return parent === '' ? name : `${parent}.${name}`;
}

/** How a value reads in an error message: `"fire"`, `42`, `null`, `a list`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'missing';
  }
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A plain object (not an array, a Date, a class instance or null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The text when it has more than whitespace, else undefined (Prometheus treats empty labels as absent). */
export function nonEmpty(text: string | null | undefined): string | undefined {
  return text === null || text === undefined || text.trim() === '' ? undefined : text;
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

function withoutUndefined(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
