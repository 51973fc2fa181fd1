import { describe, expect, it } from 'vitest';
import { CheckPipeline, type ComponentChange } from '../src/app/check-pipeline.js';
import type { CheckOutcome } from '../src/checks/check-outcome.js';
import { parseConfigFile } from '../src/config/parse-config-file.js';
import { applyFleetConfig } from '../src/store/config-repository.js';
import { loadActiveMonitors } from '../src/store/monitor-repository.js';
import { ResultsWriter } from '../src/store/results-writer.js';
import { loadComponentStatus } from '../src/store/status-repository.js';
import { testDialects } from './support/databases.js';

const CONFIG = `version: 1
communities:
  - slug: alpha
    name: Alpha
    components:
      - key: hub
        name: Hub
        monitors:
          - key: front
            type: http
            url: https://alpha.example.org/
            locations: [eu, us, ap]
            rule: { fail_after: 1, recover_after: 1, quorum: 2 }
`;

const OK: CheckOutcome = { ok: true, slow: false, reason: null, durationMs: 10 };
const FAIL: CheckOutcome = { ok: false, slow: false, reason: 'connection refused', durationMs: 10 };

describe.each(testDialects())('a quorum across locations on $name', (dialect) => {
  it.skipIf(!dialect.available)(
    'keeps the component operational while one of three locations fails; two move it',
    async () => {
      const database = await dialect.open();
      try {
        const parsed = parseConfigFile(CONFIG, 'quorum.yaml');
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
        await applyFleetConfig(database.db, parsed.config, 1_000);
        const writer = new ResultsWriter({ db: database.db, capabilities: database.capabilities });
        const changes: ComponentChange[] = [];
        let clock = 2_000;
        // One engine per location, as `firewatch worker --location X` runs them, sharing one database.
        const engines = new Map<string, CheckPipeline>();
        for (const location of ['eu', 'us', 'ap']) {
          const pipeline = new CheckPipeline({
            database,
            writer,
            location,
            now: () => clock,
            onComponentChange: (change) => changes.push(change),
          });
          const monitors = await loadActiveMonitors(database.db, location);
          expect(monitors.map((m) => m.ref)).toEqual(['alpha/hub/front']);
          pipeline.load(monitors);
          engines.set(location, pipeline);
        }
        const report = async (location: string, outcome: CheckOutcome) => {
          clock += 1_000;
          await engines.get(location)!.handle(monitorId, clock, outcome);
        };
        const [{ id: monitorId, componentId }] = (await loadActiveMonitors(database.db, 'eu')).map((m) => ({
          id: m.id,
          componentId: m.componentId,
        })) as [{ id: string; componentId: string }];

        for (const location of ['eu', 'us', 'ap']) await report(location, OK);
        await report('eu', FAIL);
        expect(await loadComponentStatus(database.db, componentId)).toBe('operational');
        expect(changes).toEqual([]);

        await report('us', FAIL);
        expect(await loadComponentStatus(database.db, componentId)).toBe('major_outage');
        expect(changes.map((c) => [c.from, c.to])).toEqual([['operational', 'major_outage']]);
        expect(changes[0]?.reason).toMatch(
          /alpha\/hub\/front from us: 1 consecutive failure: connection refused/,
        );

        await report('eu', OK);
        expect(await loadComponentStatus(database.db, componentId)).toBe('operational');
        // A location that does not list the monitor does not run it.
        expect(await loadActiveMonitors(database.db, 'sa')).toEqual([]);
        await writer.stop();
      } finally {
        await database.close();
      }
    },
  );
});
