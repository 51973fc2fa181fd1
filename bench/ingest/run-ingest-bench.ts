// Benchmarks webhook ingest: generic events POSTed to /ingest/<token> of a `firewatch serve` process.
// Usage: node_modules/.bin/tsx bench/ingest/run-ingest-bench.ts [--dialects sqlite,postgres]
//          [--connections 50] [--warmup 3] [--duration 20] [--keys 500] [--communities 50]
//          [--log-level info] [--skip-build] [--postgres-url postgres://127.0.0.1:5432/test]
//          [--rate EVENTS_PER_S] [--cli bin/firewatch.js] [--cpu-prof DIR]
// The server is compiled (dist/) and runs in its own process; this one only generates load. See README.md.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuByPidOf, cpuDeltaS, machineTicks, processCpuS } from './cpu-usage.js';
import { driveLoad, type LoadResult, percentile } from './drive-load.js';
import { DEFAULT_EVENT_MIX, eventMix, seededRandom } from './event-mix.js';
import { type BenchDialect, buildDist, DEFAULT_CLI, startServer } from './start-server.js';
import { readStoreFigures, type StoreFigures } from './store-figures.js';

const { values } = parseArgs({
  options: {
    dialects: { type: 'string', default: 'sqlite,postgres' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    duration: { type: 'string', default: '20' },
    keys: { type: 'string', default: String(DEFAULT_EVENT_MIX.keys) },
    communities: { type: 'string', default: String(DEFAULT_EVENT_MIX.communities) },
    seed: { type: 'string', default: '1' },
    rate: { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    'skip-build': { type: 'boolean', default: false },
    cli: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'postgres-url': {
      type: 'string',
      default: process.env.FIREWATCH_TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test',
    },
  },
});

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`run-ingest-bench: --${name} "${text}" is not a positive number\n`);
    process.exit(2);
  }
  return n;
}

const dialects = values.dialects.split(',').map((d) => {
  if (d !== 'sqlite' && d !== 'postgres') {
    process.stderr.write(`run-ingest-bench: unknown dialect "${d}" — use sqlite, postgres or both\n`);
    process.exit(2);
  }
  return d as BenchDialect;
});
const connections = positive('connections', values.connections);
const warmupS = positive('warmup', values.warmup);
const durationS = positive('duration', values.duration);
const rate = values.rate === undefined ? null : positive('rate', values.rate);
const mix = {
  ...DEFAULT_EVENT_MIX,
  keys: positive('keys', values.keys),
  communities: positive('communities', values.communities),
};
const TARGET = { eventsPerS: 2_000, p99Ms: 50 };
const log = (line: string) => process.stderr.write(`${line}\n`);

/** One dialect's run: the client's view, CPU over the window, and what the server stored. */
interface DialectRun {
  readonly dialect: BenchDialect;
  readonly load: LoadResult;
  readonly store: StoreFigures;
  readonly serverCpuS: number;
  readonly postgresCpuS: number;
  readonly clientCpuS: number;
  /** Share of all cores busy over the window, whoever used them. */
  readonly machineBusy: number;
  readonly logLines: number;
}

const cli = values.cli === undefined ? DEFAULT_CLI : resolve(values.cli);
if (!values['skip-build'] && values.cli === undefined) {
  log('ingest bench: compiling src/ to dist/ (tsc -p tsconfig.build.json; --skip-build skips this)');
  await buildDist();
}
log(
  `ingest bench: ${dialects.join(', ')}; ${rate === null ? 'closed loop' : `open loop at ${rate} events/s`}, ${connections} connections, warm-up ${warmupS} s, window ${durationS} s; ` +
    `${mix.keys} dedup keys, ${mix.communities} communities, ${100 * mix.ruleShare}% server_start_failed, ` +
    `${100 * mix.resetShare}% server_start_succeeded, ${100 * mix.okShare}% of the rest resolved; ` +
    `log level ${values['log-level']}; server ${cli}; ${process.platform} ${process.version}, ${availableParallelism()} cores`,
);
const runs: DialectRun[] = [];
for (const dialect of dialects) runs.push(await measure(dialect));
printResults(runs);

async function measure(dialect: BenchDialect): Promise<DialectRun> {
  const server = await startServer(dialect, {
    postgresAdminUrl: values['postgres-url'],
    communities: mix.communities,
    logLevel: values['log-level'],
    cli,
    cpuProfDir: values['cpu-prof'] === undefined ? null : resolve(values['cpu-prof']),
  });
  log(`  ${dialect}: firewatch serve pid ${server.pid} at ${server.url}, database ${server.databaseUrl}`);
  try {
    const snapshot = () => ({
      server: processCpuS(server.pid),
      postgres: dialect === 'postgres' ? cpuByPidOf('postgres') : new Map<number, number>(),
      client: process.cpuUsage(),
      machine: machineTicks(),
      logLines: server.logLines(),
    });
    // Snapshots at the window's edges, on timers beside the load (which runs on this process's loop).
    const at = (s: number) =>
      new Promise<ReturnType<typeof snapshot>>((r) => setTimeout(() => r(snapshot()), s * 1000));
    const [load, start, end] = await Promise.all([
      driveLoad({
        ingestUrl: server.ingestUrl,
        connections,
        warmupS,
        durationS,
        rate,
        nextBody: eventMix(mix, seededRandom(Number(values.seed))),
      }),
      at(warmupS),
      at(warmupS + durationS),
    ]);
    await server.stop();
    const store = await readStoreFigures(server.databaseUrl, load.windowStartMs, load.windowEndMs);
    const client = process.cpuUsage(start.client);
    return {
      dialect,
      load,
      store,
      serverCpuS: end.server - start.server,
      postgresCpuS: cpuDeltaS(start.postgres, end.postgres),
      clientCpuS: (client.user + client.system) / 1e6,
      machineBusy:
        (end.machine.busy - start.machine.busy) / Math.max(1, end.machine.total - start.machine.total),
      logLines: end.logLines - start.logLines,
    };
  } finally {
    await server.stop();
    await server.cleanUp();
  }
}

function printResults(results: readonly DialectRun[]): void {
  const rows = results.map((r) => {
    const l = r.load.latenciesMs;
    const sorted = [...r.load.perSecond].sort((a, b) => a - b);
    return [
      r.dialect,
      rate === null ? 'closed' : `open ${rate}/s`,
      String(connections),
      `${r.load.windowS}s`,
      (r.load.completed / r.load.windowS).toFixed(0),
      `${sorted[0] ?? 0} / ${sorted.at(-1) ?? 0}`,
      `${fmt(percentile(l, 50))} / ${fmt(percentile(l, 99))} / ${fmt(percentile(l, 100))}`,
      String(r.load.errors),
      `${r.load.actions.created ?? 0} / ${r.store.alerts}`,
      `${(r.store.batchesInWindow / r.load.windowS).toFixed(0)}`,
      `${fmt(percentile(r.store.batchSizes, 50), 0)} / ${fmt(percentile(r.store.batchSizes, 99), 0)} / ${fmt(percentile(r.store.batchSizes, 100), 0)}`,
      `${((100 * r.serverCpuS) / r.load.windowS).toFixed(0)}%`,
      r.dialect === 'postgres' ? `${((100 * r.postgresCpuS) / r.load.windowS).toFixed(0)}%` : '-',
      `${((100 * r.clientCpuS) / r.load.windowS).toFixed(0)}%`,
      `${((100 * otherCpuS(r)) / r.load.windowS).toFixed(0)}%`,
      `${(100 * r.machineBusy).toFixed(0)}%`,
    ];
  });
  const header = [
    'dialect',
    'load',
    'conns',
    'window',
    'events/s',
    'per s min / max',
    'latency ms p50 / p99 / max',
    'errors',
    'alerts created window / all',
    'batches/s',
    'signals/batch p50 / p99 / max',
    'server CPU',
    'postgres CPU',
    'client CPU',
    'other CPU',
    'machine busy',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(`\n${line(header)}`);
  for (const row of rows) console.log(line(row));
  console.log('');
  for (const r of results) {
    const actions = Object.entries(r.load.actions)
      .map(([action, n]) => `${n} ${action}`)
      .join(', ');
    const statuses = Object.entries(r.store.alertsByStatus)
      .map(([status, n]) => `${n} ${status}`)
      .join(', ');
    console.log(
      `${r.dialect}: ${r.load.completed} events answered 200 in the window, ${r.store.signalsInWindow} signals committed in it ` +
        `in ${r.store.batchesInWindow} transactions (mean ${(r.store.signalsInWindow / Math.max(1, r.store.batchesInWindow)).toFixed(1)} signals each); ` +
        `alert actions answered: ${actions || 'none'}; stored at the end: ${r.store.alerts} alerts (${statuses}), ` +
        `${r.store.flapping} flapping, ${r.store.alertEvents} alert events; server wrote ${r.logLines} log lines in the window`,
    );
    for (const [kind, n] of Object.entries(r.load.errorKinds)) console.log(`  ${n} × ${kind}`);
  }
  for (const r of results.filter((x) => x.dialect === 'sqlite')) {
    const sustained = r.load.completed / r.load.windowS;
    const p99 = percentile(r.load.latenciesMs, 99);
    // An open loop cannot exceed the rate it offers: there the question is whether the server kept up.
    const rateMet =
      rate === null
        ? sustained >= TARGET.eventsPerS
        : rate >= TARGET.eventsPerS && sustained >= 0.99 * rate && r.load.errors === 0;
    const rateText = rate === null ? `≥ ${TARGET.eventsPerS}` : `kept up with ${rate}/s offered, no errors`;
    console.log(
      `\ntarget on SQLite: ${sustained.toFixed(0)} events/s (${rateText}: ${rateMet ? 'met' : 'MISSED'}), ` +
        `p99 ${fmt(p99)} ms (≤ ${TARGET.p99Ms} ms: ${p99 <= TARGET.p99Ms ? 'met' : 'MISSED'})`,
    );
  }
}

function otherCpuS(r: DialectRun): number {
  const all = r.machineBusy * availableParallelism() * r.load.windowS;
  return Math.max(0, all - r.serverCpuS - r.postgresCpuS - r.clientCpuS);
}

function fmt(value: number, digits = 1): string {
  return Number.isNaN(value) ? '-' : value.toFixed(digits);
}
