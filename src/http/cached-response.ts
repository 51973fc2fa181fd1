import type { FastifyReply, FastifyRequest } from 'fastify';

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

/**
 * Sends `body` with an ETag and Last-Modified derived from the snapshot, answering
 * 304 when the client already has this version. `no-cache` makes clients revalidate
 * every time, which costs one cheap 304.
 */
export function sendVersioned(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { version: number; builtAt: number; contentType: string; body: string; status?: number },
): FastifyReply {
  const etag = `W/"fw-${options.version}"`;
  reply
    .header('etag', etag)
    .header('last-modified', new Date(options.builtAt).toUTCString())
    .header('cache-control', 'public, no-cache')
    .header('content-type', options.contentType);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.code(options.status ?? 200).send(options.body);
}
