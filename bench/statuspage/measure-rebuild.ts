import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SnapshotCache } from '../../src/app/snapshot-cache.js';
import { projectStatus } from '../../src/statuspage/project-status.js';
import { renderCommunityPage } from '../../src/statuspage/render-community-page.js';
import { renderFleetPage } from '../../src/statuspage/render-fleet-page.js';
import { fleetScope, summaryJson } from '../../src/statuspage/statuspage-v2.js';
import { openDatabase } from '../../src/store/database.js';
import {
  loadStatusInputs,
  loadTodayUptime,
  loadUptimeHistory,
} from '../../src/store/statuspage-repository.js';

/** Milliseconds per stage of one snapshot rebuild, one entry per run. */
export interface RebuildFigures {
  /** loadStatusInputs reading every day of the bars (no rollups kept: a cold start). */
  readonly loadAllDays: readonly number[];
  /** What SnapshotCache keeps: the bars' past days (re-read every 10 min) and today's counts (30 s). */
  readonly uptimeHistory: readonly number[];
  readonly uptimeToday: readonly number[];
  /** loadStatusInputs with the rollups kept: what an invalidation-triggered rebuild reads. */
  readonly loadKept: readonly number[];
  readonly project: readonly number[];
  /** A whole SnapshotCache.build() and the longest the event loop stood still during it. */
  readonly build: readonly number[];
  readonly buildStall: readonly number[];
  readonly renderFleet: readonly number[];
  readonly renderCommunity: readonly number[];
  readonly renderSummaryJson: readonly number[];
  /** Uptime rows loadStatusInputs returned when reading every day. */
  readonly uptimeRows: number;
}

/**
 * Times, in this process, what one snapshot rebuild costs on the database at `databaseUrl`: the loads
 * (every day, and with the rollups SnapshotCache keeps), projectStatus, a SnapshotCache.build() (with the
 * event loop's longest stall while it ran), and rendering the pages the bench requests from the result.
 */
export async function measureRebuild(
  databaseUrl: string,
  runs: number,
  slug: string,
): Promise<RebuildFigures> {
  const database = await openDatabase({ url: databaseUrl, migrate: false });
  const page = { pageName: 'Bench fleet', pageUrl: 'http://127.0.0.1' };
  const figures = {
    loadAllDays: [] as number[],
    uptimeHistory: [] as number[],
    uptimeToday: [] as number[],
    loadKept: [] as number[],
    project: [] as number[],
    build: [] as number[],
    buildStall: [] as number[],
    renderFleet: [] as number[],
    renderCommunity: [] as number[],
    renderSummaryJson: [] as number[],
  };
  let uptimeRows = 0;
  try {
    const cache = new SnapshotCache({
      database,
      page,
      now: Date.now,
      onError: (error) => {
        throw error;
      },
    });
    for (let run = 0; run < runs; run++) {
      const now = Date.now();
      const all = await timed(() => loadStatusInputs(database.db, now));
      figures.loadAllDays.push(all.ms);
      uptimeRows = all.value.uptime.length;
      const past = await timed(() => loadUptimeHistory(database.db, now));
      figures.uptimeHistory.push(past.ms);
      const today = await timed(() => loadTodayUptime(database.db, now));
      figures.uptimeToday.push(today.ms);
      const kept = await timed(() =>
        loadStatusInputs(database.db, now, { past: past.value, today: today.value }),
      );
      figures.loadKept.push(kept.ms);
      const snapshot = await timed(async () => projectStatus(kept.value, page, now));
      figures.project.push(snapshot.ms);
      figures.renderFleet.push((await timed(async () => renderFleetPage(snapshot.value))).ms);
      figures.renderCommunity.push((await timed(async () => renderCommunityPage(snapshot.value, slug))).ms);
      figures.renderSummaryJson.push(
        (await timed(async () => JSON.stringify(summaryJson(fleetScope(snapshot.value))))).ms,
      );

      const loop = monitorEventLoopDelay({ resolution: 1 });
      // A timer keeps the loop turning, so a stall shows up as one long delay.
      const ticker = setInterval(() => {}, 1);
      loop.enable();
      // The histogram records from its second tick on.
      await new Promise((resolve) => setTimeout(resolve, 20));
      figures.build.push((await timed(() => cache.build())).ms);
      await new Promise((resolve) => setTimeout(resolve, 20));
      loop.disable();
      clearInterval(ticker);
      figures.buildStall.push(loop.max / 1e6);
    }
  } finally {
    await database.close();
  }
  return { ...figures, uptimeRows };
}

async function timed<T>(work: () => Promise<T>): Promise<{ readonly value: T; readonly ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}
