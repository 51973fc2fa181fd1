import type { Kysely } from 'kysely';
import type { Granularity, Schema } from './schema.js';

/** How long each kind of result is kept (ms). */
export interface Retention {
  readonly rawMs: number;
  readonly minuteMs: number;
  readonly hourMs: number;
  readonly dayMs: number;
}

const DAY = 86_400_000;

/**
 * Defaults: raw results 7 days (enough to investigate last week's incident check by
 * check), minute rollups 2 days, hour rollups 90 days, day rollups 400 days (a year of
 * uptime bars with room). Every kind is bounded, so a monitor's rows stop growing.
 */
export const DEFAULT_RETENTION: Retention = {
  rawMs: 7 * DAY,
  minuteMs: 2 * DAY,
  hourMs: 90 * DAY,
  dayMs: 400 * DAY,
};

/** Rows removed by one pruning pass. */
export interface PruneReport {
  readonly raw: number;
  readonly rollups: Readonly<Record<Granularity, number>>;
}

/**
 * Deletes results and rollups older than their retention at `now`, plus rows of
 * monitors that no longer exist. Deletes in slices of `batchSize` rows so no single
 * statement holds the database for long.
 */
export async function pruneResults(
  db: Kysely<Schema>,
  now: number,
  retention: Retention = DEFAULT_RETENTION,
  batchSize = 5_000,
): Promise<PruneReport> {
  let raw = 0;
  for (;;) {
    const deleted = await db
      .deleteFrom('check_results')
      .where('started_at', 'in', (eb) =>
        eb
          .selectFrom('check_results')
          .select('started_at')
          .where('started_at', '<', now - retention.rawMs)
          .limit(batchSize),
      )
      .executeTakeFirst();
    const n = Number(deleted.numDeletedRows);
    raw += n;
    if (n === 0) break;
  }
  const rollups: Record<Granularity, number> = { minute: 0, hour: 0, day: 0 };
  const limits: Readonly<Record<Granularity, number>> = {
    minute: retention.minuteMs,
    hour: retention.hourMs,
    day: retention.dayMs,
  };
  for (const granularity of Object.keys(limits) as Granularity[]) {
    const deleted = await db
      .deleteFrom('check_rollups')
      .where('granularity', '=', granularity)
      .where('bucket', '<', now - limits[granularity])
      .executeTakeFirst();
    rollups[granularity] = Number(deleted.numDeletedRows);
  }
  // Heartbeat pings age out like raw results, except each monitor's latest (lateness is judged from it).
  await db
    .deleteFrom('heartbeat_pings')
    .where('at', '<', now - retention.rawMs)
    .where('id', 'not in', (eb) =>
      eb
        .selectFrom('heartbeat_pings')
        .select((e) => e.fn.max('id').as('id'))
        .groupBy('monitor_id'),
    )
    .execute();
  // Rows of deleted monitors (results carry no foreign key, see 0001-initial).
  await db
    .deleteFrom('check_rollups')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('monitors')
            .select('monitors.id')
            .whereRef('monitors.id', '=', 'check_rollups.monitor_id'),
        ),
      ),
    )
    .execute();
  await db
    .deleteFrom('monitor_states')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('monitors')
            .select('monitors.id')
            .whereRef('monitors.id', '=', 'monitor_states.monitor_id'),
        ),
      ),
    )
    .execute();
  return { raw, rollups };
}
