import { stringify } from 'yaml';
import { parseConfigFile } from '../../src/config/parse-config-file.js';
import { UPTIME_DAYS } from '../../src/statuspage/status-snapshot.js';
import { applyFleetConfig } from '../../src/store/config-repository.js';
import { openDatabase } from '../../src/store/database.js';

const DAY_MS = 86_400_000;
// 7 values per row: 500 rows stay far below SQLite's and PostgreSQL's parameter limits.
const CHUNK_ROWS = 500;

/** What the bench database holds. */
export interface SeededFleet {
  readonly communities: number;
  readonly components: number;
  readonly rollupRows: number;
  /** Slug of one community (the community-page scenario requests `/c/<slug>`). */
  readonly sampleSlug: string;
  readonly seconds: number;
}

/**
 * A fleet file of `communities` communities with `perCommunity` components each, one HTTP monitor per
 * component (never run: the bench serves with checks off; the monitor only carries the rollups).
 */
export function statuspageFleetYaml(communities: number, perCommunity: number): string {
  return stringify({
    version: 1,
    communities: Array.from({ length: communities }, (_, c) => ({
      slug: `community-${c}`,
      name: `Community ${c}`,
      description: `Hosted community number ${c}`,
      components: Array.from({ length: perCommunity }, (_, k) => ({
        key: `part-${k}`,
        name: `Part ${k}`,
        monitors: [{ key: 'probe', type: 'http', url: `http://127.0.0.1:9/c${c}/p${k}`, interval: '60s' }],
      })),
    })),
  });
}

/**
 * Creates the fleet in the (fresh) database at `databaseUrl` with applyFleetConfig, then inserts
 * `days` day rollups per monitor ending today (1,440 checks a day, a few failures on some days) so
 * every uptime bar has data.
 */
export async function seedStatuspageDb(
  databaseUrl: string,
  options: { readonly communities: number; readonly perCommunity: number; readonly days?: number },
  now: number,
): Promise<SeededFleet> {
  const started = performance.now();
  const parsed = parseConfigFile(
    statuspageFleetYaml(options.communities, options.perCommunity),
    'bench.yaml',
  );
  if (!parsed.ok) throw new Error(`bench fleet file is invalid: ${JSON.stringify(parsed.errors[0])}`);
  const database = await openDatabase({ url: databaseUrl });
  try {
    await applyFleetConfig(database.db, parsed.config, now);
    const monitors = await database.db.selectFrom('monitors').select('id').orderBy('id').execute();
    const days = options.days ?? UPTIME_DAYS;
    const today = now - (now % DAY_MS);
    let rollupRows = 0;
    await database.db.transaction().execute(async (tx) => {
      let rows: {
        monitor_id: string;
        granularity: 'day';
        bucket: number;
        checks: number;
        failures: number;
        latency_sum_ms: number;
        latency_min_ms: number;
        latency_max_ms: number;
      }[] = [];
      for (const [m, monitor] of monitors.entries()) {
        for (let d = 0; d < days; d++) {
          // Deterministic spread: most days clean, some with a few failures, a rare bad day.
          const failures = (m * 31 + d * 17) % 23 === 0 ? 90 : (m + d) % 7 === 0 ? 2 : 0;
          rows.push({
            monitor_id: monitor.id,
            granularity: 'day',
            bucket: today - d * DAY_MS,
            checks: 1_440,
            failures,
            latency_sum_ms: 1_440 * 120,
            latency_min_ms: 40,
            latency_max_ms: 900,
          });
          if (rows.length === CHUNK_ROWS) {
            await tx.insertInto('check_rollups').values(rows).execute();
            rollupRows += rows.length;
            rows = [];
          }
        }
      }
      if (rows.length > 0) await tx.insertInto('check_rollups').values(rows).execute();
      rollupRows += rows.length;
    });
    return {
      communities: options.communities,
      components: options.communities * options.perCommunity,
      rollupRows,
      sampleSlug: `community-${Math.floor(options.communities / 2)}`,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await database.close();
  }
}
