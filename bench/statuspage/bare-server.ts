// The baseline of the status-page bench, run as a child process: a bare Fastify (no logger, no hooks)
// on 127.0.0.1 port 0 with one route, GET /bare, answering the bytes of BENCH_BODY_FILE with the headers
// of BENCH_HEADERS (a JSON object; by default only a text/html content type) — a static answer, set up
// once. Prints `BENCH_URL <url>` once it serves; answers the bench's `reset` / `stats` IPC messages
// (server-stats.ts); exits when its parent disconnects.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { answerStats } from './server-stats.js';

const file = process.env.BENCH_BODY_FILE;
if (!file) throw new Error('bare-server: set BENCH_BODY_FILE to the file whose bytes GET /bare answers');
const body = readFileSync(file);
const headers = JSON.parse(
  process.env.BENCH_HEADERS ?? '{"content-type":"text/html; charset=utf-8"}',
) as Record<string, string>;

const app = Fastify({ logger: false });
app.get('/bare', async (_request, reply) => reply.headers(headers).send(body));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
answerStats({});
process.on('disconnect', () => void app.close().then(() => process.exit(0)));
process.stdout.write(`BENCH_URL ${url}\n`);
