/** One step of a JSON path: an object key or an array index. */
export type JsonPathSegment = string | number;

/** What a JSON path points at: the value, or nothing (a missing key, an index out of range, a wrong type). */
export type JsonPathResult = { readonly found: true; readonly value: unknown } | { readonly found: false };

const HINT = 'write paths like $.status, $.items[0].name or $["key with spaces"]';
const DOT_KEY = /^[^.[\]\s'"]+/;
const INDEX = /^(0|[1-9][0-9]*)\]/;

/**
 * Parses a path made of `$`, `.key`, `['key']`, `["key"]` and `[0]` into its segments (`$` alone is []).
 * Throws an Error naming the path, the position and what was expected when the path is malformed.
 */
export function parseJsonPath(path: string): JsonPathSegment[] {
  if (!path.startsWith('$')) {
    throw malformed(path, 0, 'the path to start with "$"');
  }
  const segments: JsonPathSegment[] = [];
  let at = 1;
  while (at < path.length) {
    const step =
      path[at] === '.' ? readDotKey(path, at + 1) : path[at] === '[' ? readBracket(path, at + 1) : null;
    if (step === null) {
      throw malformed(path, at, '"." or "["');
    }
    segments.push(step.segment);
    at = step.next;
  }
  return segments;
}

/**
 * Reads the value at `path` (see parseJsonPath) inside a parsed JSON value. Keys match own properties of
 * objects only, indexes match arrays only. Throws like parseJsonPath when the path is malformed.
 */
export function readJsonPath(value: unknown, path: string): JsonPathResult {
  let current = value;
  for (const segment of parseJsonPath(path)) {
    const next = step(current, segment);
    if (!next.found) {
      return next;
    }
    current = next.value;
  }
  return { found: true, value: current };
}

function step(value: unknown, segment: JsonPathSegment): JsonPathResult {
  if (typeof segment === 'number') {
    return Array.isArray(value) && segment < value.length
      ? { found: true, value: value[segment] }
      : { found: false };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, segment)) {
    return { found: true, value: (value as Record<string, unknown>)[segment] };
  }
  return { found: false };
}

interface Step {
  readonly segment: JsonPathSegment;
  readonly next: number;
}

function readDotKey(path: string, at: number): Step {
  const match = DOT_KEY.exec(path.slice(at));
  if (match === null) {
    throw malformed(path, at, 'a key after "."');
  }
  return { segment: match[0], next: at + match[0].length };
}

function readBracket(path: string, at: number): Step {
  const quote = path[at];
  if (quote === "'" || quote === '"') {
    return readQuotedKey(path, at + 1, quote);
  }
  const match = INDEX.exec(path.slice(at));
  if (match === null || match[1] === undefined) {
    throw malformed(path, at, 'an array index like [0] or a quoted key like ["key"] after "["');
  }
  const index = Number(match[1]);
  if (!Number.isSafeInteger(index)) {
    throw malformed(path, at, 'an array index small enough to be exact');
  }
  return { segment: index, next: at + match[0].length };
}

/** Reads a quoted key up to its closing quote and "]"; a backslash escapes the next character. */
function readQuotedKey(path: string, at: number, quote: string): Step {
  let key = '';
  let i = at;
  while (i < path.length && path[i] !== quote) {
    if (path[i] === '\\') {
      i++;
    }
    key += path[i] ?? '';
    i++;
  }
  if (i >= path.length) {
    throw malformed(path, at - 1, `a closing ${quote}`);
  }
  if (path[i + 1] !== ']') {
    throw malformed(path, i + 1, `"]" after the quoted key`);
  }
  return { segment: key, next: i + 2 };
}

function malformed(path: string, position: number, expected: string): Error {
  return new Error(
    `invalid JSON path ${JSON.stringify(path)}: expected ${expected} at position ${position}; ${HINT}`,
  );
}
