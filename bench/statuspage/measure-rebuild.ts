import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SnapshotCache } from '../../src/app/snapshot-cache.js';
import { projectStatus } from '../../src/statuspage/project-status.js';
import { renderCommunityPage } from '../../src/statuspage/render-community-page.js';
import { renderFleetPage } from '../../src/statuspage/render-fleet-page.js';
import { fleetScope, summaryJson } from '../../src/statuspage/statuspage-v2.js';
import { openDatabase } from '../../src/store/database.js';
import { loadStatusInputs } from '../../src/store/statuspage-repository.js';

/** Milliseconds per stage of one snapshot rebuild, one entry per run. */
export interface RebuildFigures {
  readonly load: readonly number[];
  readonly project: readonly number[];
  /** A whole SnapshotCache.build() and the longest the event loop stood still during it. */
  readonly build: readonly number[];
  readonly buildStall: readonly number[];
  readonly renderFleet: readonly number[];
  readonly renderCommunity: readonly number[];
  readonly renderSummaryJson: readonly number[];
  /** Uptime rows loadStatusInputs returned. */
  readonly uptimeRows: number;
}

/**
 * Times, in this process, what one snapshot rebuild costs on the database at `databaseUrl`:
 * loadStatusInputs, projectStatus, a SnapshotCache.build() (with the event loop's longest stall while it
 * ran), and rendering the pages the bench requests from the result.
 */
export async function measureRebuild(databaseUrl: string, runs: number, slug: string): Promise<RebuildFigures> {
  const database = await openDatabase({ url: databaseUrl, migrate: false });
  const page = { pageName: 'Bench fleet', pageUrl: 'http://127.0.0.1' };
  const figures = {
    load: [] as number[],
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
      let started = performance.now();
      const inputs = await loadStatusInputs(database.db, now);
      figures.load.push(performance.now() - started);
      uptimeRows = inputs.uptime.length;
      started = performance.now();
      const snapshot = projectStatus(inputs, page, now);
      figures.project.push(performance.now() - started);
      figures.renderFleet.push(time(() => renderFleetPage(snapshot)));
      figures.renderCommunity.push(time(() => renderCommunityPage(snapshot, slug)));
      figures.renderSummaryJson.push(time(() => JSON.stringify(summaryJson(fleetScope(snapshot)))));

      const loop = monitorEventLoopDelay({ resolution: 1 });
      // A timer keeps the loop turning, so a stall shows up as one long delay.
      const ticker = setInterval(() => {}, 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      loop.enable();
      started = performance.now();
      await cache.build();
      figures.build.push(performance.now() - started);
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

function time(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}
