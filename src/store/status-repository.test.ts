import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/support/databases.js';
import { seedOneMonitor } from '../../test/support/seed.js';
import type { MonitorState } from '../rules/monitor-state.js';
import { loadComponentStatus, recordTransition } from './status-repository.js';

const DOWN: MonitorState = { status: 'down', consecutiveFailures: 2, consecutiveSuccesses: 0, since: 5_000 };
const UP: MonitorState = { status: 'up', consecutiveFailures: 0, consecutiveSuccesses: 1, since: 6_000 };

describe.each(testDialects())('recordTransition on $name', (dialect) => {
  it.skipIf(!dialect.available)('moves the component and appends a status change row in one go', async () => {
    const database = await dialect.open();
    try {
      const { componentId, monitorId } = await seedOneMonitor(database.db);
      const change = await recordTransition(database.db, database.capabilities, {
        monitorId,
        location: 'default',
        state: DOWN,
        reason: 'alpha/hub/front: 2 consecutive failures: expected status 200, got 503',
        at: 5_000,
      });
      expect(change).toMatchObject({ componentId, from: 'operational', to: 'major_outage' });
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
      expect(state).toMatchObject({ status: 'down', location: 'default', consecutive_failures: 2 });

      const back = await recordTransition(database.db, database.capabilities, {
        monitorId,
        location: 'default',
        state: UP,
        reason: 'recovered',
        at: 6_000,
      });
      expect(back).toMatchObject({ from: 'major_outage', to: 'operational' });
    } finally {
      await database.close();
    }
  });

  it.skipIf(!dialect.available)(
    'needs a quorum of locations: one of three failing changes nothing, two do',
    async () => {
      const database = await dialect.open();
      try {
        const { componentId, monitorId } = await seedOneMonitor(database.db, {
          quorum: 2,
          locations: ['eu', 'us', 'ap'],
        });
        const at = (location: string, state: MonitorState, time: number) =>
          recordTransition(database.db, database.capabilities, {
            monitorId,
            location,
            state,
            reason: location,
            at: time,
          });
        expect(await at('eu', UP, 1)).toBeNull();
        expect(await at('us', UP, 2)).toBeNull();
        expect(await at('ap', UP, 3)).toBeNull();
        expect(await at('eu', DOWN, 4)).toBeNull();
        expect(await loadComponentStatus(database.db, componentId)).toBe('operational');
        expect(await at('us', DOWN, 5)).toMatchObject({ from: 'operational', to: 'major_outage' });
        expect(await at('eu', UP, 6)).toMatchObject({ from: 'major_outage', to: 'operational' });
      } finally {
        await database.close();
      }
    },
  );

  it.skipIf(!dialect.available)('decides right when two locations report at the same moment', async () => {
    const database = await dialect.open();
    try {
      const { componentId, monitorId } = await seedOneMonitor(database.db, {
        quorum: 2,
        locations: ['eu', 'us'],
      });
      // Concurrent transactions: without the component lock each would see only its own failure.
      await Promise.all(
        ['eu', 'us'].map((location, i) =>
          recordTransition(database.db, database.capabilities, {
            monitorId,
            location,
            state: DOWN,
            reason: location,
            at: 10 + i,
          }),
        ),
      );
      expect(await loadComponentStatus(database.db, componentId)).toBe('major_outage');
      const changes = await database.db.selectFrom('component_status_changes').selectAll().execute();
      expect(changes).toHaveLength(1);
    } finally {
      await database.close();
    }
  });

  it.skipIf(!dialect.available)(
    'stops counting a location that has not reported for three intervals',
    async () => {
      const database = await dialect.open();
      try {
        const { componentId, monitorId } = await seedOneMonitor(database.db, {
          quorum: 2,
          locations: ['eu', 'us', 'ap'],
        });
        const at = (location: string, state: MonitorState, time: number) =>
          recordTransition(database.db, database.capabilities, {
            monitorId,
            location,
            state,
            reason: location,
            at: time,
          });
        // eu went down and its worker stopped; 91 s later (interval 30 s) us goes down: eu no longer counts.
        await at('eu', DOWN, 1_000);
        expect(await at('us', DOWN, 92_000)).toBeNull();
        expect(await loadComponentStatus(database.db, componentId)).toBe('operational');
        expect(await at('ap', DOWN, 93_000)).toMatchObject({ to: 'major_outage' });
      } finally {
        await database.close();
      }
    },
  );
});
