import { parseJsonPath, readJsonPath } from '../checks/json-path.js';
import { messageOf } from '../checks/message-of.js';
import type { Severity, Signal } from '../rules/signal.js';
import {
  boundedSignal,
  checkSignalCount,
  childPath,
  describeValue,
  formatPath,
  isRecord,
  nonEmpty,
  parseTimestamp,
  plainData,
} from './alertmanager-payload.js';
import { type GenericMapping, IngestError, type IntegrationSettings } from './integration-settings.js';
import { BUILT_IN_SEVERITY_WORDS, severityFromWord } from './severity-words.js';

/** The fields of Firewatch's own event shape. */
export const GENERIC_EVENT_FIELDS = [
  'type',
  'dedup_key',
  'status',
  'source',
  'community',
  'component',
  'severity',
  'summary',
  'details',
  'labels',
  'occurred_at',
] as const;
type EventField = (typeof GENERIC_EVENT_FIELDS)[number];

/** Where a mapping keeps the path of each event field (`source` cannot be mapped). */
const MAPPING_KEYS = {
  type: 'type',
  dedup_key: 'dedupKey',
  status: 'status',
  source: null,
  community: 'community',
  component: 'component',
  severity: 'severity',
  summary: 'summary',
  details: 'details',
  labels: 'labels',
  occurred_at: 'occurredAt',
} as const satisfies Record<EventField, keyof GenericMapping['fields'] | null>;

const PROBLEM_WORDS = ['firing', 'trigger', 'triggered', 'problem', 'failure', 'failed', 'error', 'alert'];
const OK_WORDS = ['resolved', 'resolve', 'ok', 'success', 'succeeded', 'recovered'];
const MAX_TYPE_CHARS = 100;
const EARLIEST = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

type Path = readonly (string | number)[];

/** One field as read from one event: its value (undefined when absent) and where it is in the body. */
interface RawField {
  readonly name: EventField;
  readonly value: unknown;
  readonly field: string;
  /** The mapping's JSON path it was read through; null for Firewatch's own shape. */
  readonly mappedFrom: string | null;
}
type ReadField = (name: EventField) => RawField;

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

function ownEvents(body: unknown): ReadField[] {
  let list: readonly unknown[];
  let at: Path;
  if (Array.isArray(body)) {
    [list, at] = [body, []];
  } else if (isRecord(body) && Object.hasOwn(body, 'events')) {
    const beside = Object.keys(body).find((key) => key !== 'events');
    if (beside !== undefined) {
      throw new IngestError(
        childPath('', beside),
        `"${beside}" is not taken next to "events" — put it inside each event of the list`,
      );
    }
    if (!Array.isArray(body.events)) {
      throw new IngestError('events', `events is ${describeValue(body.events)} — send a list of events`);
    }
    [list, at] = [body.events, ['events']];
  } else if (isRecord(body)) {
    return [ownEvent(body, [])];
  } else {
    throw new IngestError(
      '',
      `the body is ${describeValue(body)} — send one event object, a list of them, or {"events": [...]}`,
    );
  }
  checkSignalCount(list, at, 'split the events over several requests');
  return list.map((event, i) => ownEvent(event, [...at, i]));
}

function ownEvent(event: unknown, at: Path): ReadField {
  if (!isRecord(event)) {
    throw new IngestError(
      formatPath(at),
      `the event is ${describeValue(event)} — send an object like {"type": "server_start_failed"}`,
    );
  }
  for (const key of Object.keys(event)) {
    if (!(GENERIC_EVENT_FIELDS as readonly string[]).includes(key)) {
      throw new IngestError(formatPath([...at, key]), unknownFieldMessage(key));
    }
  }
  return (name) => ({
    name,
    value: Object.hasOwn(event, name) ? event[name] : undefined,
    field: formatPath([...at, name]),
    mappedFrom: null,
  });
}

function unknownFieldMessage(key: string): string {
  const guess =
    key.length > 40
      ? undefined
      : GENERIC_EVENT_FIELDS.find((name) => editDistance(fold(key), fold(name)) <= 2);
  const hint = guess === undefined ? '' : ` — did you mean "${guess}"?`;
  return `unknown field ${describeValue(key)}${hint}; accepted fields: ${GENERIC_EVENT_FIELDS.join(', ')}`;
}

function mappedEvents(body: unknown, mapping: GenericMapping): ReadField[] {
  const paths = new Map<EventField, { readonly path: string; readonly segments: Path }>();
  for (const name of GENERIC_EVENT_FIELDS) {
    const key = MAPPING_KEYS[name];
    const path = key === null ? undefined : mapping.fields[key];
    if (path !== undefined) {
      paths.set(name, { path, segments: mappingPath(path, name) });
    }
  }
  if (!paths.has('type')) {
    throw new IngestError(
      '',
      "the integration's mapping has no path for type — set one (like $.alertname) in its settings",
    );
  }
  let list: readonly unknown[];
  let at: Path = [];
  if (mapping.eventsPath === null) {
    if (!Array.isArray(body) && !isRecord(body)) {
      throw new IngestError('', `the body is ${describeValue(body)} — send a JSON object or a list of them`);
    }
    list = Array.isArray(body) ? body : [body];
  } else {
    at = mappingPath(mapping.eventsPath, 'events');
    const found = readJsonPath(body, mapping.eventsPath);
    if (!found.found) {
      throw new IngestError(
        formatPath(at),
        `found no events at ${mapping.eventsPath} — send them there or fix the integration's events path`,
      );
    }
    if (!Array.isArray(found.value) && !isRecord(found.value)) {
      throw new IngestError(
        formatPath(at),
        `${mapping.eventsPath} holds ${describeValue(found.value)} — the events path must lead to a list of events`,
      );
    }
    list = Array.isArray(found.value) ? found.value : [found.value];
  }
  checkSignalCount(list, at, 'split the events over several requests');
  return list.map((event, i): ReadField => {
    const eventAt: Path = Array.isArray(body) || mapping.eventsPath !== null ? [...at, i] : at;
    return (name) => {
      const mapped = paths.get(name);
      if (mapped === undefined) {
        return { name, value: undefined, field: formatPath(eventAt), mappedFrom: null };
      }
      const found = readJsonPath(event, mapped.path);
      return {
        name,
        value: found.found ? found.value : undefined,
        field: formatPath([...eventAt, ...mapped.segments]),
        mappedFrom: mapped.path,
      };
    };
  });
}

/** A mapping path's segments; a malformed one is the integration's fault, said as an IngestError. */
function mappingPath(path: string, name: string): Path {
  try {
    return parseJsonPath(path);
  } catch (error) {
    throw new IngestError('', `the integration's mapping for ${name} is unusable: ${messageOf(error)}`);
  }
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

function fold(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/** Levenshtein distance, for did-you-mean hints on short field names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
