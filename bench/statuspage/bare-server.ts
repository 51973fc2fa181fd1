// The baseline of the status-page bench, run as a child process: a bare Fastify (no logger, no hooks)
// on 127.0.0.1 port 0 with one route, GET /bare, answering the bytes of BENCH_BODY_FILE with
// BENCH_CONTENT_TYPE and, when set, BENCH_CONTENT_ENCODING. Prints `BENCH_URL <url>` once it serves;
// answers the bench's `reset` / `stats` IPC messages (server-stats.ts); exits when its parent disconnects.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { answerStats } from './server-stats.js';

const file = process.env.BENCH_BODY_FILE;
if (!file) throw new Error('bare-server: set BENCH_BODY_FILE to the file whose bytes GET /bare answers');
const body = readFileSync(file);
const contentType = process.env.BENCH_CONTENT_TYPE ?? 'text/html; charset=utf-8';
const encoding = process.env.BENCH_CONTENT_ENCODING ?? '';

const app = Fastify({ logger: false });
app.get('/bare', async (_request, reply) => {
  reply.header('content-type', contentType);
  if (encoding !== '') reply.header('content-encoding', encoding);
  return reply.send(body);
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
answerStats({});
process.on('disconnect', () => void app.close().then(() => process.exit(0)));
process.stdout.write(`BENCH_URL ${url}\n`);
