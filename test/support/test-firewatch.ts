import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { configFromEnv, type FirewatchConfig } from '../../src/app/firewatch-config.js';
import { type RunningFirewatch, startFirewatch } from '../../src/app/start-firewatch.js';
import { parseConfigFile } from '../../src/config/parse-config-file.js';
import { applyFleetConfig } from '../../src/store/config-repository.js';
import { type Database, openDatabase } from '../../src/store/database.js';
import type { TestDialect } from './databases.js';

/** A Firewatch serving on a free port, with its database, temp dir and admin token. */
export interface TestFirewatch {
  readonly firewatch: RunningFirewatch;
  readonly database: Database;
  /** A temp dir of its own (Firewatch's data dir), removed by `close`. */
  readonly dir: string;
  readonly token: string;
  /** Stops Firewatch, closes the database and removes `dir`. */
  close(): Promise<void>;
}

export interface TestFirewatchOptions {
  readonly dialect: TestDialect;
  /** The admin API token. */
  readonly token: string;
  /** Names the temp dir, the SQLite file and the config file (in error messages). */
  readonly name: string;
  /** Run monitor checks (default false). */
  readonly runChecks?: boolean;
  /** Process settings to change (SMTP, link lifetime, …). */
  readonly config?: Partial<FirewatchConfig>;
  /** Firewatch's clock (default the real one). */
  readonly now?: () => number;
}

/**
 * Opens a database of `dialect` (SQLite in a file of a fresh temp dir), applies the fleet config
 * `configYaml` and starts Firewatch on it with a silent logger.
 */
export async function startTestFirewatch(
  configYaml: string,
  { dialect, token, name, runChecks = false, config = {}, now }: TestFirewatchOptions,
): Promise<TestFirewatch> {
  const dir = mkdtempSync(join(tmpdir(), `firewatch-${name}-`));
  let database: Database | undefined;
  let firewatch: RunningFirewatch | undefined;
  const close = async () => {
    await firewatch?.stop();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    database =
      dialect.name === 'sqlite'
        ? await openDatabase({ url: `sqlite:${dir}/${name}.db` })
        : await dialect.open();
    const parsed = parseConfigFile(configYaml, `${name}.yaml`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await applyFleetConfig(database.db, parsed.config, (now ?? Date.now)());
    firewatch = await startFirewatch(
      {
        ...configFromEnv({}),
        port: 0,
        dataDir: dir,
        adminToken: token,
        databaseUrl: 'unused',
        runChecks,
        ...config,
      },
      { database, logger: pino({ level: 'silent' }), ...(now ? { now } : {}) },
    );
    return { firewatch, database, dir, token, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Fetches `path` from Firewatch with its admin token (headers in `init` are added to it). */
export function api(
  app: TestFirewatch,
  path: string,
  init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${app.firewatch.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${app.token}`, ...init.headers },
  });
}
