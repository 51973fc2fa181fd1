import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { answerStats } from './server-stats.js';

const body = readFileSync('/tmp/fwsp/body.br');
const app = Fastify({ logger: false });
app.get('/bare', async (_q, reply) => {
  reply.header('content-type', 'text/html; charset=utf-8');
  reply.header('content-encoding', 'br');
  return reply.send(body);
});
const H = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  etag: 'W/"fw-3"',
  'last-modified': 'Sun, 22 Nov 2026 00:12:48 GMT',
  'cache-control': 'public, no-cache',
  'content-type': 'text/html; charset=utf-8',
  vary: 'Accept-Encoding',
  'content-encoding': 'br',
};
app.get('/headers', async (_q, reply) => {
  reply.headers(H);
  return reply.send(body);
});
const flat: string[] = [];
for (const [k, v] of Object.entries(H)) flat.push(k, v);
flat.push('content-length', String(body.length));
app.get('/hijack', (_q, reply) => {
  reply.hijack();
  reply.raw.writeHead(200, flat);
  reply.raw.end(body);
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
answerStats({});
process.on('disconnect', () => process.exit(0));
process.stdout.write(`BENCH_URL ${url}\n`);
