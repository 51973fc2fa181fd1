import type { Dispatcher } from 'undici';
import { assessResponse } from './assess-response.js';
import type { CheckOutcome } from './check-outcome.js';
import { type Deadline, startDeadline } from './deadline.js';
import { type FinalResponse, fetchFinalResponse } from './fetch-final-response.js';
import type { HttpSpec } from './http-spec.js';
import { interpolate } from './interpolate.js';
import { readJsonPath } from './json-path.js';
import { messageOf } from './message-of.js';
import type { Extraction, MultiStepSpec, StepRequest, StepSpec } from './multi-step-spec.js';
import type { ProbeContext } from './network-policy.js';
import { probeDispatcher } from './probe-dispatcher.js';
import { ProbeFailure } from './probe-failure.js';

/**
 * The edges of one journey: the connection pool (default: probeDispatcher(context.policy); a dispatcher passed
 * here replaces the policy's guard), a clock in ms for durations and one in epoch ms for cookies' Expires.
 */
export interface MultiStepCheckOptions {
  readonly dispatcher?: Dispatcher;
  readonly now?: () => number;
  readonly wallClock?: () => number;
}

/**
 * Runs the steps in order under one deadline (spec.timeoutMs for the whole journey, cancelled with
 * context.signal) and one cookie jar, and reports the first failing step: `step 2 (load dashboard): expected
 * status 200, got 401`. Before a step, `${variable}` in its URL, header values and body is filled in from the
 * extractions of earlier steps; a step is assessed exactly like an HTTP probe, then its extractions run. A step
 * that fails only its latency limit does not end the journey; the outcome is `slow` when that is all that
 * failed. Never throws; durationMs covers the whole journey.
 */
export async function runMultiStepCheck(
  spec: MultiStepSpec,
  context: ProbeContext,
  options: MultiStepCheckOptions = {},
): Promise<CheckOutcome> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const finish = (ok: boolean, slow: boolean, reason: string | null): CheckOutcome => {
    return { ok, slow, reason, durationMs: Math.round(now() - started) };
  };
  if (spec.steps.length === 0) return finish(false, false, 'the journey has no steps: add at least one');
  const deadline = startDeadline(spec.timeoutMs, context.signal);
  try {
    const journey: Journey = {
      session: openSession(
        options.dispatcher ?? probeDispatcher(context.policy),
        options.wallClock ?? Date.now,
      ),
      deadline,
      timeoutMs: spec.timeoutMs,
      now,
    };
    let variables: ReadonlyMap<string, string> = new Map();
    const slowSteps: string[] = [];
    for (const [index, step] of spec.steps.entries()) {
      const label = `step ${index + 1} (${step.name})`;
      const verdict = await runStep(step, variables, journey);
      if (verdict.failure !== null) return finish(false, false, `${label}: ${verdict.failure}`);
      if (verdict.slowReason !== null) slowSteps.push(`${label}: ${verdict.slowReason}`);
      variables = verdict.variables;
    }
    return slowSteps.length === 0 ? finish(true, false, null) : finish(false, true, slowSteps.join('; '));
  } catch (error) {
    return finish(false, false, `probe failed unexpectedly: ${messageOf(error)}`);
  } finally {
    deadline.dispose();
  }
}

interface Journey {
  readonly session: Session;
  readonly deadline: Deadline;
  readonly timeoutMs: number;
  readonly now: () => number;
}

/** A failed step ends the journey; a passed one may still be over its latency limit. */
type StepVerdict =
  | { readonly failure: string }
  | {
      readonly failure: null;
      readonly slowReason: string | null;
      readonly variables: ReadonlyMap<string, string>;
    };

async function runStep(
  step: StepSpec,
  variables: ReadonlyMap<string, string>,
  journey: Journey,
): Promise<StepVerdict> {
  let request: HttpSpec;
  try {
    request = fillIn(step.request, variables, journey.timeoutMs);
  } catch (error) {
    return { failure: messageOf(error) };
  }
  const started = journey.now();
  let response: FinalResponse;
  try {
    response = await fetchFinalResponse(request, journey.session.dispatcher, journey.deadline.signal);
  } catch (error) {
    return { failure: fetchFailure(error, journey) };
  }
  const assessed = assessResponse(request, response, Math.round(journey.now() - started));
  if (!assessed.ok && !assessed.slow) return { failure: assessed.reason ?? 'assertions failed' };
  const next = new Map(variables);
  for (const extraction of step.extract) {
    const found = extract(extraction, response.text, journey.session.lastHeaders());
    if ('missing' in found) {
      return { failure: `${found.missing}, needed for variable "${extraction.variable}"` };
    }
    next.set(extraction.variable, found.value);
  }
  return { failure: null, slowReason: assessed.slow ? assessed.reason : null, variables: next };
}

/** The step's request with its variables filled in; throws an Error saying which part could not be. */
function fillIn(request: StepRequest, variables: ReadonlyMap<string, string>, timeoutMs: number): HttpSpec {
  const fill = (template: string, where: string) => {
    try {
      return interpolate(template, variables);
    } catch (error) {
      throw new Error(`cannot fill in ${where}: ${messageOf(error)}`, { cause: error });
    }
  };
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name, fill(value, `header "${name}"`)]),
  );
  const body = request.body === null ? null : fill(request.body, 'the body');
  return { ...request, url: fill(request.url, 'the URL'), headers, body, timeoutMs };
}

function fetchFailure(error: unknown, journey: Journey): string {
  if (journey.deadline.timedOut())
    return `timed out (the whole journey is limited to ${journey.timeoutMs} ms)`;
  if (journey.deadline.signal.aborted) return 'probe cancelled before it finished';
  if (error instanceof ProbeFailure) return error.message;
  return `probe failed unexpectedly: ${messageOf(error)}`;
}

type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

// A JSON string is taken as it is, any other JSON value (null excepted) as its JSON text: 42, true, {"a":1}.
function extract(
  extraction: Extraction,
  body: string,
  headers: ResponseHeaders,
): { readonly value: string } | { readonly missing: string } {
  if (extraction.from === 'header') {
    const value = headers[extraction.header.toLowerCase()];
    if (value === undefined) return { missing: `header "${extraction.header}" not found in the response` };
    return { value: Array.isArray(value) ? value.join(', ') : value };
  }
  if (extraction.from === 'regex') {
    const shown = `/${extraction.pattern}/${extraction.flags}`;
    let match: RegExpExecArray | null;
    try {
      match = new RegExp(extraction.pattern, extraction.flags).exec(body);
    } catch (error) {
      return { missing: `invalid pattern ${shown}: ${messageOf(error)}` };
    }
    if (match === null) return { missing: `body does not match ${shown}` };
    const value = match[extraction.group];
    return value === undefined
      ? { missing: `group ${extraction.group} of ${shown} captured nothing` }
      : { value };
  }
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return { missing: 'response body is not JSON' };
  }
  try {
    const found = readJsonPath(document, extraction.path);
    if (!found.found) return { missing: `${extraction.path} not found in the response` };
    if (found.value === null) return { missing: `${extraction.path} is null in the response` };
    return { value: typeof found.value === 'string' ? found.value : JSON.stringify(found.value) };
  } catch (error) {
    return { missing: messageOf(error) };
  }
}

/** The journey's connection pool, sending and keeping cookies per host and recording response headers. */
interface Session {
  readonly dispatcher: Dispatcher;
  /** Headers of the latest response, i.e. after a step: its final response's. */
  readonly lastHeaders: () => ResponseHeaders;
}

// An interceptor rather than a copy of fetchFinalResponse: it sees every hop, so cookies set by a redirect
// reach the next hop, and the guarded dispatcher underneath keeps enforcing the network policy.
function openSession(base: Dispatcher, wallClock: () => number): Session {
  let jar: CookieJar = new Map();
  let last: ResponseHeaders = {};
  const dispatcher = base.compose((dispatch) => (opts, handler) => {
    const host = opts.origin === undefined ? '' : new URL(String(opts.origin)).hostname;
    const cookie = cookieHeader(jar, host);
    const headers = cookie === null ? opts.headers : withCookie(opts.headers, cookie);
    const tap = tapResponseStart(handler, (received) => {
      last = received;
      const setCookie = received['set-cookie'] ?? [];
      jar = storeCookies(jar, host, Array.isArray(setCookie) ? setCookie : [setCookie], wallClock());
    });
    return dispatch({ ...opts, headers }, tap);
  });
  return { dispatcher, lastHeaders: () => last };
}

// fetchFinalResponse passes headers as a record with lowercased names: the only shape this dispatcher sees.
function withCookie(headers: Dispatcher.DispatchOptions['headers'], cookie: string): Record<string, string> {
  const record = (headers ?? {}) as Readonly<Record<string, string>>;
  return { ...record, cookie: record.cookie === undefined ? cookie : `${record.cookie}; ${cookie}` };
}

function tapResponseStart(
  handler: Dispatcher.DispatchHandler,
  seen: (headers: ResponseHeaders) => void,
): Dispatcher.DispatchHandler {
  return {
    onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
    onRequestUpgrade: (controller, status, headers, socket) =>
      handler.onRequestUpgrade?.(controller, status, headers, socket),
    onResponseStart: (controller, status, headers, message) => {
      seen(headers);
      handler.onResponseStart?.(controller, status, headers, message);
    },
    onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
    onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
    onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
  };
}

/** Cookie values by host name (ports share cookies, as in browsers), then by cookie name. */
type CookieJar = ReadonlyMap<string, ReadonlyMap<string, string>>;

// Domain, Path, Secure and SameSite are ignored: a journey talks to a few hosts of one service.
function storeCookies(jar: CookieJar, host: string, lines: readonly string[], nowMs: number): CookieJar {
  if (lines.length === 0) return jar;
  const cookies = new Map(jar.get(host));
  for (const line of lines) {
    const [pair = '', ...attributes] = line.split(';');
    const equals = pair.indexOf('=');
    const name = pair.slice(0, equals).trim();
    if (equals < 1 || name === '') continue;
    if (isExpired(attributes, nowMs)) cookies.delete(name);
    else cookies.set(name, pair.slice(equals + 1).trim());
  }
  return new Map(jar).set(host, cookies);
}

// Max-Age wins over Expires (RFC 6265 §5.3); an unparsable date is ignored.
function isExpired(attributes: readonly string[], nowMs: number): boolean {
  const values = new Map(
    attributes.map((attribute) => {
      const [name = '', ...value] = attribute.split('=');
      return [name.trim().toLowerCase(), value.join('=').trim()];
    }),
  );
  const maxAge = values.get('max-age');
  if (maxAge !== undefined && /^-?\d+$/.test(maxAge)) return Number(maxAge) <= 0;
  const expires = values.get('expires');
  return expires !== undefined && Date.parse(expires) <= nowMs;
}

function cookieHeader(jar: CookieJar, host: string): string | null {
  const cookies = [...(jar.get(host) ?? [])];
  return cookies.length === 0 ? null : cookies.map(([name, value]) => `${name}=${value}`).join('; ');
}
