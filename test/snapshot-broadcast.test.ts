import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/app/firewatch-config.js';
import { startFirewatch } from '../src/app/start-firewatch.js';
import { parseConfigFile } from '../src/config/parse-config-file.js';
import { applyFleetConfig } from '../src/store/config-repository.js';
import { testDialects } from './support/databases.js';
import { waitFor } from './support/wait-for.js';

const postgres = testDialects().find((d) => d.name === 'postgres');
const TOKEN = 'fw_broadcast-test-token-0123456789';
const FLEET = `
version: 1
communities:
  - slug: pangeo
    name: Pangeo
    components:
      - { key: hub, name: Hub }
`;

// Two web nodes on one PostgreSQL database: an incident declared through one shows on the other's
// public page within a second (LISTEN/NOTIFY), not after the minute-long periodic rebuild.
describe('snapshot changes across processes', () => {
  it.skipIf(!postgres?.available)(
    'rebuilds the other node’s snapshot when one node changes the page',
    async () => {
      const database = await postgres!.open();
      const parsed = parseConfigFile(FLEET, 'fleet.yaml');
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      await applyFleetConfig(database.db, parsed.config, Date.now());
      const base = {
        ...configFromEnv({}),
        port: 0,
        adminToken: TOKEN,
        databaseUrl: 'unused',
        runChecks: false,
      };
      const logger = pino({ level: 'silent' });
      const a = await startFirewatch({ ...base, dataDir: '/tmp/fw-broadcast-a' }, { database, logger });
      const b = await startFirewatch({ ...base, dataDir: '/tmp/fw-broadcast-b' }, { database, logger });
      try {
        const declared = await fetch(`${a.url}/api/v1/incidents`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            title: 'Hub is down',
            impact: 'major',
            components: [{ component: 'pangeo/hub', status: 'major_outage' }],
          }),
        });
        expect(declared.status).toBe(201);
        const seen = await waitFor(
          'the incident on the other node',
          async () => {
            const doc = (await (await fetch(`${b.url}/api/v2/incidents/unresolved.json`)).json()) as {
              incidents: { name: string }[];
            };
            return doc.incidents.some((i) => i.name === 'Hub is down') ? true : undefined;
          },
          5_000,
          50,
        );
        expect(seen.ms).toBeLessThan(5_000);
      } finally {
        await a.stop();
        await b.stop();
        await database.close();
      }
    },
  );
});
