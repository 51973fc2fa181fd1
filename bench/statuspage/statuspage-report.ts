import type { RebuildFigures } from './measure-rebuild.js';
import type { Scenario, ScenarioFigures } from './run-scenario.js';

/** The targets: the fleet page keeps this share of the bare route's req/s … */
export const MIN_RATIO = 0.8;
/** … with a p99 latency under this, at 100 connections, also while components flip. */
export const MAX_P99_MS = 20;

/** One printed row: medians over the runs. */
export interface ScenarioRow {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly ratio: number;
  readonly cpuUsPerRequest: number;
}

/** Median of a non-empty list (the lower middle for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/** Prints what one snapshot rebuild costs, stage by stage (median and max over the runs). */
export function printRebuild(log: (line: string) => void, f: RebuildFigures): void {
  const row = (name: string, values: readonly number[]) =>
    `  ${name.padEnd(42)} ${median(values).toFixed(1).padStart(8)} ${Math.max(...values)
      .toFixed(1)
      .padStart(8)}`;
  log(`snapshot rebuild (${f.build.length} runs, ${f.uptimeRows} uptime rows), ms:  median      max`);
  log(row('loadStatusInputs, every day read (cold)', f.loadAllDays));
  log(row('loadUptimeHistory (past days, every 10 min)', f.uptimeHistory));
  log(row("loadTodayUptime (today's counts, every 30 s)", f.uptimeToday));
  log(row('loadStatusInputs, rollups kept', f.loadKept));
  log(row('projectStatus (rollups kept)', f.project));
  log(row('SnapshotCache.build()', f.build));
  log(row('  longest event-loop stall during build()', f.buildStall));
  log(row('renderFleetPage', f.renderFleet));
  log(row('renderCommunityPage', f.renderCommunity));
  log(row('summary.json (summaryJson + stringify)', f.renderSummaryJson));
}

/** Prints the scenario table (medians over the runs) with ratios to `baseline`; returns its rows. */
export function printScenarios(
  log: (line: string) => void,
  scenarios: readonly Scenario[],
  results: ReadonlyMap<string, readonly ScenarioFigures[]>,
  baseline: string,
): ScenarioRow[] {
  // Ratios are taken within each round (bare and scenario measured a minute apart at most), then the
  // median: other load on the machine moves whole rounds, so this is steadier than a ratio of medians.
  const bases = (results.get(baseline) ?? []).map((f) => f.requestsPerSecond);
  const rows = scenarios.map((scenario) => {
    const runs = results.get(scenario.name) ?? [];
    const requestsPerSecond = median(runs.map((f) => f.requestsPerSecond));
    const ratio = median(runs.map((f, round) => f.requestsPerSecond / (bases[round] ?? Number.NaN)));
    return {
      name: scenario.name,
      requestsPerSecond,
      p50Ms: median(runs.map((f) => f.p50Ms)),
      p99Ms: median(runs.map((f) => f.p99Ms)),
      non2xx: Math.max(...runs.map((f) => f.non2xx + f.errors)),
      ratio,
      cpuUsPerRequest: median(runs.map((f) => f.cpuUsPerRequest)),
      server: runs.map((f) => f.server),
    };
  });
  log('');
  log(
    `${'scenario'.padEnd(36)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(6)} ${'p99 ms'.padStart(6)} ` +
      `${'non-2xx'.padStart(7)} ${'ratio'.padStart(6)} ${'CPU µs/req'.padStart(10)}   ` +
      'server loop delay p99/max ms; rebuilds; flip→visible p50/max ms',
  );
  for (const r of rows) {
    const s = r.server;
    const loop = `${median(s.map((x) => x.loopDelayP99Ms)).toFixed(1)}/${median(s.map((x) => x.loopDelayMaxMs)).toFixed(0)}`;
    const flips = s.some((x) => x.flips > 0)
      ? `; ${median(s.map((x) => x.rebuilds))} rebuilds; ${fmt(median(s.map((x) => x.flipToVisibleP50Ms ?? Number.NaN)))}/` +
        `${fmt(median(s.map((x) => x.flipToVisibleMaxMs ?? Number.NaN)))} (${median(s.map((x) => x.flips))} flips)`
      : '';
    log(
      `${r.name.padEnd(36)} ${Math.round(r.requestsPerSecond).toString().padStart(7)} ` +
        `${r.p50Ms.toFixed(0).padStart(6)} ${r.p99Ms.toFixed(0).padStart(6)} ${r.non2xx.toString().padStart(7)} ` +
        `${(r.ratio * 100).toFixed(0).padStart(5)}% ${r.cpuUsPerRequest.toFixed(0).padStart(10)}   ${loop}${flips}`,
    );
  }
  return rows;
}

/** Prints PASS or FAIL per target scenario and overall. */
export function printVerdict(
  log: (line: string) => void,
  rows: readonly ScenarioRow[],
  targets: readonly string[],
): void {
  log('');
  let all = true;
  for (const name of targets) {
    const row = rows.find((r) => r.name === name);
    if (!row) continue;
    const pass = row.ratio >= MIN_RATIO && row.p99Ms < MAX_P99_MS && row.non2xx === 0;
    all &&= pass;
    log(
      `${pass ? 'PASS' : 'FAIL'} ${name}: ${(row.ratio * 100).toFixed(0)}% of bare req/s (target ≥ ${MIN_RATIO * 100}%), ` +
        `p99 ${row.p99Ms} ms (target < ${MAX_P99_MS} ms), ${row.non2xx} non-2xx/errors`,
    );
  }
  log(all ? 'PASS overall' : 'FAIL overall');
}

function fmt(value: number): string {
  return Number.isFinite(value) ? value.toFixed(0) : '-';
}
