// Simulates a month of check results for M monitors through the real ResultsWriter (raw rows, minute/hour/day
// rollups, monitor states) with a fake clock, prunes with the default retention, and prints the SQLite
// file's size after each simulated day. See bench/checks/README.md.
// Usage: node_modules/.bin/tsx bench/checks/db-growth-bench.ts [--monitors 100] [--interval 30] [--days 30]
//          [--prune-every-hours 24] [--failure-rate 0.005]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { CheckOutcome } from '../../src/checks/check-outcome.js';
import { DEFAULT_RULE } from '../../src/rules/consecutive-rule.js';
import { evaluate } from '../../src/rules/evaluate.js';
import { INITIAL_STATE, type MonitorState } from '../../src/rules/monitor-state.js';
import { type Database, openDatabase } from '../../src/store/database.js';
import { DEFAULT_RETENTION, pruneResults } from '../../src/store/prune-results.js';
import { ResultsWriter } from '../../src/store/results-writer.js';
import { applyFleet } from './apply-fleet.js';
import { benchFleetYaml } from './bench-fleet-yaml.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const START = Date.UTC(2026, 0, 1);

const { values } = parseArgs({
  options: {
    monitors: { type: 'string', default: '100' },
    interval: { type: 'string', default: '30' },
    days: { type: 'string', default: '30' },
    'prune-every-hours': { type: 'string', default: '24' },
    'failure-rate': { type: 'string', default: '0.005' },
  },
});
const monitors = Number(values.monitors);
const intervalMs = Number(values.interval) * 1000;
const days = Number(values.days);
const pruneEveryMs = Number(values['prune-every-hours']) * HOUR_MS;
const failureRate = Number(values['failure-rate']);
for (const [name, n] of Object.entries({ monitors, intervalMs, days, pruneEveryMs })) {
  if (!Number.isFinite(n) || n <= 0) throw new Error(`db-growth-bench: ${name} must be a positive number`);
}

/** Deterministic PRNG (mulberry32), so two runs write the same month. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function fileBytes(database: Database): Promise<{ total: number; free: number }> {
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(database.db);
  const one = async (pragma: string) =>
    Object.values((await sql.raw(`pragma ${pragma}`).execute(database.db)).rows[0] as object)[0] as number;
  const pageSize = await one('page_size');
  return { total: (await one('page_count')) * pageSize, free: (await one('freelist_count')) * pageSize };
}

async function bytesByObject(database: Database): Promise<string> {
  const { rows } = await sql<{ name: string; bytes: number }>`
    select name, sum(pgsize) as bytes from dbstat group by name order by bytes desc limit 6`.execute(
    database.db,
  );
  return rows.map((r) => `${r.name} ${(r.bytes / 1e6).toFixed(1)} MB`).join(', ');
}

const dir = mkdtempSync(join(tmpdir(), 'firewatch-bench-growth-'));
try {
  const databaseUrl = `sqlite:${join(dir, 'firewatch.db')}`;
  const fleet = join(dir, 'fleet.yaml');
  writeFileSync(fleet, benchFleetYaml(monitors, intervalMs / 1000, 9));
  await applyFleet(fleet, databaseUrl, false);
  const database = await openDatabase({ url: databaseUrl });
  try {
    const ids = (await database.db.selectFrom('monitors').select('id').orderBy('id').execute()).map(
      (r) => r.id,
    );
    const writer = new ResultsWriter({
      db: database.db,
      capabilities: database.capabilities,
      onError: (error) => {
        throw error;
      },
    });
    const states = new Map<string, MonitorState>(ids.map((id) => [id, INITIAL_STATE]));
    const next = random(42);
    const phase = (i: number) => Math.floor((i * intervalMs) / ids.length);
    console.log(
      `db-growth: ${ids.length} monitors every ${intervalMs / 1000} s for ${days} days ` +
        `(${Math.round((DAY_MS / intervalMs) * ids.length).toLocaleString('en')} results a day), ` +
        `${(100 * failureRate).toFixed(1)}% failures, prune every ${pruneEveryMs / HOUR_MS} h, default retention ` +
        `(raw ${DEFAULT_RETENTION.rawMs / DAY_MS} d, minute ${DEFAULT_RETENTION.minuteMs / DAY_MS} d, ` +
        `hour ${DEFAULT_RETENTION.hourMs / DAY_MS} d, day ${DEFAULT_RETENTION.dayMs / DAY_MS} d)`,
    );
    const header = [
      'day',
      'file MB',
      'free MB',
      'bytes/monitor',
      'Δ bytes/monitor-day',
      'Δ used/monitor-day',
    ];
    console.log(header.join('  '));
    const growth: { day: number; file: number; used: number; perMonitor: number }[] = [];
    let previous = await fileBytes(database);
    const started = performance.now();
    let nextPrune = START + pruneEveryMs;
    for (let day = 1; day <= days; day++) {
      const dayEnd = START + day * DAY_MS;
      for (let cycle = dayEnd - DAY_MS; cycle < dayEnd; cycle += intervalMs) {
        ids.forEach((id, i) => {
          const at = cycle + phase(i);
          const failed = next() < failureRate;
          const outcome: CheckOutcome = {
            ok: !failed,
            slow: false,
            reason: failed ? 'expected status 200-399, got 503' : null,
            durationMs: 40 + Math.floor(next() * 360),
          };
          const evaluation = evaluate(states.get(id)!, outcome, DEFAULT_RULE, at);
          states.set(id, evaluation.state);
          writer.add({
            monitorId: id,
            startedAt: at,
            location: 'default',
            outcome,
            state: evaluation.state,
            reason: outcome.reason,
          });
        });
        if (cycle + intervalMs >= nextPrune) {
          await writer.flush();
          await pruneResults(database.db, nextPrune);
          nextPrune += pruneEveryMs;
        }
      }
      await writer.flush();
      const now = await fileBytes(database);
      const perMonitor = (bytes: number) => bytes / ids.length;
      const fileDelta = perMonitor(now.total - previous.total);
      const usedDelta = perMonitor(now.total - now.free - (previous.total - previous.free));
      growth.push({ day, file: fileDelta, used: usedDelta, perMonitor: perMonitor(now.total) });
      const cells = [
        String(day).padStart(3),
        (now.total / 1e6).toFixed(1).padStart(7),
        (now.free / 1e6).toFixed(1).padStart(7),
        Math.round(perMonitor(now.total)).toLocaleString('en').padStart(13),
        Math.round(fileDelta).toLocaleString('en').padStart(19),
        Math.round(usedDelta).toLocaleString('en').padStart(18),
      ];
      console.log(cells.join('  '));
      if (day === 7 || day === days) console.log(`     on day ${day}: ${await bytesByObject(database)}`);
      previous = now;
    }
    console.log(`simulated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    summarize(growth);
  } finally {
    await database.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Whether the size is flat from day 8 on: the change of bytes per monitor from day 8 to the last day, and
 * the median, range and max/min ratio of the daily growth, of the file and of its pages in use.
 */
function summarize(all: readonly { day: number; file: number; used: number; perMonitor: number }[]): void {
  const first = all.filter((g) => g.day <= 7).map((g) => g.file);
  if (first.length > 0) {
    const median = first.sort((a, b) => a - b)[Math.floor(first.length / 2)]!;
    console.log(
      `days 1-7 (before raw results reach their retention): median growth ${Math.round(median)} B per monitor-day`,
    );
  }
  const late = all.filter((g) => g.day >= 8);
  if (late.length < 2) {
    console.log('flatness: needs at least days 8 and 9; run with --days 30');
    return;
  }
  for (const [label, key] of [
    ['file size', 'file'],
    ['bytes in use (file minus free pages)', 'used'],
  ] as const) {
    const sorted = late.map((g) => g[key]).sort((a, b) => a - b);
    const min = sorted[0]!;
    const max = sorted.at(-1)!;
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const ratio =
      min > 0 ? `max/min ${(max / min).toFixed(2)}` : 'max/min undefined (some days did not grow)';
    console.log(
      `days ${late[0]!.day}-${late.at(-1)!.day}, growth of ${label} per monitor-day: median ${Math.round(median)} B, ` +
        `min ${Math.round(min)} B, max ${Math.round(max)} B, ${ratio}`,
    );
  }
  const from = late[0]!;
  const to = late.at(-1)!;
  console.log(
    `bytes per monitor, day ${from.day} → day ${to.day}: ${Math.round(from.perMonitor)} → ${Math.round(to.perMonitor)} ` +
      `(${((100 * (to.perMonitor - from.perMonitor)) / from.perMonitor).toFixed(1)}% in ${to.day - from.day} days)`,
  );
}
