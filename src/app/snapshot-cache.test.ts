import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { parseConfigFile } from '../config/parse-config-file.js';
import { applyFleetConfig } from '../store/config-repository.js';
import type { Database } from '../store/database.js';
import { MAX_REBUILD_GAP_MS, REBUILD_GAP_FACTOR, rebuildDelay, SnapshotCache } from './snapshot-cache.js';

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
  it('lets a cheap rebuild follow a change at once', () => {
    expect(rebuildDelay(2, 50)).toBe(0);
  });

  it('waits out the gap after an expensive rebuild, minus the time already passed', () => {
    expect(rebuildDelay(400, 0)).toBe(400 * REBUILD_GAP_FACTOR);
    expect(rebuildDelay(400, 1_000)).toBe(400 * REBUILD_GAP_FACTOR - 1_000);
    expect(rebuildDelay(400, 400 * REBUILD_GAP_FACTOR)).toBe(0);
  });

  it('never waits longer than the cap, however slow the last rebuild was', () => {
    expect(rebuildDelay(60_000, 0)).toBe(MAX_REBUILD_GAP_MS);
  });
});
