import { parseJsonPath, readJsonPath } from '../checks/json-path.js';
import { messageOf } from '../checks/message-of.js';
import { type BodyPath, describeValue, formatPath, isRecord } from './body-path.js';
import { type EventField, GENERIC_EVENT_FIELDS, type ReadField } from './event-fields.js';
import { type GenericMapping, IngestError } from './integration-settings.js';
import { checkSignalCount } from './signal-limits.js';

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

/**
 * The events of a body read through an integration's mapping: found at its events path (else the body
 * itself), each field read through its JSON path; unknown fields are ignored. Throws IngestError.
 */
export function mappedEvents(body: unknown, mapping: GenericMapping): ReadField[] {
  const paths = new Map<EventField, { readonly path: string; readonly segments: BodyPath }>();
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
  let at: BodyPath = [];
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
    const eventAt: BodyPath = Array.isArray(body) || mapping.eventsPath !== null ? [...at, i] : at;
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
function mappingPath(path: string, name: string): BodyPath {
  try {
    return parseJsonPath(path);
  } catch (error) {
    throw new IngestError('', `the integration's mapping for ${name} is unusable: ${messageOf(error)}`);
  }
}
