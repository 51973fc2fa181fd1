import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type Capabilities, postgresCapabilities, sqliteCapabilities } from './capabilities.js';
import { migrateToLatest } from './migrate.js';
import type { Schema } from './schema.js';
import { TimeSlicedSqliteDialect } from './time-sliced-sqlite-dialect.js';

/** An open database: the query builder, what it can do, and how to close it. */
export interface Database {
  readonly db: Kysely<Schema>;
  readonly capabilities: Capabilities;
  /** Human-readable location without credentials, for logs. */
  readonly description: string;
  /**
   * Tells every other process on this database that what the public page shows changed (PostgreSQL
   * NOTIFY on a channel per schema). Absent on SQLite, which one process owns.
   */
  readonly announce?: (sender: string) => Promise<void>;
  /** Calls `onChange(sender)` for every announcement until the returned stop function runs. */
  readonly listen?: (onChange: (sender: string) => void) => Promise<() => Promise<void>>;
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
  const db = new Kysely<Schema>({ dialect: new TimeSlicedSqliteDialect({ database: sqlite }) });
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
  const channel = `firewatch_changes_${schema ?? 'public'}`;
  return {
    db,
    capabilities: postgresCapabilities,
    description: `postgres://${url.host}${url.pathname}${schema ? ` (schema ${schema})` : ''}`,
    announce: async (sender) => {
      await pool.query('SELECT pg_notify($1, $2)', [channel, sender]);
    },
    listen: (onChange) => listenOn(options.url, channel, onChange),
    close: () => db.destroy(),
  };
}

/** How long a listener waits before reconnecting after its connection broke. */
const RELISTEN_MS = 2_000;

/**
 * Holds one connection LISTENing on `channel`, reconnecting when it breaks (announcements made while it
 * was away are lost; the snapshot's periodic rebuild covers them).
 */
async function listenOn(
  url: string,
  channel: string,
  onChange: (sender: string) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  const connect = async (): Promise<void> => {
    const next = new pg.Client(postgresConnection(url));
    next.on('notification', (message) => {
      if (message.channel === channel) onChange(message.payload ?? '');
    });
    next.on('error', () => {
      next.end().catch(() => undefined);
      if (client === next) client = null;
      if (!stopped) retry = setTimeout(() => void connect().catch(() => undefined), RELISTEN_MS);
    });
    await next.connect();
    await next.query(`LISTEN ${channel}`);
    client = next;
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
