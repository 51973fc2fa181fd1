import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { acquireLease, releaseLease } from './lease-repository.js';

describe.each(testDialects())('acquireLease on $name', (dialect) => {
  it('lets one owner hold a lease until it expires, then another take it', async () => {
    await withOpenDatabase(dialect, async (database) => {
      const db = database.db;
      expect(await acquireLease(db, 'automation', 'p1', 1_000, 10_000)).toBe(true);
      expect(await acquireLease(db, 'automation', 'p2', 5_000, 10_000)).toBe(false);
      expect(await acquireLease(db, 'automation', 'p1', 6_000, 10_000)).toBe(true);
      expect(await acquireLease(db, 'automation', 'p2', 16_000, 10_000)).toBe(false);
      expect(await acquireLease(db, 'automation', 'p2', 16_001, 10_000)).toBe(true);
      expect(await acquireLease(db, 'automation', 'p1', 17_000, 10_000)).toBe(false);
    });
  });

  it('gives exactly one of two racing processes the lease', async () => {
    await withOpenDatabase(dialect, async (database) => {
      const results = await Promise.all(
        ['a', 'b', 'c'].map((owner) => acquireLease(database.db, 'race', owner, 1_000, 10_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  it('frees a released lease at once, and only for its holder', async () => {
    await withOpenDatabase(dialect, async (database) => {
      await acquireLease(database.db, 'x', 'p1', 1_000, 10_000);
      await releaseLease(database.db, 'x', 'p2');
      expect(await acquireLease(database.db, 'x', 'p2', 2_000, 10_000)).toBe(false);
      await releaseLease(database.db, 'x', 'p1');
      expect(await acquireLease(database.db, 'x', 'p2', 2_000, 10_000)).toBe(true);
    });
  });
});
