import type { FastifyReply, FastifyRequest } from 'fastify';
import { EncodedBodies, pickEncoding } from './encoded-bodies.js';

/**
 * Renders once per snapshot version and key; later requests reuse the bytes.
 * Every public page and JSON document goes through this, so serving costs a map
 * lookup, not a render, until the snapshot changes.
 */
export class RenderMemo {
  readonly #entries = new Map<string, { version: number; body: string }>();
  readonly #maxEntries: number;

  constructor(maxEntries = 5_000) {
    this.#maxEntries = maxEntries;
  }

  get(key: string, version: number, render: () => string): string {
    const hit = this.#entries.get(key);
    if (hit && hit.version === version) return hit.body;
    const body = render();
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    this.#entries.set(key, { version, body });
    return body;
  }
}

/** The encoded bytes of every body sendVersioned() served lately (compressing is a pure function of it). */
const ENCODED = new EncodedBodies();

/** The version's ETag and Last-Modified, made once per snapshot version rather than per request. */
let lastHeaders = { version: Number.NaN, builtAt: 0, etag: '', lastModified: '' };

/**
 * Sends `body` with an ETag and Last-Modified derived from the snapshot, answering
 * 304 when the client already has this version. `no-cache` makes clients revalidate
 * every time, which costs one cheap 304. The body goes out br- or gzip-compressed when
 * the client accepts it (see encoded-bodies.ts); each body is compressed once per
 * encoding and its bytes reused, never compressed per request. Returns a promise only
 * while a large body's first compression runs on the thread pool.
 */
export function sendVersioned(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { version: number; builtAt: number; contentType: string; body: string; status?: number },
): FastifyReply | Promise<FastifyReply> {
  const headers = headersFor(options.version, options.builtAt);
  reply.headers({
    etag: headers.etag,
    'last-modified': headers.lastModified,
    'cache-control': 'public, no-cache',
    'content-type': options.contentType,
    vary: 'Accept-Encoding',
  });
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, headers.etag)) return reply.code(304).send();
  const encoded = ENCODED.get(options.body);
  const coding = encoded.compressible ? pickEncoding(request.headers['accept-encoding']) : 'identity';
  reply.code(options.status ?? 200);
  if (coding === 'identity') return reply.send(encoded.identity);
  const bytes = ENCODED.encode(encoded, coding);
  if (Buffer.isBuffer(bytes)) return reply.header('content-encoding', coding).send(bytes);
  return bytes.then(
    (made) => reply.header('content-encoding', coding).send(made),
    (error: unknown) => {
      // The page is still worth sending: uncompressed, and say why in the log.
      request.log.error({ err: error }, 'compressing a public page failed; sent it uncompressed');
      return reply.send(encoded.identity);
    },
  );
}

function headersFor(version: number, builtAt: number) {
  const last = lastHeaders;
  if (last.version === version && last.builtAt === builtAt) return last;
  lastHeaders = {
    version,
    builtAt,
    etag: `W/"fw-${version}"`,
    lastModified: new Date(builtAt).toUTCString(),
  };
  return lastHeaders;
}

/**
 * If-None-Match against our (weak) ETag with the weak comparison of RFC 9110 §8.8.3.2: `*`, or any
 * listed tag equal ignoring a `W/` prefix. The tag is the same for every encoding: weak tags promise
 * the same content, not the same bytes.
 */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch === etag) return true;
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const part of ifNoneMatch.split(',')) {
    const tag = part.trim();
    if (tag === '*' || (tag.startsWith('W/') ? tag.slice(2) : tag) === opaque) return true;
  }
  return false;
}
