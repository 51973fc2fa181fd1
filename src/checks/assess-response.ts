import type { CheckOutcome } from './check-outcome.js';
import type { FinalResponse } from './fetch-final-response.js';
import type { HttpSpec, TextMatcher } from './http-spec.js';
import { readJsonPath } from './json-path.js';
import { messageOf } from './message-of.js';

/**
 * Checks a final response against the spec's assertions. Pure and never throws: every failed assertion is
 * listed in the reason, in the order status, body, JSON, latency; a response that only fails maxLatencyMs
 * is `slow`.
 */
export function assessResponse(spec: HttpSpec, response: FinalResponse, durationMs: number): CheckOutcome {
  const failures = [
    ...statusFailures(spec, response),
    ...bodyFailures(spec, response),
    ...jsonFailures(spec, response),
  ];
  const tooSlow = spec.maxLatencyMs !== null && durationMs > spec.maxLatencyMs;
  if (tooSlow) failures.push(`response took ${durationMs} ms, limit ${spec.maxLatencyMs} ms`);
  return {
    ok: failures.length === 0,
    slow: tooSlow && failures.length === 1,
    reason: failures.length === 0 ? null : failures.join('; '),
    durationMs,
  };
}

function statusFailures(spec: HttpSpec, { status }: FinalResponse): string[] {
  const expected = spec.expectStatus;
  if (expected.length === 0) {
    return status >= 200 && status <= 299 ? [] : [`expected a 2xx status, got ${status}`];
  }
  if (expected.includes(status)) return [];
  const listed =
    expected.length === 1 ? `${expected[0]}` : `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}`;
  return [`expected status ${listed}, got ${status}`];
}

function bodyFailures(spec: HttpSpec, response: FinalResponse): string[] {
  const cut = truncationNote(spec, response);
  const failures: string[] = [];
  for (const matcher of spec.bodyContains) {
    const found = findMatch(matcher, response.text);
    const verb = matcher.kind === 'text' ? 'contain' : 'match';
    if (found === false) failures.push(`body does not ${verb} ${show(matcher)}${cut}`);
    else if (found !== true) failures.push(found);
  }
  for (const matcher of spec.bodyNotContains) {
    const found = findMatch(matcher, response.text);
    const verb = matcher.kind === 'text' ? 'contains' : 'matches';
    if (found === true) failures.push(`body ${verb} ${show(matcher)}`);
    else if (found !== false) failures.push(found);
  }
  return failures;
}

/** Whether the body matches; a string is the reason an invalid pattern could not be used. */
function findMatch(matcher: TextMatcher, text: string): boolean | string {
  if (matcher.kind === 'text') return text.includes(matcher.value);
  try {
    return new RegExp(matcher.pattern, matcher.flags).test(text);
  } catch (error) {
    return `invalid body pattern ${show(matcher)}: ${messageOf(error)}`;
  }
}

function jsonFailures(spec: HttpSpec, response: FinalResponse): string[] {
  if (spec.json.length === 0) return [];
  let document: unknown;
  try {
    document = JSON.parse(response.text);
  } catch {
    return [`response body is not JSON${truncationNote(spec, response)}`];
  }
  return spec.json.flatMap(({ path, equals }) => {
    try {
      const found = readJsonPath(document, path);
      if (!found.found) return [`${path} not found in the response`];
      return jsonEquals(found.value, equals)
        ? []
        : [`${path} is ${showJson(found.value)}, expected ${showJson(equals)}`];
    } catch (error) {
      return [messageOf(error)];
    }
  });
}

function truncationNote(spec: HttpSpec, response: FinalResponse): string {
  return response.truncated ? ` (only the first ${spec.maxBodyBytes} bytes of the body were read)` : '';
}

/** Deep equality of JSON values: key order does not matter, array order does. */
function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => jsonEquals(item, b[i]))
    );
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && jsonEquals(a[key], b[key]))
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function show(matcher: TextMatcher): string {
  return matcher.kind === 'text' ? JSON.stringify(matcher.value) : `/${matcher.pattern}/${matcher.flags}`;
}

function showJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
