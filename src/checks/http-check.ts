import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { type Dispatcher, request } from 'undici';
import type { CheckOutcome } from './check-outcome.js';
import type { HttpSpec, TextMatcher } from './http-spec.js';
import { readJsonPath } from './json-path.js';

/** Sent as user-agent unless the spec sets its own. */
export const DEFAULT_USER_AGENT = 'Firewatch/0.1 (+uptime check)';

/** The edges of one probe: cancellation, the connection pool (default: undici's global one) and a clock in ms. */
export interface HttpCheckOptions {
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
  readonly now?: () => number;
}

/**
 * Runs one HTTP probe and assesses the final response against the spec. Never throws: a network error,
 * a timeout (spec.timeoutMs over the whole probe: redirects, headers and body), a cancellation through
 * options.signal and every failed assertion become an outcome whose reason names the most important
 * problem first (network/timeout, then status, body, JSON, latency). durationMs covers the whole probe.
 */
export async function runHttpCheck(spec: HttpSpec, options: HttpCheckOptions = {}): Promise<CheckOutcome> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const deadline = startDeadline(spec.timeoutMs, options.signal);
  try {
    const response = await fetchFinalResponse(spec, options.dispatcher, deadline.signal);
    return assess(spec, response, Math.round(now() - started));
  } catch (error) {
    return {
      ok: false,
      slow: false,
      reason: failureReason(error, deadline, spec),
      durationMs: Math.round(now() - started),
    };
  } finally {
    deadline.dispose();
  }
}

/** A probe that ended without a response to assess; the message is the outcome's reason. */
class ProbeFailure extends Error {}

interface Deadline {
  readonly signal: AbortSignal;
  readonly timedOut: () => boolean;
  readonly dispose: () => void;
}

// A plain timer rather than AbortSignal.any/timeout: it is cleared when the probe ends, so thousands of
// probes a minute leave no pending timers or listeners on a long-lived outer signal.
function startDeadline(timeoutMs: number, outer: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const cancel = () => controller.abort(outer?.reason);
  if (outer?.aborted) cancel();
  else outer?.addEventListener('abort', cancel, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', cancel);
    },
  };
}

function failureReason(error: unknown, deadline: Deadline, spec: HttpSpec): string {
  if (deadline.timedOut()) return `timed out after ${spec.timeoutMs} ms`;
  if (deadline.signal.aborted) return 'probe cancelled before it finished';
  if (error instanceof ProbeFailure) return error.message;
  return `probe failed unexpectedly: ${messageOf(error)}`;
}

// ---- Request and redirects -------------------------------------------------------------------------------

interface Hop {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
}

interface FinalResponse {
  readonly status: number;
  readonly text: string;
  readonly truncated: boolean;
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const BODY_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
];
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'host'];

// Redirects are followed here, not by undici, to count them and resolve relative Locations. A redirect whose
// status is listed in expectStatus is the final response: that is how a check asserts "this URL redirects".
async function fetchFinalResponse(
  spec: HttpSpec,
  dispatcher: Dispatcher | undefined,
  signal: AbortSignal,
): Promise<FinalResponse> {
  let hop = firstHop(spec);
  for (let redirects = 0; ; redirects++) {
    const response = await send(hop, dispatcher, signal);
    const location = followableLocation(spec, response);
    if (location === null) {
      return { status: response.statusCode, ...(await readBody(response, spec.maxBodyBytes, hop.url)) };
    }
    // Drained rather than destroyed so a same-origin redirect can reuse the connection.
    await response.body.dump({ limit: 64 * 1024, signal }).catch(() => response.body.destroy());
    if (redirects >= spec.maxRedirects) {
      throw new ProbeFailure(`too many redirects (more than ${spec.maxRedirects})`);
    }
    hop = nextHop(hop, response.statusCode, location);
  }
}

// undici's request does not decompress, so the probe asks for identity unless the spec chose an encoding;
// a compressed answer anyway (a misconfigured proxy, or the spec asked for it) is decoded in readBody.
function firstHop(spec: HttpSpec): Hop {
  const url = parseHttpUrl(spec.url);
  if (url === null) {
    throw new ProbeFailure(
      `invalid URL ${JSON.stringify(spec.url)}: use an absolute http:// or https:// URL`,
    );
  }
  const headers: Record<string, string> = { 'user-agent': DEFAULT_USER_AGENT, 'accept-encoding': 'identity' };
  for (const [name, value] of Object.entries(spec.headers)) {
    headers[name.toLowerCase()] = value;
  }
  return { url, method: spec.method.toUpperCase(), headers, body: spec.body };
}

async function send(hop: Hop, dispatcher: Dispatcher | undefined, signal: AbortSignal) {
  try {
    return await request(hop.url, {
      method: hop.method,
      headers: hop.headers,
      body: hop.body,
      signal,
      dispatcher,
    });
  } catch (error) {
    throw new ProbeFailure(networkReason(error, hop.url), { cause: error });
  }
}

function followableLocation(spec: HttpSpec, response: Dispatcher.ResponseData): string | null {
  if (!REDIRECT_STATUSES.has(response.statusCode) || spec.expectStatus.includes(response.statusCode)) {
    return null;
  }
  const location = response.headers.location;
  return (Array.isArray(location) ? location[0] : location) ?? null;
}

// Method rewriting follows the WHATWG fetch standard, i.e. what a browser does: 303 turns anything but
// GET/HEAD into a GET, 301/302 turn only POST into a GET; 307/308 keep method and body. Credentials are not
// forwarded to another origin.
function nextHop(hop: Hop, status: number, location: string): Hop {
  const url = parseHttpUrl(location, hop.url);
  if (url === null) {
    throw new ProbeFailure(
      `redirect to an unsupported location ${JSON.stringify(location)} from ${hop.url.href}`,
    );
  }
  const toGet =
    (status === 303 && hop.method !== 'GET' && hop.method !== 'HEAD') ||
    ((status === 301 || status === 302) && hop.method === 'POST');
  const dropped = [
    ...(toGet ? BODY_HEADERS : []),
    ...(url.origin !== hop.url.origin ? CREDENTIAL_HEADERS : []),
  ];
  const headers = Object.fromEntries(Object.entries(hop.headers).filter(([name]) => !dropped.includes(name)));
  return { url, method: toGet ? 'GET' : hop.method, headers, body: toGet ? null : hop.body };
}

// URL.parse would do, but it arrived in Node 22.
function parseHttpUrl(text: string, base?: URL): URL | null {
  if (!URL.canParse(text, base?.href)) return null;
  const url = new URL(text, base);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}

// ---- Body ------------------------------------------------------------------------------------------------

type Decoder = () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress;

// Lenient flushing as in undici's fetch: a body cut short still yields the bytes decoded so far.
const ZLIB_OPTIONS = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: () => zlib.createGunzip(ZLIB_OPTIONS),
  'x-gzip': () => zlib.createGunzip(ZLIB_OPTIONS),
  deflate: () => zlib.createInflate(ZLIB_OPTIONS),
  br: () =>
    zlib.createBrotliDecompress({
      flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
    }),
};

// A body the probe cannot decode fails the check even without body assertions: a browser could not read it
// either. The cap applies to decoded bytes, so a small compressed body cannot expand without limit.
async function readBody(
  response: Dispatcher.ResponseData,
  maxBytes: number,
  url: URL,
): Promise<Omit<FinalResponse, 'status'>> {
  const body = response.body;
  let bodyFailedFirst = false;
  let decoderFailedFirst = false;
  // Also keeps the error that undici emits when the stream is destroyed at the cap from going unhandled.
  body.on('error', () => {
    bodyFailedFirst ||= !decoderFailedFirst;
  });
  const encoding = String(response.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  const decoder = DECODERS[encoding]?.();
  if (decoder === undefined && encoding !== 'identity' && encoding !== '') {
    body.destroy();
    throw new ProbeFailure(`response uses unsupported content-encoding "${encoding}"`);
  }
  let source: Readable = body;
  if (decoder !== undefined) {
    decoder.on('error', () => {
      decoderFailedFirst ||= !bodyFailedFirst;
    });
    pipeline(body, decoder, () => {});
    source = decoder;
  }
  try {
    return await readCapped(source, maxBytes);
  } catch (error) {
    const reason = decoderFailedFirst
      ? `response body is not valid ${encoding}: ${messageOf(error)}`
      : `${networkReason(error, url)} while reading the body`;
    throw new ProbeFailure(reason, { cause: error });
  }
}

// Returning from inside for-await destroys the stream, which makes undici abort the request: the socket is
// closed rather than left half-read.
async function readCapped(source: Readable, maxBytes: number): Promise<Omit<FinalResponse, 'status'>> {
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    const room = maxBytes - size;
    if (chunk.length > room) {
      kept.push(chunk.subarray(0, room));
      return { text: decodeUtf8(kept), truncated: true };
    }
    kept.push(chunk);
    size += chunk.length;
  }
  return { text: decodeUtf8(kept), truncated: false };
}

// Non-fatal: invalid sequences (or a character cut at the cap) become U+FFFD; a leading BOM is dropped.
function decodeUtf8(chunks: readonly Buffer[]): string {
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

// ---- Network errors --------------------------------------------------------------------------------------

const NETWORK_PHRASES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'server sent no response headers',
  UND_ERR_BODY_TIMEOUT: 'server stopped sending the body',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'response shorter or longer than its content-length',
};

/** "connection refused (ECONNREFUSED) to 127.0.0.1:9"; TLS and unknown errors also carry their message. */
function networkReason(error: unknown, url: URL): string {
  const code = codeOf(error) ?? 'no error code';
  const target = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  const phrase = NETWORK_PHRASES[code];
  if (phrase !== undefined) return `${phrase} (${code}) to ${target}`;
  if (code.includes('CERT') || code.startsWith('UNABLE_TO_')) {
    return `TLS certificate rejected (${code}) to ${target}: ${messageOf(error)}`;
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    return `TLS handshake failed (${code}) to ${target}: ${messageOf(error)}`;
  }
  if (code.startsWith('HPE_')) return `invalid HTTP response (${code}) from ${target}: ${messageOf(error)}`;
  return `request failed (${code}) to ${target}: ${messageOf(error)}`;
}

// Node reports a failed multi-address connect (happy eyeballs) as an AggregateError; undici may wrap causes.
function codeOf(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 3) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError) return codeOf(error.errors[0], depth + 1);
  return codeOf((error as { cause?: unknown }).cause, depth + 1);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---- Assertions ------------------------------------------------------------------------------------------

function assess(spec: HttpSpec, response: FinalResponse, durationMs: number): CheckOutcome {
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
