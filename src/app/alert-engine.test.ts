import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/support/databases.js';
import { signal } from '../../test/support/signals.js';
import { AlertEngine } from './alert-engine.js';

describe.each(testDialects())('the alert engine on $name', (dialect) => {
  it.skipIf(!dialect.available)(
    'commits 300 concurrent deliveries in a few batches, one alert per dedup key',
    async () => {
      const database = await dialect.open();
      const errors: Error[] = [];
      let batches = 0;
      const engine = new AlertEngine({
        database,
        now: () => 1_000_000,
        onError: (error) => errors.push(error),
        onOutcomes: () => batches++,
      });
      try {
        await engine.reload();
        const outcomes = await Promise.all(
          Array.from({ length: 300 }, (_, i) =>
            engine.submit({
              integrationId: null,
              idempotencyKey: null,
              signals: [signal({ dedupKey: `key-${i % 30}`, occurredAt: 1_000_000 + i })],
            }),
          ),
        );
        expect(outcomes.every((o) => o.signals === 1 && !o.duplicate)).toBe(true);
        expect(outcomes.flatMap((o) => o.alerts).filter((a) => a.action === 'created')).toHaveLength(30);
        const alerts = await database.db.selectFrom('alerts').select(['repeat_count']).execute();
        expect(alerts).toHaveLength(30);
        expect(alerts.reduce((sum, a) => sum + a.repeat_count, 0)).toBe(270);
        // Group commit: far fewer transactions than deliveries.
        expect(batches).toBeLessThan(30);
        expect(errors).toEqual([]);
      } finally {
        await engine.stop();
        await database.close();
      }
    },
  );

  it.skipIf(!dialect.available)(
    'takes a delivery submitted the moment the previous one committed',
    async () => {
      const database = await dialect.open();
      const engine = new AlertEngine({ database, now: () => 1_000_000, onError: () => {} });
      try {
        for (let i = 0; i < 20; i++) {
          await Promise.all([
            engine.submit({
              integrationId: null,
              idempotencyKey: null,
              signals: [signal({ dedupKey: `k${i}` })],
            }),
          ]);
        }
        const alerts = await database.db.selectFrom('alerts').select('id').execute();
        expect(alerts).toHaveLength(20);
      } finally {
        await engine.stop();
        await database.close();
      }
    },
  );
});
