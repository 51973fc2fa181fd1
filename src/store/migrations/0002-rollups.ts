import { type Kysely, type Migration, sql } from 'kysely';

// One rollup table for every granularity (minute, hour, day), so one upsert path and
// one pruning rule per granularity. Day rollups from 0001 are carried over.

export const rollups: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('check_rollups')
      .addColumn('monitor_id', 'text', (c) => c.notNull())
      .addColumn('granularity', 'text', (c) => c.notNull())
      .addColumn('bucket', 'bigint', (c) => c.notNull())
      .addColumn('checks', 'integer', (c) => c.notNull())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('latency_sum_ms', 'bigint', (c) => c.notNull())
      .addColumn('latency_min_ms', 'integer', (c) => c.notNull())
      .addColumn('latency_max_ms', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('check_rollups_pk', ['monitor_id', 'granularity', 'bucket'])
      .execute();
    await db.schema
      .createIndex('check_rollups_granularity_bucket')
      .on('check_rollups')
      .columns(['granularity', 'bucket'])
      .execute();
    await sql`insert into check_rollups (monitor_id, granularity, bucket, checks, failures, latency_sum_ms, latency_min_ms, latency_max_ms)
      select monitor_id, 'day', day, checks, failures, latency_sum_ms, 0, latency_max_ms from check_rollups_day`.execute(
      db,
    );
    await db.schema.dropTable('check_rollups_day').execute();
    await db.schema.createIndex('check_results_time').on('check_results').column('started_at').execute();
  },
};
