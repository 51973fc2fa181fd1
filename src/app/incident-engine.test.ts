import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { parseConfigFile } from '../config/parse-config-file.js';
import type { ComponentStatus } from '../statuspage/component-status.js';
import { loadAutomationFacts } from '../store/automation-facts.js';
import { applyFleetConfig } from '../store/config-repository.js';
import type { Database } from '../store/database.js';
import { getIncident, listIncidents } from '../store/incident-repository.js';
import { createMaintenance } from '../store/maintenance-repository.js';
import { IncidentEngine } from './incident-engine.js';
import { EMPTY_DIRECTORY } from './paging-engine.js';

const T0 = Date.parse('2026-11-21T12:00:00Z');
const MIN = 60_000;

const FILE = `
version: 1
communities:
  - slug: pangeo
    name: Pangeo
    depends_on: [cluster]
    components:
      - { key: hub, name: Hub }
      - { key: login, name: Login }
  - slug: hub-b
    name: Hub B
    depends_on: [cluster]
    components:
      - { key: hub, name: Hub }
shared_components:
  - { key: cluster, name: Cluster east }
incidents:
  quiet_period: 5m
`;

async function setUp(database: Database): Promise<void> {
  const parsed = parseConfigFile(FILE, 'fleet.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  await applyFleetConfig(database.db, parsed.config, T0 - 60 * MIN);
}

async function setStatus(database: Database, ref: string, status: ComponentStatus, at: number) {
  await database.db
    .updateTable('components')
    .set({ status, status_changed_at: at, updated_at: at })
    .where('ref', '=', ref)
    .execute();
}

function engine(database: Database, clock: { now: number }, processId = 'p1', changes = { count: 0 }) {
  return new IncidentEngine({
    database,
    processId,
    now: () => clock.now,
    page: () => ({ pageUrl: 'https://status.example.org', pageName: 'Example status' }),
    directory: () => EMPTY_DIRECTORY,
    onChange: () => {
      changes.count++;
    },
    onError: (error) => {
      throw error;
    },
  });
}

/** A one-off maintenance window on `ref` from a minute before T0 to ten minutes after. */
function maintenanceAroundT0(database: Database, ref: string) {
  return createMaintenance(
    database.db,
    {
      title: `Upgrade of ${ref}`,
      description: null,
      startsAt: T0 - MIN,
      endsAt: T0 + 10 * MIN,
      repeat: null,
      repeatUntil: null,
      notifyBeforeMs: 0,
      components: [ref],
      author: 'ana',
    },
    T0 - 2 * MIN,
  );
}

describe.each(testDialects())('IncidentEngine on $name', (dialect) => {
  it('opens an incident with a published first update for an outage, then monitoring and resolved', async () => {
    await withOpenDatabase(dialect, async (database) => {
      await setUp(database);
      const clock = { now: T0 };
      const changes = { count: 0 };
      const automation = engine(database, clock, 'p1', changes);
      expect(await automation.turn()).toEqual([]);

      await setStatus(database, 'pangeo/hub', 'major_outage', T0);
      clock.now = T0 + 1_000;
      expect((await automation.turn()).map((a) => a.kind)).toEqual(['open']);
      expect(changes.count).toBe(1);
      const [opened] = (await listIncidents(database.db, { state: 'open', limit: 10 })).incidents;
      const incident = await getIncident(database.db, opened?.id ?? '');
      expect(incident).toMatchObject({
        status: 'investigating',
        impact: 'major',
        origin: 'automation',
        detectionSource: 'monitoring',
        detectedAt: T0,
        publishedAt: T0 + 1_000,
      });
      const first = incident?.updates.find((u) => u.kind === 'public');
      expect(first?.state).toBe('published');
      expect(first?.body).toContain('Hub');

      // Level-triggered: nothing new while it stays down.
      clock.now = T0 + 3_000;
      expect(await automation.turn()).toEqual([]);

      await setStatus(database, 'pangeo/hub', 'operational', T0 + 60_000);
      clock.now = T0 + 61_000;
      expect((await automation.turn()).map((a) => a.kind)).toEqual(['monitoring']);
      expect(await getIncident(database.db, incident?.id ?? '')).toMatchObject({
        status: 'monitoring',
        recoveredAt: T0 + 61_000,
      });
      clock.now = T0 + 61_000 + 5 * MIN - 1;
      expect(await automation.turn()).toEqual([]);
      clock.now = T0 + 61_000 + 5 * MIN;
      expect((await automation.turn()).map((a) => a.kind)).toEqual(['resolve']);
      const resolved = await getIncident(database.db, incident?.id ?? '');
      expect(resolved?.status).toBe('resolved');
      expect(resolved?.updates.filter((u) => u.kind === 'public').map((u) => u.status)).toEqual([
        'resolved',
        'monitoring',
        'investigating',
      ]);
      // Resolved and operational: nothing more.
      clock.now += 60_000;
      expect(await automation.turn()).toEqual([]);
    });
  });

  it('reads only the components that can decide something: not operational, covered or in maintenance', async () => {
    await withOpenDatabase(dialect, async (database) => {
      await setUp(database);
      const clock = { now: T0 };
      await setStatus(database, 'pangeo/hub', 'major_outage', T0 - MIN);
      expect((await engine(database, clock).turn()).map((a) => a.kind)).toEqual(['open']);
      // Recovered but still covered by the open incident.
      await setStatus(database, 'pangeo/hub', 'operational', T0);
      await setStatus(database, 'hub-b/hub', 'degraded_performance', T0);
      await maintenanceAroundT0(database, 'pangeo/login');
      const facts = await loadAutomationFacts(database.db, T0);
      expect(facts.components.map((c) => [c.ref, c.status, c.inMaintenance]).sort()).toEqual([
        ['hub-b/hub', 'degraded_performance', false],
        ['pangeo/hub', 'operational', false],
        ['pangeo/login', 'operational', true],
      ]);
      expect(facts.components.find((c) => c.ref === 'hub-b/hub')?.dependsOn).toHaveLength(1);
    });
  });

  it('joins a community to the open incident on shared infrastructure it depends on', async () => {
    await withOpenDatabase(dialect, async (database) => {
      await setUp(database);
      const clock = { now: T0 };
      const automation = engine(database, clock);
      await setStatus(database, 'shared/cluster', 'major_outage', T0);
      clock.now = T0 + 1_000;
      const [open] = await automation.turn();
      expect(open).toMatchObject({ kind: 'open', impact: 'critical' });
      await setStatus(database, 'hub-b/hub', 'partial_outage', T0 + 2_000);
      clock.now = T0 + 3_000;
      expect((await automation.turn()).map((a) => a.kind)).toEqual(['join']);
      const incidents = (await listIncidents(database.db, { state: 'open', limit: 10 })).incidents;
      expect(incidents).toHaveLength(1);
      const detail = await getIncident(database.db, incidents[0]?.id ?? '');
      expect(detail?.components.map((c) => c.ref).sort()).toEqual(['hub-b/hub', 'shared/cluster']);
    });
  });

  it('lets one of two processes act: one incident, not two', async () => {
    await withOpenDatabase(dialect, async (database) => {
      await setUp(database);
      const clock = { now: T0 };
      await setStatus(database, 'pangeo/login', 'partial_outage', T0);
      const [a, b] = await Promise.all([
        engine(database, clock, 'p1').turn(),
        engine(database, clock, 'p2').turn(),
      ]);
      expect([...(a ?? []), ...(b ?? [])].map((x) => x.kind)).toEqual(['open']);
      expect((await listIncidents(database.db, { state: 'all', limit: 10 })).incidents).toHaveLength(1);
    });
  });

  it('holds the first update as a draft when the policy says so: nothing published', async () => {
    await withOpenDatabase(dialect, async (database) => {
      const parsed = parseConfigFile(`${FILE}  first_update: draft\n`, 'fleet.yaml');
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      await applyFleetConfig(database.db, parsed.config, T0 - 60 * MIN);
      const clock = { now: T0 };
      await setStatus(database, 'pangeo/hub', 'major_outage', T0);
      await engine(database, clock).turn();
      const [row] = (await listIncidents(database.db, { state: 'open', limit: 10 })).incidents;
      const incident = await getIncident(database.db, row?.id ?? '');
      expect(incident?.publishedAt).toBeNull();
      expect(incident?.updates.map((u) => u.state)).toEqual(['draft']);
    });
  });

  it('leaves a component in a running maintenance occurrence alone, and opens once the window is over', async () => {
    await withOpenDatabase(dialect, async (database) => {
      await setUp(database);
      const created = await maintenanceAroundT0(database, 'pangeo/hub');
      expect('maintenance' in created).toBe(true);
      const clock = { now: T0 + 1_000 };
      await setStatus(database, 'pangeo/hub', 'major_outage', T0);
      expect(await engine(database, clock).turn()).toEqual([]);
      clock.now = T0 + 10 * MIN;
      expect((await engine(database, clock).turn()).map((a) => a.kind)).toEqual(['open']);
    });
  });
});
