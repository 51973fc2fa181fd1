import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgresConnection } from '../../src/store/database.js';
import { benchConfigYaml } from './bench-config-yaml.js';

/** A `firewatch serve` process of the bench, with its database and the webhook URL of `bench`. */
export interface BenchServer {
  readonly pid: number;
  readonly url: string;
  readonly ingestUrl: string;
  readonly databaseUrl: string;
  /** Lines the server wrote to stdout and stderr (its log) so far. */
  logLines(): number;
  /** Stops the server with SIGTERM (it drains queued deliveries), SIGKILL after 15 s. */
  stop(): Promise<void>;
  /** Removes the temp dir and drops the throwaway PostgreSQL database. Call after stop(). */
  cleanUp(): Promise<void>;
}

export type BenchDialect = 'sqlite' | 'postgres';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI the bench runs unless told otherwise: the compiled one `npm run build` makes. */
export const DEFAULT_CLI = join(ROOT, 'bin/firewatch.js');
const ADMIN_TOKEN = `fw_bench_${randomBytes(16).toString('hex')}`;
const START_TIMEOUT_MS = 30_000;

/** Compiles src/ to dist/ (what bin/firewatch.js runs), as `npm run build` does. */
export async function buildDist(): Promise<void> {
  const code = await run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.build.json')], {});
  if (code !== 0) throw new Error(`tsc -p tsconfig.build.json exited with ${code}; its errors are above`);
}

/**
 * Makes a fresh database (a SQLite file in a temp dir, or a throwaway database on the PostgreSQL at
 * `postgresAdminUrl`), applies the bench config with `firewatch apply`, spawns `node bin/firewatch.js
 * serve --port 0` on it and resolves once it serves and lists the integration's webhook URL.
 */
export async function startServer(
  dialect: BenchDialect,
  options: {
    readonly postgresAdminUrl: string;
    readonly communities: number;
    readonly logLevel: string;
    /** The entry point run as `node <cli> serve` (a patched build, to compare a change). */
    readonly cli: string;
    /** Where the server writes a V8 CPU profile (`node --cpu-prof`); null for none. */
    readonly cpuProfDir: string | null;
  },
): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'firewatch-bench-ingest-'));
  const dropDatabase = dialect === 'postgres' ? await createDatabase(options.postgresAdminUrl) : null;
  const databaseUrl = dropDatabase?.url ?? `sqlite:${join(dir, 'firewatch.db')}`;
  const cleanUp = async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase?.drop();
  };
  let child: ChildProcess | undefined;
  try {
    const file = join(dir, 'bench.yaml');
    writeFileSync(file, benchConfigYaml(options.communities));
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      FIREWATCH_DATA_DIR: dir,
      FIREWATCH_ADMIN_TOKEN: ADMIN_TOKEN,
      FIREWATCH_LOG_LEVEL: options.logLevel,
    };
    const applied = await run(
      process.execPath,
      [options.cli, 'apply', '-f', file],
      env,
      join(dir, 'apply.log'),
    );
    if (applied !== 0) {
      throw new Error(
        `firewatch apply exited with ${applied}: ${readFileSync(join(dir, 'apply.log'), 'utf8')}`,
      );
    }
    const profile = options.cpuProfDir === null ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`];
    const server = spawn(process.execPath, [...profile, options.cli, 'serve', '--port', '0'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = server;
    if (server.pid === undefined) throw new Error('spawn firewatch serve: no pid');
    const pid = server.pid;
    const exited = once(server, 'exit');
    let lines = 0;
    const tail: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no URL within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      for (const stream of [server.stdout, server.stderr]) {
        if (!stream) continue;
        createInterface({ input: stream }).on('line', (line) => {
          lines++;
          tail.push(line);
          if (tail.length > 20) tail.shift();
          const found = /^Firewatch status page: (\S+?)\/?$/.exec(line);
          if (found?.[1]) {
            clearTimeout(timer);
            resolve(found[1]);
          }
        });
      }
      server.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`firewatch serve exited with ${code}:\n${tail.join('\n')}`));
      });
    });
    const listed = await fetch(`${url}/api/v1/integrations`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const body = (await listed.json()) as { integrations?: { key: string; url: string }[] };
    const ingestUrl = body.integrations?.find((i) => i.key === 'bench')?.url;
    if (!ingestUrl)
      throw new Error(`GET /api/v1/integrations listed no "bench" integration: ${JSON.stringify(body)}`);
    return {
      pid,
      url,
      ingestUrl,
      databaseUrl,
      logLines: () => lines,
      async stop() {
        if (server.exitCode !== null || server.signalCode !== null) return;
        process.kill(pid, 'SIGTERM');
        const killer = setTimeout(() => process.kill(pid, 'SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      },
      cleanUp,
    };
  } catch (error) {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      process.kill(child.pid, 'SIGKILL');
      await exited;
    }
    await cleanUp();
    throw new Error(`start firewatch serve on ${dialect}`, { cause: error });
  }
}

/** Creates a database of its own on the server of `adminUrl`; `drop` removes it (and its connections). */
async function createDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `fw_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client(postgresConnection(adminUrl));
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Runs a command to completion; its output goes to `logFile`, else to this process's stderr. */
async function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  logFile?: string,
): Promise<number> {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', logFile ? 'pipe' : 'inherit', logFile ? 'pipe' : 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (logFile) writeFileSync(logFile, output);
  return code ?? 1;
}
