import type { Signal } from '../rules/signal.js';
import { type BodyPath, childPath, describeValue, formatPath, isRecord } from './body-path.js';
import { IngestError } from './integration-settings.js';

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

/** Throws IngestError at `at` when `list` is an array of more than MAX_SIGNALS_PER_BODY entries. */
export function checkSignalCount(list: unknown, at: BodyPath, fix: string): void {
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

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}
