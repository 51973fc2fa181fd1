import type { Severity, Signal } from '../rules/signal.js';
import { childPath, describeValue, isRecord, nonEmpty, parseTimestamp } from './body-path.js';
import type { RawField, ReadField } from './event-fields.js';
import { IngestError, type IntegrationSettings } from './integration-settings.js';
import { mappedEvents } from './mapped-events.js';
import { ownEvents } from './own-events.js';
import { BUILT_IN_SEVERITY_WORDS, severityFromWord } from './severity-words.js';
import { boundedSignal, plainData } from './signal-limits.js';

const PROBLEM_WORDS = ['firing', 'trigger', 'triggered', 'problem', 'failure', 'failed', 'error', 'alert'];
const OK_WORDS = ['resolved', 'resolve', 'ok', 'success', 'succeeded', 'recovered'];
const MAX_TYPE_CHARS = 100;
const EARLIEST = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

/**
 * Turns a generic webhook body into one Signal per event. Without a mapping the body is Firewatch's own
 * event shape: one event, a list of them, or `{"events": [...]}`, and unknown fields are refused. With
 * `settings.mapping` each field is read through its JSON path, and unknown fields are ignored.
 * Throws IngestError, naming the field, for anything it cannot take.
 */
export function parseGeneric(body: unknown, settings: IntegrationSettings, now: number): Signal[] {
  const mapping = settings.mapping;
  const events = mapping === null ? ownEvents(body) : mappedEvents(body, mapping);
  return events.map((read) => eventSignal(read, settings, now));
}

function eventSignal(read: ReadField, settings: IntegrationSettings, now: number): Signal {
  const mapping = settings.mapping;
  const type = typeOf(read('type'));
  const community = nonEmpty(text(read('community'))) ?? settings.defaults.community;
  const component = nonEmpty(text(read('component'))) ?? settings.defaults.component;
  const sender = nonEmpty(text(read('source')));
  const labels = read('labels');
  return boundedSignal(
    {
      source: 'generic',
      type,
      dedupKey: nonEmpty(text(read('dedup_key'))) ?? `generic:${type}:${community ?? ''}:${component ?? ''}`,
      status: statusOf(read('status'), mapping?.statusMap ?? {}),
      community,
      component,
      severity: severityOf(read('severity'), mapping?.severityMap) ?? settings.defaults.severity,
      summary: nonEmpty(text(read('summary'))) ?? type,
      details: { ...detailsOf(read('details')), ...(sender === undefined ? {} : { sender }) },
      labels: labelsOf(labels),
      occurredAt: timeOf(read('occurred_at'), now),
    },
    labels.field,
  );
}

/** How a field is named in messages: `type`, or `type (read from $.check.name)` under a mapping. */
function nameOf(raw: RawField): string {
  return raw.mappedFrom === null ? raw.name : `${raw.name} (read from ${raw.mappedFrom})`;
}

/** The field as text (numbers and booleans written out); undefined when absent or null. */
function text(raw: RawField): string | undefined {
  const value = raw.value;
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'string') {
    return value;
  }
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
    return String(value);
  }
  throw new IngestError(raw.field, `${nameOf(raw)} is ${describeValue(value)} — send text`);
}

function typeOf(raw: RawField): string {
  const type = nonEmpty(text(raw));
  if (type === undefined) {
    throw new IngestError(
      raw.field,
      raw.mappedFrom === null
        ? 'type is missing — every event needs a type naming what happened, like "server_start_failed"'
        : `type: nothing found at ${raw.mappedFrom} in this event — send it there or fix the integration's mapping`,
    );
  }
  if (type.length > MAX_TYPE_CHARS) {
    throw new IngestError(
      raw.field,
      `${nameOf(raw)} is ${type.length} characters long, more than ${MAX_TYPE_CHARS} — use a short name like "server_start_failed"`,
    );
  }
  return type;
}

function statusOf(raw: RawField, statusMap: Readonly<Record<string, 'problem' | 'ok'>>): 'problem' | 'ok' {
  const word = nonEmpty(text(raw));
  if (word === undefined) {
    return 'problem';
  }
  const own = lookUpWord(statusMap, word);
  if (own !== undefined) {
    return own;
  }
  const folded = word.trim().toLowerCase();
  if (PROBLEM_WORDS.includes(folded)) {
    return 'problem';
  }
  if (OK_WORDS.includes(folded)) {
    return 'ok';
  }
  const mapped = Object.keys(statusMap);
  throw new IngestError(
    raw.field,
    `${nameOf(raw)} ${describeValue(word)} is not one of ${[...PROBLEM_WORDS, ...OK_WORDS, ...mapped].join(', ')}` +
      ' — send "firing" while something is wrong or "resolved" once it is over',
  );
}

function severityOf(
  raw: RawField,
  severityMap: Readonly<Record<string, Severity>> | undefined,
): Severity | null {
  const word = nonEmpty(text(raw));
  if (word === undefined) {
    return null;
  }
  const severity = severityFromWord(word, severityMap);
  if (severity === null) {
    const words = [...Object.keys(BUILT_IN_SEVERITY_WORDS), ...Object.keys(severityMap ?? {})];
    throw new IngestError(
      raw.field,
      `${nameOf(raw)} ${describeValue(word)} is not one of ${words.join(', ')} — send "critical", "error", "warning" or "info"`,
    );
  }
  return severity;
}

function detailsOf(raw: RawField): Readonly<Record<string, unknown>> {
  if (raw.value === undefined || raw.value === null) {
    return {};
  }
  if (!isRecord(raw.value)) {
    throw new IngestError(raw.field, `${nameOf(raw)} is ${describeValue(raw.value)} — send an object`);
  }
  return plainData(raw.value, raw.field);
}

function labelsOf(raw: RawField): Readonly<Record<string, string>> {
  if (raw.value === undefined || raw.value === null) {
    return {};
  }
  if (!isRecord(raw.value)) {
    throw new IngestError(
      raw.field,
      `${nameOf(raw)} is ${describeValue(raw.value)} — send an object of names to text, like {"region": "eu"}`,
    );
  }
  return Object.fromEntries(
    Object.entries(raw.value).map(([key, value]) => {
      if (typeof value === 'string') {
        return [key, value];
      }
      if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
        return [key, String(value)];
      }
      throw new IngestError(
        childPath(raw.field, key),
        `label "${key}" is ${describeValue(value)} — label values are text: send a string, number or boolean`,
      );
    }),
  );
}

function timeOf(raw: RawField, now: number): number {
  const value = raw.value;
  if (value === undefined || value === null) {
    return now;
  }
  const time =
    typeof value === 'number' && Number.isFinite(value)
      ? Math.round(value)
      : typeof value === 'string'
        ? parseTimestamp(value)
        : null;
  if (time === null) {
    throw new IngestError(
      raw.field,
      `${nameOf(raw)} ${describeValue(value)} is not a time — send ISO 8601 like "2024-05-01T12:00:00Z" or epoch milliseconds as a number`,
    );
  }
  if (time < EARLIEST) {
    const seconds = typeof value === 'number' && value * 1000 >= EARLIEST && value * 1000 <= now + DAY_MS;
    throw new IngestError(
      raw.field,
      `${nameOf(raw)} ${describeValue(value)} is before the year 2000 — ` +
        (seconds ? 'this looks like epoch seconds: send milliseconds (× 1000)' : 'send when it happened'),
    );
  }
  if (time > now + DAY_MS) {
    throw new IngestError(
      raw.field,
      `${nameOf(raw)} ${describeValue(value)} is more than a day in the future — check the sender's clock and time zone`,
    );
  }
  return time;
}

/** An exact match first, then one ignoring case and surrounding space. */
function lookUpWord<T>(words: Readonly<Record<string, T>>, word: string): T | undefined {
  if (Object.hasOwn(words, word)) {
    return words[word];
  }
  const folded = word.trim().toLowerCase();
  const key = Object.keys(words).find((candidate) => candidate.trim().toLowerCase() === folded);
  return key === undefined ? undefined : words[key];
}
