import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Counter } from 'prom-client';
import { configFromEnv } from '../../src/app/firewatch-config.js';
import type { Metrics } from '../../src/app/metrics.js';
import { startFirewatch } from '../../src/app/start-firewatch.js';
import { openDatabase } from '../../src/store/database.js';
import { applyFleet } from './apply-fleet.js';
import { benchFleetYaml } from './bench-fleet-yaml.js';
import { bucketCounts, exactLagsMs, type HistogramLag, histogramLag, percentile } from './lag-percentiles.js';
import { startTarget } from './start-target.js';

/** One configuration of the checks bench. */
export interface ChecksRunOptions {
  readonly monitors: number;
  readonly intervalS: number;
  /** Run before measuring (the first round: every monitor's first status change, start-up work). */
  readonly warmupS: number;
  /** The measured window. */
  readonly durationS: number;
  /** Apply the fleet in a separate process instead of this one (see apply-fleet.ts). */
  readonly applyInChild: boolean;
  readonly log: (line: string) => void;
}

/** What one configuration achieved in its measured window. */
export interface ChecksRunResult {
  readonly monitors: number;
  readonly intervalS: number;
  readonly applyS: number;
  readonly windowS: number;
  readonly expected: number;
  /** firewatch_checks_total delta over the window (checks that finished in it). */
  readonly checksRun: number;
  /** check_results rows whose started_at falls in the window (checks that started in it). */
  readonly rowsStarted: number;
  readonly failed: number;
  readonly skipped: number;
  readonly storeErrors: number;
  readonly lagMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly histogram: HistogramLag;
  readonly cpuS: number;
  readonly eventLoopUtilization: number;
  readonly eventLoopDelayP99Ms: number;
  readonly rssAtStartBytes: number;
  readonly peakRssBytes: number;
  readonly peakRssWindowBytes: number;
  readonly peakHeapUsedBytes: number;
  readonly target: { readonly requests: number; readonly cpuS: number };
}

const RSS_SAMPLE_MS = 250;
const PROGRESS_EVERY_S = 30;

/**
 * Applies a fleet of HTTP keyword monitors through the real CLI, starts the real engine in this process
 * against a target in another process, waits out the warm-up, and measures one window: counters from the
 * engine's own metrics, exact lags from the stored results, CPU and RSS of this process.
 */
export async function measureChecks(options: ChecksRunOptions): Promise<ChecksRunResult> {
  const { monitors, intervalS, log } = options;
  const dir = mkdtempSync(join(tmpdir(), 'firewatch-bench-checks-'));
  const target = await startTarget();
  try {
    const databaseUrl = `sqlite:${join(dir, 'firewatch.db')}`;
    const file = join(dir, 'fleet.yaml');
    writeFileSync(file, benchFleetYaml(monitors, intervalS, target.port));
    const applyS = await applyFleet(file, databaseUrl, options.applyInChild);
    const where = options.applyInChild ? 'in a child process' : 'in this process';
    log(
      `  ${monitors} monitors @ ${intervalS}s: apply ${where} took ${applyS.toFixed(1)} s; target pid ${target.pid}`,
    );

    // Ours, so the stored results can still be read after the engine stops.
    const database = await openDatabase({ url: databaseUrl });
    const rss = { start: process.memoryUsage.rss(), peak: 0, window: 0, heap: 0, measuring: false };
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      rss.peak = Math.max(rss.peak, now.rss);
      rss.heap = Math.max(rss.heap, now.heapUsed);
      if (rss.measuring) rss.window = Math.max(rss.window, now.rss);
    }, RSS_SAMPLE_MS);
    try {
      const running = await startFirewatch(
        {
          ...configFromEnv({}),
          databaseUrl,
          host: '127.0.0.1',
          port: 0,
          dataDir: dir,
          runChecks: true,
          logLevel: 'warn',
          // A token of our own, so the engine does not write (and warn about) a first-start one.
          adminToken: randomBytes(24).toString('hex'),
        },
        { database },
      );
      let stopped = false;
      try {
        await sleep(options.warmupS * 1000);
        const { metrics } = running;
        const before = {
          at: Date.now(),
          cpu: process.cpuUsage(),
          elu: performance.eventLoopUtilization(),
          counters: await readCounters(metrics),
          buckets: await bucketCounts(metrics.schedulingLag),
          target: await target.stats(),
        };
        const loopDelay = monitorEventLoopDelay({ resolution: 10 });
        loopDelay.enable();
        rss.measuring = true;
        for (let left = options.durationS; left > 0; left -= PROGRESS_EVERY_S) {
          await sleep(Math.min(left, PROGRESS_EVERY_S) * 1000);
          const done = (await readCounters(metrics)).checks - before.counters.checks;
          log(`    ${Math.round((Date.now() - before.at) / 1000)} s measured, ${done} checks`);
        }
        rss.measuring = false;
        loopDelay.disable();
        const at = Date.now();
        const cpu = process.cpuUsage(before.cpu);
        const elu = performance.eventLoopUtilization(before.elu);
        const after = await readCounters(metrics);
        const histogram = histogramLag(before.buckets, await bucketCounts(metrics.schedulingLag));
        const targetAfter = await target.stats();
        // Waits for checks in flight and flushes the writer, so every start in the window is stored.
        await running.stop();
        stopped = true;
        const rows = await database.db
          .selectFrom('check_results')
          .select(['monitor_id', 'started_at'])
          .where('started_at', '>=', before.at)
          .where('started_at', '<', at)
          .execute();
        const lags = exactLagsMs(rows, intervalS * 1000);
        const windowS = (at - before.at) / 1000;
        return {
          monitors,
          intervalS,
          applyS,
          windowS,
          expected: (monitors * windowS) / intervalS,
          checksRun: after.checks - before.counters.checks,
          rowsStarted: rows.length,
          failed: after.failed - before.counters.failed,
          skipped: after.skipped - before.counters.skipped,
          storeErrors: after.storeErrors - before.counters.storeErrors,
          lagMs: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.at(-1) ?? Number.NaN },
          histogram,
          cpuS: (cpu.user + cpu.system) / 1e6,
          eventLoopUtilization: elu.utilization,
          eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
          rssAtStartBytes: rss.start,
          peakRssBytes: rss.peak,
          peakRssWindowBytes: rss.window,
          peakHeapUsedBytes: rss.heap,
          target: {
            requests: targetAfter.requests - before.target.requests,
            cpuS:
              (targetAfter.cpuUserUs +
                targetAfter.cpuSystemUs -
                before.target.cpuUserUs -
                before.target.cpuSystemUs) /
              1e6,
          },
        };
      } finally {
        if (!stopped) await running.stop();
      }
    } finally {
      clearInterval(sampler);
      await database.close();
    }
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The engine's counters this bench reads, summed over their labels. */
async function readCounters(metrics: Metrics) {
  return {
    checks: await counterSum(metrics.checksTotal),
    failed: await counterSum(metrics.checksTotal, (labels) => labels.result !== 'ok'),
    skipped: await counterSum(metrics.skippedRuns),
    storeErrors: await counterSum(metrics.storeErrors),
  };
}

async function counterSum(
  counter: Counter<string>,
  keep: (labels: Partial<Record<string, string | number>>) => boolean = () => true,
): Promise<number> {
  const { values } = await counter.get();
  return values.filter((v) => keep(v.labels)).reduce((sum, v) => sum + v.value, 0);
}
