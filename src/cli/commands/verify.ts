import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { configFromEnv } from '../../app/firewatch-config.js';
import { junitXml } from '../../app/junit-report.js';
import { SelectionError, type VerifyResult, verifyFleet } from '../../app/verify-fleet.js';
import type { LastPing } from '../../checks/heartbeat-spec.js';
import type { FleetConfig } from '../../config/fleet-config.js';
import { loadFleetConfig } from '../../store/config-repository.js';
import { openDatabase } from '../../store/database.js';
import { lastPing } from '../../store/heartbeat-repository.js';
import { type Command, UsageError } from '../command.js';
import { databaseUrl } from '../database-url.js';

const DEFAULT_CONCURRENCY = 16;
const MAX_CONCURRENCY = 1000;

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'run every (or the chosen) monitor once now and fail when any check fails — after an upgrade',
  usage:
    'firewatch verify [--community SLUG]... [--tag TAG]... [--database URL] [--junit FILE] ' +
    `[--concurrency N (default ${DEFAULT_CONCURRENCY})] [--no-confirm]`,
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        community: { type: 'string', multiple: true },
        tag: { type: 'string', multiple: true },
        database: { type: 'string' },
        junit: { type: 'string' },
        concurrency: { type: 'string' },
        'no-confirm': { type: 'boolean' },
      },
    });
    const concurrency = concurrencyOption(values.concurrency);
    const { config, source, heartbeats } = await readFleet(databaseUrl(values.database, io));

    const started = Date.now();
    let results: VerifyResult[];
    try {
      results = await verifyFleet(config, {
        communities: values.community ?? [],
        tags: values.tag ?? [],
        concurrency,
        confirm: !values['no-confirm'],
        dataDir: resolve(io.cwd, configFromEnv(io.env).dataDir),
        onResult: (result, done, total) => io.err(`${progressLine(result, done, total)}\n`),
        heartbeatHistory: async (ref) => heartbeats.get(ref) ?? { last: null, since: Date.now() },
      });
    } catch (error) {
      if (error instanceof SelectionError)
        throw new UsageError(`${error.message} (fleet read from ${source})`);
      throw error;
    }

    io.out(resultTable(results));
    const failed = results.filter((r) => !r.ok).length;
    io.out(`${results.length - failed} passed, ${failed} failed\n`);
    if (values.junit !== undefined) {
      const xml = junitXml(results, {
        suiteName: 'firewatch verify',
        timestamp: started,
        durationMs: Date.now() - started,
      });
      try {
        await writeFile(resolve(io.cwd, values.junit), xml);
      } catch (error) {
        throw new Error(`cannot write the JUnit report to ${values.junit}`, { cause: error });
      }
      io.err(`JUnit report written to ${values.junit}\n`);
    }
    return failed === 0 ? 0 : 1;
  },
};

/** The stored fleet, and each heartbeat monitor's last ping (heartbeats are judged from the store). */
async function readFleet(url: string): Promise<{
  config: FleetConfig;
  source: string;
  heartbeats: Map<string, { last: LastPing | null; since: number }>;
}> {
  const database = await openDatabase({ url });
  try {
    const rows = await database.db
      .selectFrom('monitors')
      .select(['id', 'ref', 'created_at'])
      .where('type', '=', 'heartbeat')
      .execute();
    const heartbeats = new Map<string, { last: LastPing | null; since: number }>();
    for (const row of rows) {
      heartbeats.set(row.ref, { last: await lastPing(database.db, row.id), since: row.created_at });
    }
    return { config: await loadFleetConfig(database.db), source: database.description, heartbeats };
  } finally {
    await database.close();
  }
}

function concurrencyOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) {
    throw new UsageError(`--concurrency "${value}" must be a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  return n;
}

/** `[12/40] ✓ pangeo/hub/front-page 84 ms`, or `✗ … 12 ms — reason` for a failure. */
function progressLine(result: VerifyResult, done: number, total: number): string {
  const counter = `[${String(done).padStart(String(total).length)}/${total}]`;
  const line = `${counter} ${result.ok ? '✓' : '✗'} ${result.ref} ${formatMs(result.durationMs)}`;
  return result.ok ? line : `${line} — ${oneLine(result.reason ?? 'failed')}`;
}

/** Failures first (by ref), then passes; columns STATUS, MONITOR, DURATION, REASON. */
function resultTable(results: readonly VerifyResult[]): string {
  const sorted = [...results].sort(
    (a, b) => Number(a.ok) - Number(b.ok) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0),
  );
  const rows = [
    ['STATUS', 'MONITOR', 'DURATION', 'REASON'],
    ...sorted.map((r) => [statusOf(r), r.ref, formatMs(r.durationMs), noteOf(r)]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) => {
    const [status, ref, duration, note] = row as [string, string, string, string];
    const cells = [status.padEnd(widths[0]!), ref.padEnd(widths[1]!), duration.padStart(widths[2]!), note];
    return cells.join('  ').trimEnd();
  });
  return `${lines.join('\n')}\n`;
}

function statusOf(result: VerifyResult): string {
  if (result.ok) return 'ok';
  return result.slow ? 'SLOW' : 'FAIL';
}

function noteOf(result: VerifyResult): string {
  if (!result.ok) {
    const tries = result.attempts > 1 ? ` (all ${result.attempts} attempts)` : '';
    const evidence = result.artifacts.length > 0 ? ` (evidence: ${result.artifacts.join(', ')})` : '';
    return `${oneLine(result.reason ?? 'failed')}${tries}${evidence}`;
  }
  // A pass that needed a retry is worth a look right after an upgrade.
  return result.attempts > 1 ? `passed on attempt ${result.attempts}` : '';
}

function formatMs(ms: number): string {
  return `${Math.round(ms)} ms`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
