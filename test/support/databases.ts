import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase, postgresConnection } from '../../src/store/database.js';

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

/** Opens PostgreSQL in a schema of its own, dropped again on close. */
export async function openIsolatedPostgres(
  url: string,
  options: { migrate?: boolean } = {},
): Promise<Database> {
  const schema = `fw_test_${randomBytes(6).toString('hex')}`;
  const database = await openDatabase({ url, pgSchema: schema, ...options });
  return {
    ...database,
    async close() {
      await database.close();
      const client = new pg.Client(postgresConnection(url));
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
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
