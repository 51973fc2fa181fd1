import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/support/databases.js';
import { migrateToLatest } from './migrate.js';

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
