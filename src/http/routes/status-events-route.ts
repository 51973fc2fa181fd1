import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { SnapshotCache } from '../../app/snapshot-cache.js';

/** How often an idle stream gets a comment line, so proxies do not time it out. */
const PING_MS = 25_000;
/** Streams beyond this are refused with 503 (each holds a socket); pages then fall back to reloading. */
const MAX_STREAMS = 10_000;
/** A client that lets this much pile up unread is dropped (it reconnects and catches up). */
const MAX_BUFFERED_BYTES = 64 * 1024;

/**
 * GET /events: server-sent events for the status page's live refresh. Each stream gets
 * `event: snapshot` with the snapshot version on connect and after every rebuild (one subscription for
 * all streams), and a `: ping` comment every 25 s. Streams end when the client goes or the server closes.
 */
export function registerStatusEvents(
  app: FastifyInstance,
  snapshots: SnapshotCache,
  options: { readonly pingMs?: number } = {},
): void {
  const streams = new Set<ServerResponse>();
  const broadcast = (chunk: string) => {
    for (const stream of streams) {
      if (stream.writableLength > MAX_BUFFERED_BYTES) {
        streams.delete(stream);
        stream.destroy();
        continue;
      }
      stream.write(chunk);
    }
  };
  const unsubscribe = snapshots.subscribe(() => broadcast(snapshotEvent(snapshots.version)));
  const ping = setInterval(() => broadcast(': ping\n\n'), options.pingMs ?? PING_MS);
  ping.unref();

  // Before the server stops listening: open streams would otherwise keep close() waiting forever.
  app.addHook('preClose', async () => {
    clearInterval(ping);
    unsubscribe();
    for (const stream of streams) stream.end();
    streams.clear();
  });

  app.get('/events', (request, reply) => {
    if (streams.size >= MAX_STREAMS) {
      return reply.code(503).header('retry-after', '30').send({ error: 'too many live connections' });
    }
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    stream.write(`retry: 5000\n\n${snapshotEvent(snapshots.version)}`);
    streams.add(stream);
    const drop = () => streams.delete(stream);
    request.raw.on('close', drop);
    stream.on('close', drop);
    stream.on('error', drop);
  });
}

function snapshotEvent(version: number): string {
  return `event: snapshot\ndata: ${version}\n\n`;
}
