import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { TimeSlicedSqliteDialect } from './time-sliced-sqlite-dialect.js';

// One query that keeps SQLite busy for a moment (a recursive count), as a snapshot rebuild's queries do.
const busyQuery = sql<{ n: number }>`
  with recursive count(n) as (select 1 union all select n + 1 from count where n < 20000)
  select max(n) as n from count`;

/** Runs queries back to back for `ms` and counts the loop turns (setImmediate callbacks) meanwhile. */
async function loopTurnsDuringQueries(db: Kysely<unknown>, ms: number) {
  let turns = 0;
  let lastTurn = performance.now();
  let longestGap = 0;
  let ticking = true;
  const tick = () => {
    const at = performance.now();
    longestGap = Math.max(longestGap, at - lastTurn);
    lastTurn = at;
    turns++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const started = performance.now();
  let queries = 0;
  while (performance.now() - started < ms) {
    const row = await busyQuery.execute(db);
    expect(row.rows[0]?.n).toBe(20000);
    queries++;
  }
  const turnsDuring = turns;
  ticking = false;
  await new Promise((resolve) => setImmediate(resolve));
  return { turnsDuring, longestGap, queries };
}

describe('TimeSlicedSqliteDialect', () => {
  const open: Kysely<unknown>[] = [];
  afterEach(async () => {
    for (const db of open.splice(0)) await db.destroy();
  });
  const kysely = (sliced: boolean) => {
    const database = new SQLite(':memory:');
    const dialect = sliced ? new TimeSlicedSqliteDialect({ database }) : new SqliteDialect({ database });
    const db = new Kysely<unknown>({ dialect });
    open.push(db);
    return db;
  };

  it('lets the event loop turn between queries that run back to back', async () => {
    const plain = await loopTurnsDuringQueries(kysely(false), 60);
    // Kysely's own SQLite driver: awaited queries never leave the microtask queue.
    expect(plain.turnsDuring).toBe(0);
    const sliced = await loopTurnsDuringQueries(kysely(true), 60);
    expect(sliced.queries).toBeGreaterThan(3);
    expect(sliced.turnsDuring).toBeGreaterThan(2);
    // A slice is 4 ms plus one query; a generous bound for a busy CI machine.
    expect(sliced.longestGap).toBeLessThan(40);
  });

  it('keeps transactions and savepoints working', async () => {
    const db = kysely(true) as Kysely<{ item: { name: string } }>;
    await db.schema.createTable('item').addColumn('name', 'text').execute();
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('item').values({ name: 'kept' }).execute();
    });
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.insertInto('item').values({ name: 'rolled back' }).execute();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const tx = await db.startTransaction().execute();
    await tx.insertInto('item').values({ name: 'before savepoint' }).execute();
    const inner = await tx.savepoint('inner').execute();
    await inner.insertInto('item').values({ name: 'after savepoint' }).execute();
    await inner.rollbackToSavepoint('inner').execute();
    await tx.commit().execute();
    const names = (await db.selectFrom('item').select('name').orderBy('name').execute()).map((r) => r.name);
    expect(names).toEqual(['before savepoint', 'kept']);
  });
});
