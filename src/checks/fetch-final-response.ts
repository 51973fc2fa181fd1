import { type Dispatcher, request } from 'undici';
import type { HttpSpec } from './http-spec.js';
import { networkErrorReason } from './network-error-reason.js';
import { ProbeFailure } from './probe-failure.js';
import { type CappedBody, readCappedBody } from './read-capped-body.js';

/** Sent as user-agent unless the spec sets its own. */
export const DEFAULT_USER_AGENT = 'Firewatch/0.1 (+uptime check)';

/** The response a probe assesses: the last hop's status and its body, capped at spec.maxBodyBytes. */
export interface FinalResponse extends CappedBody {
  readonly status: number;
}

interface Hop {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
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

/**
 * Sends the spec's request, follows at most spec.maxRedirects redirects and reads the final body. Throws a
 * ProbeFailure (the reason is its message) for an invalid URL or redirect location, too many redirects, a
 * network error or an unreadable body. An abort through signal also surfaces as a ProbeFailure worded as a
 * network error, so callers check signal first.
 *
 * Redirects are followed here, not by undici, to count them and resolve relative Locations. A redirect whose
 * status is listed in expectStatus is the final response: that is how a check asserts "this URL redirects".
 */
export async function fetchFinalResponse(
  spec: HttpSpec,
  dispatcher: Dispatcher | undefined,
  signal: AbortSignal,
): Promise<FinalResponse> {
  let hop = firstHop(spec);
  for (let redirects = 0; ; redirects++) {
    const response = await send(hop, dispatcher, signal);
    const location = followableLocation(spec, response);
    if (location === null) {
      return { status: response.statusCode, ...(await readCappedBody(response, spec.maxBodyBytes, hop.url)) };
    }
    // Not read: the connection closes after every response anyway (see send). The listener keeps the abort
    // error undici emits on destroy from going unhandled.
    response.body.on('error', () => {}).destroy();
    if (redirects >= spec.maxRedirects) {
      throw new ProbeFailure(`too many redirects (more than ${spec.maxRedirects})`);
    }
    hop = nextHop(hop, response.statusCode, location);
  }
}

// undici's request does not decompress, so the probe asks for identity unless the spec chose an encoding;
// a compressed answer anyway (a misconfigured proxy, or the spec asked for it) is decoded in readCappedBody.
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

// `reset: true` sends "connection: close" and closes the socket after the response, so each check (and each
// hop) measures a fresh DNS lookup, connection and TLS handshake, as a visitor's first page load does, and
// the network policy is checked on every connection.
async function send(hop: Hop, dispatcher: Dispatcher | undefined, signal: AbortSignal) {
  try {
    return await request(hop.url, {
      method: hop.method,
      headers: hop.headers,
      body: hop.body,
      signal,
      dispatcher,
      reset: true,
    });
  } catch (error) {
    throw new ProbeFailure(networkErrorReason(error, hop.url), { cause: error });
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
