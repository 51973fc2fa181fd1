import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/support/databases.js';
import { seedOneMonitor } from '../../test/support/seed.js';
import { loadComponentStatus, recordTransition, StaleStatusError } from './status-repository.js';

const DOWN = { status: 'down', consecutiveFailures: 2, consecutiveSuccesses: 0, since: 5_000 } as const;

describe.each(testDialects())('recordTransition on $name', (dialect) => {
  it.skipIf(!dialect.available)('moves the component and appends a status change row in one go', async () => {
    const database = await dialect.open();
    try {
      const { componentId, monitorId } = await seedOneMonitor(database.db);
      await recordTransition(database.db, {
        monitorId,
        state: DOWN,
        reason: 'alpha/hub/front: 2 consecutive failures: expected status 200, got 503',
        at: 5_000,
        component: { id: componentId, from: 'operational', to: 'major_outage' },
      });
      expect(await loadComponentStatus(database.db, componentId)).toBe('major_outage');
      const changes = await database.db.selectFrom('component_status_changes').selectAll().execute();
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({
        from_status: 'operational',
        to_status: 'major_outage',
        at: 5_000,
        monitor_id: monitorId,
      });
      const state = await database.db.selectFrom('monitor_states').selectAll().executeTakeFirstOrThrow();
      expect(state).toMatchObject({ status: 'down', consecutive_failures: 2 });
    } finally {
      await database.close();
    }
  });

  it.skipIf(!dialect.available)(
    'writes nothing when the component is no longer in the status the change starts from',
    async () => {
      const database = await dialect.open();
      try {
        const { componentId, monitorId } = await seedOneMonitor(database.db);
        const attempt = recordTransition(database.db, {
          monitorId,
          state: DOWN,
          reason: 'x',
          at: 5_000,
          component: { id: componentId, from: 'partial_outage', to: 'major_outage' },
        });
        await expect(attempt).rejects.toBeInstanceOf(StaleStatusError);
        expect(await loadComponentStatus(database.db, componentId)).toBe('operational');
        expect(await database.db.selectFrom('component_status_changes').selectAll().execute()).toEqual([]);
        // The monitor state written earlier in the same transaction is rolled back too.
        expect(await database.db.selectFrom('monitor_states').selectAll().execute()).toEqual([]);
      } finally {
        await database.close();
      }
    },
  );
});
