import { type BodyPath, childPath, describeValue, formatPath, isRecord } from './body-path.js';
import { GENERIC_EVENT_FIELDS, type ReadField } from './event-fields.js';
import { IngestError } from './integration-settings.js';
import { checkSignalCount } from './signal-limits.js';

/**
 * The events of a body in Firewatch's own shape: one event, a list of them, or `{"events": [...]}`.
 * Unknown fields are refused with a did-you-mean hint; throws IngestError naming the field.
 */
export function ownEvents(body: unknown): ReadField[] {
  let list: readonly unknown[];
  let at: BodyPath;
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

function ownEvent(event: unknown, at: BodyPath): ReadField {
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
