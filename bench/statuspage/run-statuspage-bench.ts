// Benchmarks the public status page under a spike: Firewatch (checks off) and a bare Fastify route in
// child processes, autocannon from this one. See bench/statuspage/README.md.
// Usage: node_modules/.bin/tsx bench/statuspage/run-statuspage-bench.ts [--communities 200]
//          [--components 10] [--days 90] [--connections 100] [--duration 10] [--warmup 3] [--runs 1]
//          [--flip-every-ms 1000] [--rebuild-runs 5] [--minimal-bare]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type BenchChild, startBenchChild } from './bench-child.js';
import { measureRebuild } from './measure-rebuild.js';
import { runScenario, type Scenario, type ScenarioFigures } from './run-scenario.js';
import { seedStatuspageDb } from './seed-statuspage-db.js';
import { printRebuild, printScenarios, printVerdict } from './statuspage-report.js';

const { values } = parseArgs({
  options: {
    communities: { type: 'string', default: '200' },
    components: { type: 'string', default: '10' },
    days: { type: 'string', default: '90' },
    connections: { type: 'string', default: '100' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    runs: { type: 'string', default: '1' },
    'flip-every-ms': { type: 'string', default: '1000' },
    'rebuild-runs': { type: 'string', default: '5' },
    'minimal-bare': { type: 'boolean', default: false },
  },
});

/** Headers Node sets per response (or per connection); the bare server makes its own. */
const HOP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

function positive(name: Exclude<keyof typeof values, 'minimal-bare'>): number {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`run-statuspage-bench: --${name} "${values[name]}" is not a positive number\n`);
    process.exit(2);
  }
  return n;
}

const communities = positive('communities');
const perCommunity = positive('components');
const days = positive('days');
const connections = positive('connections');
const durationS = positive('duration');
const warmupS = positive('warmup');
const runs = positive('runs');
const flipEveryMs = positive('flip-every-ms');
const rebuildRuns = positive('rebuild-runs');
const log = (line: string) => process.stdout.write(`${line}\n`);
/** What a browser sends; Firewatch answers br. */
const BROWSER = { 'accept-encoding': 'gzip, deflate, br' };

log(
  `statuspage bench: ${communities} communities × ${perCommunity} components, ${days} days of rollups, ` +
    `${connections} connections × ${durationS} s per scenario, ${runs} run(s); ` +
    `${process.platform} ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ` +
    `load average ${loadavg()[0]?.toFixed(1)}`,
);

const dir = mkdtempSync(join(tmpdir(), 'firewatch-bench-statuspage-'));
const databaseUrl = `sqlite:${join(dir, 'firewatch.db')}`;
const children: BenchChild[] = [];
try {
  const seeded = await seedStatuspageDb(databaseUrl, { communities, perCommunity, days }, Date.now());
  log(
    `seeded ${seeded.components} components, ${seeded.rollupRows} day rollups in ${seeded.seconds.toFixed(1)} s`,
  );

  printRebuild(log, await measureRebuild(databaseUrl, rebuildRuns, seeded.sampleSlug));

  const firewatch = await startBenchChild('./serve-firewatch.ts', {
    DATABASE_URL: databaseUrl,
    FIREWATCH_DATA_DIR: dir,
    FIREWATCH_ADMIN_TOKEN: `fw_bench_${randomBytes(16).toString('hex')}`,
    FIREWATCH_LOG_LEVEL: 'warn',
    FIREWATCH_PAGE_NAME: 'Bench fleet',
  });
  children.push(firewatch);
  const fleetUrl = `${firewatch.url}/`;
  const communityUrl = `${firewatch.url}/c/${seeded.sampleSlug}`;
  const sizes = await bodySizes([fleetUrl, communityUrl]);
  for (const s of sizes) {
    log(`${s.url}: ${s.identity} B identity, ${s.gzip} B gzip, ${s.br} B br`);
  }

  // The baseline answers exactly what a browser gets for the fleet page — its br bytes and its headers
  // (ETag, security headers, …) — but as a static answer, so the comparison is the serving path alone.
  // --minimal-bare sends only content type and encoding instead.
  const fleetBr = await fetchRaw(fleetUrl, { 'accept-encoding': 'br' });
  const bareHeaders = values['minimal-bare']
    ? { 'content-type': fleetBr.headers['content-type'] ?? 'text/html', 'content-encoding': 'br' }
    : Object.fromEntries(Object.entries(fleetBr.headers).filter(([name]) => !HOP_HEADERS.has(name)));
  const bodyFile = join(dir, 'bare-body.br');
  writeFileSync(bodyFile, fleetBr.body);
  const bare = await startBenchChild('./bare-server.ts', {
    BENCH_BODY_FILE: bodyFile,
    BENCH_HEADERS: JSON.stringify(bareHeaders),
  });
  children.push(bare);

  const scenarios: Scenario[] = [
    { name: 'bare route', url: `${bare.url}/bare`, headers: BROWSER, server: bare, flipEveryMs: 0 },
    { name: 'fleet page /', url: fleetUrl, headers: BROWSER, server: firewatch, flipEveryMs: 0 },
    {
      name: `community /c/${seeded.sampleSlug}`,
      url: communityUrl,
      headers: BROWSER,
      server: firewatch,
      flipEveryMs: 0,
    },
    { name: 'fleet page, identity', url: fleetUrl, headers: {}, server: firewatch, flipEveryMs: 0 },
    {
      name: `fleet page, flip every ${flipEveryMs} ms`,
      url: fleetUrl,
      headers: BROWSER,
      server: firewatch,
      flipEveryMs,
    },
  ];
  const results = new Map<string, ScenarioFigures[]>();
  for (let run = 1; run <= runs; run++) {
    for (const scenario of scenarios) {
      const figures = await runScenario(scenario, { connections, durationS, warmupS });
      results.set(scenario.name, [...(results.get(scenario.name) ?? []), figures]);
      log(
        `run ${run}: ${scenario.name}: ${Math.round(figures.requestsPerSecond)} req/s, p99 ${figures.p99Ms} ms`,
      );
    }
  }
  const table = printScenarios(log, scenarios, results, 'bare route');
  printVerdict(log, table, ['fleet page /', `fleet page, flip every ${flipEveryMs} ms`]);
  // Other processes on the machine take CPU from both servers and from autocannon.
  log(`load average at the end: ${loadavg()[0]?.toFixed(1)} (${cpus().length} CPUs)`);
} finally {
  for (const child of children.reverse()) await child.stop();
  rmSync(dir, { recursive: true, force: true });
}

async function fetchRaw(url: string, headers: Record<string, string>) {
  // node:http, not fetch: fetch would decode the body and hide its size.
  const { request } = await import('node:http');
  return new Promise<{
    status: number;
    encoding: string;
    headers: Record<string, string>;
    body: Buffer;
  }>((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          encoding: String(response.headers['content-encoding'] ?? 'identity'),
          headers: Object.fromEntries(
            Object.entries(response.headers).map(([name, value]) => [name, String(value)]),
          ),
          body: Buffer.concat(chunks),
        }),
      );
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

async function bodySizes(urls: readonly string[]) {
  const sizes = [];
  for (const url of urls) {
    const size: Record<string, number> = {};
    for (const coding of ['identity', 'gzip', 'br']) {
      const response = await fetchRaw(url, coding === 'identity' ? {} : { 'accept-encoding': coding });
      if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
      if (response.encoding !== coding)
        throw new Error(`GET ${url} with ${coding} came as ${response.encoding}`);
      size[coding] = response.body.length;
    }
    sizes.push({ url, identity: size.identity, gzip: size.gzip, br: size.br });
  }
  return sizes;
}
