import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/support/databases.js';
import { seedOneMonitor } from '../../test/support/seed.js';
import type { ResultRecord } from './results-writer.js';
import { ResultsWriter } from './results-writer.js';

const DAY = 86_400_000;
const DAY_START = Date.UTC(2026, 10, 20);

function record(at: number, ok: boolean, durationMs: number, failures = 0): ResultRecord {
  return {
    monitorId: 'mon_1',
    startedAt: at,
    location: 'default',
    outcome: { ok, slow: false, reason: ok ? null : 'expected status 200, got 503', durationMs },
    state: {
      status: ok ? 'up' : 'unknown',
      consecutiveFailures: failures,
      consecutiveSuccesses: ok ? 1 : 0,
      since: null,
    },
    reason: ok ? null : 'expected status 200, got 503',
  };
}

describe.each(testDialects())('ResultsWriter on $name', (dialect) => {
  it.skipIf(!dialect.available)('writes raw results and adds to day rollups across batches', async () => {
    const database = await dialect.open();
    try {
      await seedOneMonitor(database.db);
      const writer = new ResultsWriter({ db: database.db, capabilities: database.capabilities });
      writer.add(record(DAY_START + 1_000, true, 40));
      writer.add(record(DAY_START + 2_000, false, 90, 1));
      await writer.flush();
      writer.add(record(DAY_START + 3_000, true, 60));
      writer.add(record(DAY_START + DAY + 1_000, true, 10));
      await writer.stop();

      const raw = await database.db.selectFrom('check_results').selectAll().orderBy('started_at').execute();
      expect(raw.map((r) => [r.ok, r.duration_ms])).toEqual([
        [1, 40],
        [0, 90],
        [1, 60],
        [1, 10],
      ]);
      const rollups = await database.db
        .selectFrom('check_rollups')
        .selectAll()
        .orderBy('granularity')
        .orderBy('bucket')
        .execute();
      const rows = rollups.map((r) => ({ ...r, latency_sum_ms: Number(r.latency_sum_ms) }));
      expect(rows.filter((r) => r.granularity === 'day')).toEqual([
        {
          monitor_id: 'mon_1',
          granularity: 'day',
          bucket: DAY_START,
          checks: 3,
          failures: 1,
          latency_sum_ms: 190,
          latency_min_ms: 40,
          latency_max_ms: 90,
        },
        {
          monitor_id: 'mon_1',
          granularity: 'day',
          bucket: DAY_START + DAY,
          checks: 1,
          failures: 0,
          latency_sum_ms: 10,
          latency_min_ms: 10,
          latency_max_ms: 10,
        },
      ]);
      // The three checks of the first day fall in one hour and one minute bucket, the fourth in others.
      expect(rows.filter((r) => r.granularity === 'hour').map((r) => [r.bucket, r.checks])).toEqual([
        [DAY_START, 3],
        [DAY_START + DAY, 1],
      ]);
      expect(rows.filter((r) => r.granularity === 'minute').map((r) => r.checks)).toEqual([3, 1]);
      const state = await database.db.selectFrom('monitor_states').selectAll().executeTakeFirstOrThrow();
      expect(state).toMatchObject({ status: 'up', last_checked_at: DAY_START + DAY + 1_000 });
    } finally {
      await database.close();
    }
  });

  it.skipIf(!dialect.available)('writes batches larger than one statement can carry', async () => {
    const database = await dialect.open();
    try {
      await seedOneMonitor(database.db);
      const writer = new ResultsWriter({
        db: database.db,
        capabilities: database.capabilities,
        maxBuffered: 100_000,
      });
      for (let i = 0; i < 12_000; i++) writer.add(record(DAY_START + i, true, 5));
      await writer.stop();
      const count = await database.db
        .selectFrom('check_results')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(12_000);
    } finally {
      await database.close();
    }
  });
});
