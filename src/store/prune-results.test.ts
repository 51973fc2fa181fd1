import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/support/databases.js';
import { seedOneMonitor } from '../../test/support/seed.js';
import { DEFAULT_RETENTION, pruneResults } from './prune-results.js';
import { ResultsWriter } from './results-writer.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 21, 12);

describe.each(testDialects())('pruneResults on $name', (dialect) => {
  it.skipIf(!dialect.available)('keeps each kind of row for its retention and no longer', async () => {
    const database = await dialect.open();
    try {
      await seedOneMonitor(database.db);
      const writer = new ResultsWriter({ db: database.db, capabilities: database.capabilities });
      // One check every 6 hours for 500 days.
      for (let at = NOW - 500 * DAY; at <= NOW; at += DAY / 4) {
        writer.add({
          monitorId: 'mon_1',
          startedAt: at,
          location: 'default',
          outcome: { ok: true, slow: false, reason: null, durationMs: 12 },
          state: { status: 'up', consecutiveFailures: 0, consecutiveSuccesses: 1, since: null },
          reason: null,
        });
      }
      await writer.stop();
      const report = await pruneResults(database.db, NOW, DEFAULT_RETENTION, 100);
      expect(report.raw).toBeGreaterThan(1_900);

      const oldestRaw = await database.db
        .selectFrom('check_results')
        .select((eb) => eb.fn.min<number>('started_at').as('t'))
        .executeTakeFirstOrThrow();
      expect(Number(oldestRaw.t)).toBeGreaterThanOrEqual(NOW - DEFAULT_RETENTION.rawMs);
      expect(Number(oldestRaw.t)).toBeLessThan(NOW - DEFAULT_RETENTION.rawMs + DAY / 4);

      for (const [granularity, keep] of [
        ['minute', DEFAULT_RETENTION.minuteMs],
        ['hour', DEFAULT_RETENTION.hourMs],
        ['day', DEFAULT_RETENTION.dayMs],
      ] as const) {
        const oldest = await database.db
          .selectFrom('check_rollups')
          .select((eb) => eb.fn.min<number>('bucket').as('t'))
          .where('granularity', '=', granularity)
          .executeTakeFirstOrThrow();
        expect(Number(oldest.t), granularity).toBeGreaterThanOrEqual(NOW - keep);
        expect(Number(oldest.t), granularity).toBeLessThan(NOW - keep + DAY);
      }
    } finally {
      await database.close();
    }
  });

  it.skipIf(!dialect.available)('removes rollups and states of monitors that no longer exist', async () => {
    const database = await dialect.open();
    try {
      await seedOneMonitor(database.db);
      const writer = new ResultsWriter({ db: database.db, capabilities: database.capabilities });
      writer.add({
        monitorId: 'mon_1',
        startedAt: NOW,
        location: 'default',
        outcome: { ok: true, slow: false, reason: null, durationMs: 12 },
        state: { status: 'up', consecutiveFailures: 0, consecutiveSuccesses: 1, since: null },
        reason: null,
      });
      await writer.stop();
      await database.db.deleteFrom('monitors').execute();
      await pruneResults(database.db, NOW);
      expect(await database.db.selectFrom('check_rollups').selectAll().execute()).toEqual([]);
      expect(await database.db.selectFrom('monitor_states').selectAll().execute()).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
