import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/support/databases.js';
import { seedOneMonitor } from '../../test/support/seed.js';
import { loadActiveMonitors } from '../store/monitor-repository.js';
import { ResultsWriter } from '../store/results-writer.js';
import { AlertEngine } from './alert-engine.js';
import { CheckPipeline } from './check-pipeline.js';
import { raiseComponentAlert } from './component-alerts.js';

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

describe.each(testDialects())('alerts from component status changes on $name', (dialect) => {
  it.skipIf(!dialect.available)(
    'turns a monitor alternating up and down every check for an hour into one alert, marked flapping',
    async () => {
      const database = await dialect.open();
      let clock = T0;
      const now = () => clock;
      const errors: Error[] = [];
      const engine = new AlertEngine({ database, now, onError: (e) => errors.push(e) });
      const writer = new ResultsWriter({
        db: database.db,
        capabilities: database.capabilities,
        onError: (e) => errors.push(e),
      });
      const raised: Promise<void>[] = [];
      const pipeline = new CheckPipeline({
        database,
        writer,
        location: 'default',
        now,
        signals: engine,
        onComponentChange: (change) => raised.push(raiseComponentAlert(database, engine, change)),
        onError: (e) => errors.push(e),
      });
      try {
        const { monitorId } = await seedOneMonitor(database.db, { at: T0, failAfter: 1 });
        await engine.reload();
        pipeline.load(await loadActiveMonitors(database.db, 'default'));
        for (let i = 0; i < 120; i++) {
          clock = T0 + i * 30_000;
          const ok = i % 2 === 1;
          await pipeline.handle(monitorId, clock, {
            ok,
            slow: false,
            reason: ok ? null : 'expected status 200, got 503',
            durationMs: 12,
          });
          await Promise.all(raised.splice(0));
        }
        const changes = await database.db.selectFrom('component_status_changes').select('id').execute();
        expect(changes).toHaveLength(120);
        const alerts = await database.db.selectFrom('alerts').selectAll().execute();
        expect(alerts).toHaveLength(1);
        expect(alerts[0]).toMatchObject({
          dedup_key: 'component:alpha/hub',
          flapping: 1,
          status: 'firing',
          severity: 'P2',
          community: 'alpha',
        });
        expect(errors).toEqual([]);
      } finally {
        await engine.stop();
        await writer.stop();
        await database.close();
      }
    },
  );
});
