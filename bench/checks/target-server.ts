// The local target for bench/checks: a plain node:http server on 127.0.0.1 answering `GET /k/<n>` with
// 200 and a small page containing "Welcome" (anything else gets 404). Run it with child_process.fork and
// `execArgv: ['--import', 'tsx']` so it has an IPC channel: it prints `{"port":N}` as one line on stdout
// once listening, answers a `stats` message with its own CPU time and request count, and exits when the
// parent disconnects (so it never outlives the bench, even if the bench crashes).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the target reports when asked; CPU time in microseconds, like process.cpuUsage(). */
export interface TargetStats {
  readonly type: 'stats';
  readonly requests: number;
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  readonly maxRssBytes: number;
}

const PAGE = Buffer.from(
  '<!doctype html><html><head><title>Community</title></head>' +
    '<body><h1>Welcome to the community</h1><p>Latest topics load here.</p></body></html>',
);
const KEYED_PATH = /^\/k\/\d+$/;

if (!process.send) {
  process.stderr.write('target-server: start me with child_process.fork (I need an IPC channel)\n');
  process.exit(2);
}

let requests = 0;
const server = createServer((req, res) => {
  requests += 1;
  if (req.method !== 'GET' || !KEYED_PATH.test(req.url ?? '')) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': PAGE.length });
  res.end(PAGE);
});
// Probes close every connection; a deep backlog absorbs bursts when the bench process is busy.
server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});

process.on('message', (message: unknown) => {
  if ((message as { type?: unknown } | null)?.type !== 'stats') return;
  const cpu = process.cpuUsage();
  const stats: TargetStats = {
    type: 'stats',
    requests,
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.send?.(stats);
});
process.on('disconnect', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
