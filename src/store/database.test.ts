import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/support/databases.js';
import { migrateToLatest, migrationProvider } from './migrate.js';

describe.each(testDialects())('database on $name', (dialect) => {
  it.skipIf(!dialect.available)('migrates an empty database and is idempotent on a second run', async () => {
    const database = await dialect.open();
    try {
      const again = await migrateToLatest(database.db);
      expect(again).toEqual([]);
      const tables = await database.db.introspection.getTables();
      const names = tables.map((t) => t.name);
      expect(names).toEqual(
        expect.arrayContaining(['communities', 'components', 'monitors', 'check_results']),
      );
    } finally {
      await database.close();
    }
  });

  it.skipIf(!dialect.available)('round-trips epoch milliseconds in bigint columns as numbers', async () => {
    const database = await dialect.open();
    try {
      const at = 1_795_000_000_123;
      await database.db
        .insertInto('communities')
        .values({
          id: 'c1',
          slug: 'one',
          name: 'One',
          description: null,
          url: null,
          position: 0,
          created_at: at,
          updated_at: at,
        })
        .execute();
      const row = await database.db.selectFrom('communities').selectAll().executeTakeFirstOrThrow();
      expect(row.created_at).toBe(at);
    } finally {
      await database.close();
    }
  });
});

describe.each(testDialects())('migration 0002 on $name', (dialect) => {
  it.skipIf(!dialect.available)('carries day rollups written under 0001 into check_rollups', async () => {
    const database = await dialect.open({ migrate: false });
    try {
      // Pinned to this test's schema, as migrateToLatest does: other schemas on the server may hold
      // their own kysely_migration table.
      const schema = database.capabilities.sharedByProcesses
        ? (await sql<{ name: string }>`select current_schema() as name`.execute(database.db)).rows[0]?.name
        : undefined;
      const migrator = new Migrator({
        db: database.db,
        provider: migrationProvider,
        ...(schema ? { migrationTableSchema: schema } : {}),
      });
      expect((await migrator.migrateTo('0001-initial')).error).toBeUndefined();
      await sql`insert into check_rollups_day (monitor_id, day, checks, failures, latency_sum_ms, latency_max_ms)
        values ('mon_1', 86400000, 10, 2, 500, 90)`.execute(database.db);
      expect((await migrateToLatest(database.db, schema))[0]).toBe('0002-rollups');
      const rows = await database.db.selectFrom('check_rollups').selectAll().execute();
      expect(rows.map((r) => ({ ...r, latency_sum_ms: Number(r.latency_sum_ms) }))).toEqual([
        {
          monitor_id: 'mon_1',
          granularity: 'day',
          bucket: 86_400_000,
          checks: 10,
          failures: 2,
          latency_sum_ms: 500,
          latency_min_ms: 0,
          latency_max_ms: 90,
        },
      ]);
    } finally {
      await database.close();
    }
  });
});
