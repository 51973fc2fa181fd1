import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { parseConfigFile } from '../config/parse-config-file.js';
import { applyFleetConfig } from '../store/config-repository.js';
import type { Database } from '../store/database.js';
import {
  MAX_REBUILD_GAP_MS,
  REBUILD_GAP_FACTOR,
  rebuildDelay,
  SETTLE_MS,
  SnapshotCache,
} from './snapshot-cache.js';

const NOW = Date.parse('2026-06-03T12:00:00Z');
const FLEET = `
version: 1
communities:
  - slug: hub
    name: Hub
    components:
      - { key: login, name: Login }
`;

async function seed(database: Database): Promise<string> {
  const parsed = parseConfigFile(FLEET, 'fleet.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  await applyFleetConfig(database.db, parsed.config, NOW);
  const row = await database.db.selectFrom('components').select('id').executeTakeFirstOrThrow();
  return row.id;
}

function cacheOn(database: Database, errors: Error[] = []): SnapshotCache {
  return new SnapshotCache({
    database,
    page: { pageName: 'Status', pageUrl: 'http://127.0.0.1:1' },
    now: () => NOW,
    onError: (error) => errors.push(error),
  });
}

const setStatus = (database: Database, id: string, status: string) =>
  database.db.updateTable('components').set({ status }).where('id', '=', id).execute();

describe.each(testDialects())('SnapshotCache on $name', (dialect) => {
  it.skipIf(!dialect.available)('build() shows a change made just before it, at once', async () => {
    await withOpenDatabase(dialect, async (database) => {
      const id = await seed(database);
      const cache = cacheOn(database);
      expect((await cache.build()).components[0]?.status).toBe('operational');
      await setStatus(database, id, 'major_outage');
      const snapshot = await cache.build();
      expect(snapshot.components[0]?.status).toBe('major_outage');
      expect(cache.current).toBe(snapshot);
      expect(cache.version).toBe(2);
    });
  });

  it.skipIf(!dialect.available)('folds a storm of invalidations into at most two rebuilds', async () => {
    await withOpenDatabase(dialect, async (database) => {
      const id = await seed(database);
      const cache = cacheOn(database);
      await cache.build();
      const seen: string[] = [];
      cache.subscribe((snapshot) => seen.push(snapshot.components[0]?.status ?? ''));
      await setStatus(database, id, 'partial_outage');
      for (let i = 0; i < 50; i++) cache.invalidate();
      const snapshot = await cache.build();
      expect(snapshot.components[0]?.status).toBe('partial_outage');
      expect(seen.length).toBeGreaterThanOrEqual(1);
      expect(seen.length).toBeLessThanOrEqual(2);
      expect(seen.at(-1)).toBe('partial_outage');
      expect(cache.version).toBe(1 + seen.length);
    });
  });

  it.skipIf(!dialect.available)(
    'folds the changes of one event, a moment apart, into one rebuild',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        const id = await seed(database);
        const cache = cacheOn(database);
        await cache.build();
        const seen: string[] = [];
        const rebuilt = new Promise<void>((resolve) =>
          cache.subscribe((snapshot) => {
            seen.push(snapshot.components[0]?.status ?? '');
            resolve();
          }),
        );
        // A component goes down, and the automation's incident lands a moment later.
        await setStatus(database, id, 'partial_outage');
        cache.invalidate();
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS / 5));
        await setStatus(database, id, 'major_outage');
        cache.invalidate();
        await rebuilt;
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS * 2));
        expect(seen).toEqual(['major_outage']);
      });
    },
  );

  it.skipIf(!dialect.available)(
    "reuses today's uptime counts for 30 s on invalidations; build() reads them again",
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        const parsed = parseConfigFile(
          FLEET.replace(
            'name: Login }',
            "name: Login, monitors: [{ key: probe, type: http, url: 'http://127.0.0.1:9/' }] }",
          ),
          'fleet.yaml',
        );
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
        await applyFleetConfig(database.db, parsed.config, NOW);
        const monitor = await database.db.selectFrom('monitors').select('id').executeTakeFirstOrThrow();
        const today = NOW - (NOW % 86_400_000);
        await database.db
          .insertInto('check_rollups')
          .values({
            monitor_id: monitor.id,
            granularity: 'day',
            bucket: today,
            checks: 10,
            failures: 1,
            latency_sum_ms: 0,
            latency_min_ms: 0,
            latency_max_ms: 0,
          })
          .execute();
        const clock = { now: NOW };
        const cache = new SnapshotCache({
          database,
          page: { pageName: 'Status', pageUrl: 'http://127.0.0.1:1' },
          now: () => clock.now,
          onError: (error) => {
            throw error;
          },
        });
        const todayChecks = () => cache.current.components[0]?.uptime.at(-1)?.checks;
        await cache.build();
        expect(todayChecks()).toBe(10);
        await database.db.updateTable('check_rollups').set({ checks: 20 }).execute();
        const rebuilt = () =>
          new Promise<void>((resolve) => {
            const stop = cache.subscribe(() => {
              stop();
              resolve();
            });
            cache.invalidate();
          });
        clock.now += 29_000;
        await rebuilt();
        expect(todayChecks()).toBe(10);
        clock.now += 1_000;
        await rebuilt();
        expect(todayChecks()).toBe(20);
        await database.db.updateTable('check_rollups').set({ checks: 30 }).execute();
        await cache.build();
        expect(todayChecks()).toBe(30);
      });
    },
  );

  it.skipIf(!dialect.available)('build() returns while invalidations keep coming', async () => {
    await withOpenDatabase(dialect, async (database) => {
      const id = await seed(database);
      const cache = cacheOn(database);
      await cache.build();
      const storm = setInterval(() => cache.invalidate(), 1);
      try {
        await setStatus(database, id, 'major_outage');
        expect((await cache.build()).components[0]?.status).toBe('major_outage');
      } finally {
        clearInterval(storm);
      }
    });
  });

  it.skipIf(!dialect.available)('rebuilds after invalidate() without anyone asking for a build', async () => {
    await withOpenDatabase(dialect, async (database) => {
      const id = await seed(database);
      const cache = cacheOn(database);
      await cache.build();
      const next = new Promise<string>((resolve) =>
        cache.subscribe((snapshot) => resolve(snapshot.components[0]?.status ?? '')),
      );
      await setStatus(database, id, 'degraded_performance');
      cache.invalidate();
      expect(await next).toBe('degraded_performance');
    });
  });

  it.skipIf(!dialect.available)('reports a failed rebuild and keeps serving the last snapshot', async () => {
    await withOpenDatabase(dialect, async (database) => {
      await seed(database);
      const errors: Error[] = [];
      const cache = cacheOn(database, errors);
      const first = await cache.build();
      const listener = () => {
        throw new Error('listener broke');
      };
      cache.subscribe(listener);
      await cache.build();
      expect(errors.map((e) => e.message)).toEqual(['rebuild status snapshot']);
      expect(cache.current.components).toEqual(first.components);
    });
  });
});

describe('rebuildDelay', () => {
  it('lets a cheap rebuild follow a change after the settle time', () => {
    expect(rebuildDelay(2, 50)).toBe(SETTLE_MS);
    expect(rebuildDelay(2, 60_000)).toBe(SETTLE_MS);
  });

  it('waits out the gap after an expensive rebuild, minus the time already passed', () => {
    expect(rebuildDelay(400, 0)).toBe(400 * REBUILD_GAP_FACTOR);
    expect(rebuildDelay(400, 500)).toBe(400 * REBUILD_GAP_FACTOR - 500);
    expect(rebuildDelay(400, 400 * REBUILD_GAP_FACTOR)).toBe(SETTLE_MS);
  });

  it('never waits longer than the cap, however slow the last rebuild was', () => {
    expect(rebuildDelay(60_000, 0)).toBe(MAX_REBUILD_GAP_MS);
  });
});
