import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase, postgresConnection } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

/** One dialect under test: `open()` gives a fresh, migrated, isolated database. */
export interface TestDialect {
  readonly name: 'sqlite' | 'postgres';
  /** False when PostgreSQL is unreachable outside CI (global-setup.ts printed why). */
  readonly available: boolean;
  /** `migrate: false` leaves the schema empty (for migration tests). */
  open(options?: { migrate?: boolean }): Promise<Database>;
}

/** Both dialects; store tests loop over these with `describe.each`. */
export function testDialects(): readonly TestDialect[] {
  const postgresUrl = inject('postgresUrl');
  return [
    { name: 'sqlite', available: true, open: (options) => openDatabase({ url: ':memory:', ...options }) },
    {
      name: 'postgres',
      available: postgresUrl !== '',
      open: (options) => openIsolatedPostgres(postgresUrl, options),
    },
  ];
}

/** A file-backed SQLite URL in a temp dir, for tests that need several connections. */
export function tempSqliteUrl(dir: string): string {
  return `sqlite:${dir}/firewatch-test.db`;
}

/**
 * Test processes create and drop schemas on one server at once. Kysely's migrator introspects every
 * schema's tables (pg_get_serial_sequence per column), which fails with 42P01 when another process drops
 * a schema mid-scan; so migrations hold this advisory lock shared and drops hold it exclusively.
 */
const SCHEMA_LOCK = 424_242;

async function withSchemaLock<T>(
  url: string,
  mode: 'shared' | 'exclusive',
  run: () => Promise<T>,
): Promise<T> {
  const client = new pg.Client(postgresConnection(url));
  await client.connect();
  const suffix = mode === 'shared' ? '_shared' : '';
  try {
    await client.query(`SELECT pg_advisory_lock${suffix}($1)`, [SCHEMA_LOCK]);
    return await run();
  } finally {
    await client.query(`SELECT pg_advisory_unlock${suffix}($1)`, [SCHEMA_LOCK]).catch(() => undefined);
    await client.end();
  }
}

/** Opens PostgreSQL in a schema of its own, dropped again on close. */
export async function openIsolatedPostgres(
  url: string,
  options: { migrate?: boolean } = {},
): Promise<Database> {
  const schema = `fw_test_${randomBytes(6).toString('hex')}`;
  const database = await openDatabase({ url, pgSchema: schema, migrate: false });
  if (options.migrate !== false) {
    try {
      await withSchemaLock(url, 'shared', () => migrateToLatest(database.db, schema));
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return {
    ...database,
    async close() {
      await database.close();
      await withSchemaLock(url, 'exclusive', async () => {
        const client = new pg.Client(postgresConnection(url));
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await client.end();
        }
      });
    },
  };
}

/** Opens a fresh database of `dialect`, runs `test` on it and closes it again, also when the test fails. */
export async function withOpenDatabase(
  dialect: TestDialect,
  test: (database: Database) => Promise<void>,
): Promise<void> {
  const database = await dialect.open();
  try {
    await test(database);
  } finally {
    await database.close();
  }
}
