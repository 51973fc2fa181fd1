import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { SnapshotCache } from '../../src/app/snapshot-cache.js';
import { projectStatus } from '../../src/statuspage/project-status.js';
import { renderCommunityPage } from '../../src/statuspage/render-community-page.js';
import { renderFleetPage } from '../../src/statuspage/render-fleet-page.js';
import { UPTIME_DAYS } from '../../src/statuspage/status-snapshot.js';
import { fleetScope, summaryJson } from '../../src/statuspage/statuspage-v2.js';
import { openDatabase } from '../../src/store/database.js';
import type { Schema } from '../../src/store/schema.js';
import { loadStatusInputs } from '../../src/store/statuspage-repository.js';

const DAY_MS = 86_400_000;

/** Milliseconds per stage of one snapshot rebuild, one entry per run. */
export interface RebuildFigures {
  readonly load: readonly number[];
  /** loadStatusInputs' day-rollup query alone: all UPTIME_DAYS days, and today's only. */
  readonly rollupsAllDays: readonly number[];
  readonly rollupsToday: readonly number[];
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
export async function measureRebuild(
  databaseUrl: string,
  runs: number,
  slug: string,
): Promise<RebuildFigures> {
  const database = await openDatabase({ url: databaseUrl, migrate: false });
  const page = { pageName: 'Bench fleet', pageUrl: 'http://127.0.0.1' };
  const figures = {
    load: [] as number[],
    rollupsAllDays: [] as number[],
    rollupsToday: [] as number[],
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
      const today = now - (now % DAY_MS);
      started = performance.now();
      await dayRollups(database.db, today - (UPTIME_DAYS - 1) * DAY_MS);
      figures.rollupsAllDays.push(performance.now() - started);
      started = performance.now();
      await dayRollups(database.db, today);
      figures.rollupsToday.push(performance.now() - started);
      started = performance.now();
      const snapshot = projectStatus(inputs, page, now);
      figures.project.push(performance.now() - started);
      figures.renderFleet.push(time(() => renderFleetPage(snapshot)));
      figures.renderCommunity.push(time(() => renderCommunityPage(snapshot, slug)));
      figures.renderSummaryJson.push(time(() => JSON.stringify(summaryJson(fleetScope(snapshot)))));

      const loop = monitorEventLoopDelay({ resolution: 1 });
      // A timer keeps the loop turning, so a stall shows up as one long delay.
      const ticker = setInterval(() => {}, 1);
      loop.enable();
      // The histogram records from its second tick on.
      await new Promise((resolve) => setTimeout(resolve, 20));
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

/** The day-rollup query of loadStatusInputs (store/statuspage-repository.ts), from `firstDay` on. */
function dayRollups(db: Kysely<Schema>, firstDay: number) {
  return db
    .selectFrom('check_rollups')
    .innerJoin('monitors', 'monitors.id', 'check_rollups.monitor_id')
    .select((eb) => [
      'monitors.component_id',
      'check_rollups.bucket',
      eb.fn.sum<number>('check_rollups.checks').as('checks'),
      eb.fn.sum<number>('check_rollups.failures').as('failures'),
    ])
    .where('check_rollups.granularity', '=', 'day')
    .where('check_rollups.bucket', '>=', firstDay)
    .groupBy(['monitors.component_id', 'check_rollups.bucket'])
    .execute();
}

function time(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}
