import type { LookupAddress } from 'node:dns';
import {
  createServer,
  request as forward,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo, connect, type LookupFunction, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { PRIVATE_TARGET_CODE } from './guarded-lookup.js';
import { messageOf } from './message-of.js';
import { networkErrorReason } from './network-error-reason.js';

/** A request the proxy answered itself instead of forwarding it, and why. */
export interface ProxyRefusal {
  /** The host the browser asked for (an IPv6 literal without brackets), lower-case, and the port. */
  readonly host: string;
  readonly port: number;
  /** The full URL of a plain HTTP request; null for a CONNECT tunnel (HTTPS, WebSocket), whose path is secret. */
  readonly url: string | null;
  /** The policy's message as is, or why the target could not be reached ("connection refused (…) to h:p"). */
  readonly reason: string;
  /** The lookup refused the target (EFWPRIVATE); false when it could not be resolved or reached. */
  readonly byPolicy: boolean;
}

/** A running policy proxy: its address for the browser, what it refused so far, and how to stop it. */
export interface PolicyProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly refusals: () => readonly ProxyRefusal[];
  /** Stops listening and destroys every open connection and tunnel. */
  readonly close: () => Promise<void>;
}

/** Bounds for reaching a target. */
export interface PolicyProxyOptions {
  /** Resolving the host and connecting to it, together; 10 s by default. */
  readonly connectTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

// Headers that describe one hop (RFC 9110 §7.6.1) and are not forwarded; Node sets its own framing.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * A forward proxy on 127.0.0.1 that enforces the network policy when it connects: for every CONNECT
 * (`host:port`) and absolute-URI plain HTTP request it resolves the host, IP literals included, through
 * `lookup`, and connects to the address the lookup returned, so nothing resolves the name a second time (no
 * DNS rebinding). When the lookup refuses (a guarded lookup does so for private targets, with EFWPRIVATE) the
 * target never sees a byte: the proxy answers 403 with the lookup's message and records the refusal. An
 * unreachable target gets 502 (504 past connectTimeoutMs) and is recorded too. Other requests get 400.
 */
export async function startPolicyProxy(
  lookup: LookupFunction,
  options: PolicyProxyOptions = {},
): Promise<PolicyProxy> {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const refusals: ProxyRefusal[] = [];
  const sockets = new Set<Duplex>();
  let closed = false;
  const track = (socket: Duplex) => {
    if (closed) return socket.destroy();
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const reach = (host: string, port: number) => reachTarget(lookup, { host, port }, connectTimeoutMs, track);

  // Records why `host:port` was not reached; the status to answer with and the reason to put in the body.
  const refuse = (host: string, port: number, url: string | null, error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code;
    const byPolicy = code === PRIVATE_TARGET_CODE;
    const target = new URL(`http://${host.includes(':') ? `[${host}]` : host}:${port}`);
    const refusal = { host, port, url, reason: networkErrorReason(error, target), byPolicy };
    refusals.push(refusal);
    return { status: byPolicy ? 403 : code === 'ETIMEDOUT' ? 504 : 502, reason: refusal.reason };
  };

  const server = createServer((req, res) => {
    const target = plainHttpTarget(req);
    if (target === null) return answer(res, 400, 'this is a forward proxy: send an absolute http:// URL');
    void reach(target.host, target.port).then(
      (socket) => (req.socket.destroyed ? socket.destroy() : relay(req, res, target.url, socket)),
      (error) => {
        const { status, reason } = refuse(target.host, target.port, target.url.href, error);
        answer(res, status, reason);
      },
    );
  });
  server.on('connection', track);
  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    client.on('error', () => client.destroy());
    const target = connectTarget(req.url ?? '');
    if (target === null) return client.end(rawResponse(400, `not a host:port: ${req.url}`));
    void reach(target.host, target.port).then(
      (upstream) => {
        if (client.destroyed) return upstream.destroy();
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) upstream.write(head);
        upstream.on('error', () => client.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
        upstream.pipe(client);
        client.pipe(upstream);
      },
      (error) => {
        const { status, reason } = refuse(target.host, target.port, null, error);
        client.end(rawResponse(status, reason));
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refusals: () => [...refusals],
    close: async () => {
      closed = true;
      const stopped = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}

// Sends `req` on the connected `socket` (one request per connection) and streams the answer back.
function relay(req: IncomingMessage, res: ServerResponse, url: URL, socket: Socket): void {
  const upstream = forward({
    createConnection: () => socket,
    method: req.method,
    path: `${url.pathname}${url.search}`,
    // The absolute URI names the target; a Host header that disagrees is replaced (RFC 9112 §3.2.2).
    headers: { ...endToEnd(req.rawHeaders), host: url.host, connection: 'close' },
  });
  upstream.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', (error) => {
    if (res.headersSent) return res.destroy();
    answer(res, 502, `${url.host} broke off: ${messageOf(error)}`);
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

function endToEnd(rawHeaders: readonly string[]): OutgoingHttpHeaders {
  const pairs: (readonly [string, string])[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    pairs.push([rawHeaders[i]!.toLowerCase(), rawHeaders[i + 1]!]);
  const listed = pairs.filter(([name]) => name === 'connection').flatMap(([, value]) => value.split(','));
  const dropped = new Set([...HOP_BY_HOP, ...listed.map((name) => name.trim().toLowerCase())]);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    if (dropped.has(name)) continue;
    const earlier = headers[name];
    headers[name] = earlier === undefined ? value : [earlier, value].flat();
  }
  return headers;
}

function answer(res: ServerResponse, status: number, reason: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${reason}\n`);
}

function rawResponse(status: number, reason: string): string {
  const body = `${reason}\n`;
  return (
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
  );
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  403: 'Forbidden',
  502: 'Bad Gateway',
  504: 'Gateway Timeout',
};

interface Target {
  readonly host: string;
  readonly port: number;
}

// `example.com:443` or `[2001:db8::1]:443`, as Chromium sends them in CONNECT.
function connectTarget(authority: string): Target | null {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]/\s]+)):(\d{1,5})$/.exec(authority);
  const port = Number(match?.[3]);
  if (match === null || port < 1 || port > 65_535) return null;
  return { host: (match[1] ?? match[2]!).toLowerCase(), port };
}

function plainHttpTarget(req: IncomingMessage): (Target & { readonly url: URL }) | null {
  if (!URL.canParse(req.url ?? '')) return null;
  const url = new URL(req.url!);
  if (url.protocol !== 'http:' || url.hostname === '') return null;
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 80), url };
}

function resolveAll(lookup: LookupFunction, host: string): Promise<readonly LookupAddress[]> {
  return new Promise((resolve, reject) => {
    try {
      lookup(host, { all: true }, (error, resolved, family) => {
        if (error) return reject(error);
        resolve(typeof resolved === 'string' ? [{ address: resolved, family: family ?? 0 }] : resolved);
      });
    } catch (error) {
      reject(error);
    }
  });
}

// Resolves the host and connects to the first address that answers, all within `timeoutMs`; rejects with the
// lookup's error (a refusal), the last connect error, or an ETIMEDOUT error.
async function reachTarget(
  lookup: LookupFunction,
  { host, port }: Target,
  timeoutMs: number,
  track: (socket: Duplex) => void,
): Promise<Socket> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const addresses = await untilAborted(resolveAll(lookup, host), signal);
    let lastError: unknown = notFound(host);
    for (const { address } of addresses) {
      try {
        return await connectTo(address, port, signal, track);
      } catch (error) {
        if (signal.aborted) throw error;
        lastError = error;
      }
    }
    throw lastError;
  } catch (error) {
    if (!signal.aborted) throw error;
    const message = `could not reach ${host}:${port} within ${timeoutMs} ms`;
    throw Object.assign(new Error(message, { cause: error }), { code: 'ETIMEDOUT' });
  }
}

function connectTo(
  address: string,
  port: number,
  signal: AbortSignal,
  track: (socket: Duplex) => void,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port });
    track(socket);
    // Not connect's `signal` option: that would also tear down the tunnel later, once it is in use.
    const abort = () => socket.destroy(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    const fail = (error: Error) => {
      signal.removeEventListener('abort', abort);
      reject(error);
    };
    socket.once('error', fail);
    // Destroyed without an error: the proxy closed while connecting.
    socket.once('close', () => fail(new Error(`connecting to ${address}:${port} was given up`)));
    socket.once('connect', () => {
      signal.removeEventListener('abort', abort);
      socket.off('error', fail);
      resolve(socket);
    });
  });
}

// A lookup still running when the signal aborts is left to finish; its answer is ignored.
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const stop = () => reject(signal.reason);
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

function notFound(host: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`no addresses found for ${host}`), { code: 'ENOTFOUND' });
}
