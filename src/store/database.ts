import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { type Capabilities, postgresCapabilities, sqliteCapabilities } from './capabilities.js';
import { migrateToLatest } from './migrate.js';
import type { Schema } from './schema.js';

/** An open database: the query builder, what it can do, and how to close it. */
export interface Database {
  readonly db: Kysely<Schema>;
  readonly capabilities: Capabilities;
  /** Human-readable location without credentials, for logs. */
  readonly description: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `postgres://…` or a SQLite file path (`sqlite:` prefix optional); `:memory:` for tests. */
  readonly url: string;
  /** PostgreSQL schema to use (created if missing); tests isolate themselves with it. */
  readonly pgSchema?: string;
  /** Run migrations after connecting (default true). */
  readonly migrate?: boolean;
}

/** The default embedded database file, relative to the working directory. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/firewatch.db';

// int8 (bigint) columns hold epoch milliseconds, which fit a JS number exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

/** Opens (and by default migrates) the database named by `url`. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  const database = isPostgresUrl(options.url) ? openPostgres(options) : openSqlite(options.url);
  if (options.migrate !== false) {
    try {
      // PostgreSQL: name the schema, or Kysely would take another schema's migration tables for ours.
      const schema = isPostgresUrl(options.url) ? (options.pgSchema ?? 'public') : undefined;
      await migrateToLatest(database.db, schema);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}

function openSqlite(url: string): Database {
  const path = url.replace(/^sqlite:/, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    capabilities: sqliteCapabilities,
    description: `sqlite:${path}`,
    close: () => db.destroy(),
  };
}

/**
 * Connection settings for a URL. Like psql, a URL without a user name connects as
 * the operating-system user (node-postgres alone would send no user at all when
 * $USER is unset, as under CI).
 */
export function postgresConnection(url: string): pg.ClientConfig {
  const parsed = new URL(url);
  // pg lets values parsed from the URL override separate settings, so the user goes into the URL.
  if (parsed.username === '' && process.env.PGUSER === undefined) parsed.username = userInfo().username;
  return { connectionString: parsed.toString() };
}

function openPostgres(options: OpenOptions): Database {
  const schema = options.pgSchema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name "${schema}": use lowercase letters, digits and _`);
  }
  const pool = new pg.Pool({
    ...postgresConnection(options.url),
    max: 10,
    // A connection pinned to a schema (tests, installs sharing a server) does catalog lookups while
    // other schemas come and go; PostgreSQL's parallel workers can fail those with 3F000 ("schema
    // does not exist"), so it plans without them — Firewatch's queries gain nothing from them.
    ...(schema ? { options: `-c search_path=${schema} -c max_parallel_workers_per_gather=0` } : {}),
  });
  const db = new Kysely<Schema>({
    dialect: new PostgresDialect({
      pool: async () => {
        if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        return pool;
      },
    }),
  });
  const url = new URL(options.url);
  return {
    db,
    capabilities: postgresCapabilities,
    description: `postgres://${url.host}${url.pathname}${schema ? ` (schema ${schema})` : ''}`,
    close: () => db.destroy(),
  };
}
