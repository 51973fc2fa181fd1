import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { exportConfig } from '../config/export-config.js';
import { EMPTY_FLEET, type FleetConfig } from '../config/fleet-config.js';
import { parseConfigFile } from '../config/parse-config-file.js';
import { formatPlan, planConfig } from '../config/plan-config.js';
import { loadAlertingSettings, loadAlertRules, putApiRule } from './alert-rule-repository.js';
import { applyFleetConfig, loadFleetConfig, planFleetConfig } from './config-repository.js';
import type { Database } from './database.js';
import { listIntegrations } from './integration-repository.js';

const T0 = 1_795_000_000_000;
const T1 = T0 + 60_000;

const FLEET = `
version: 1
communities:
  - slug: alpha
    name: Alpha Hub
    url: https://alpha.example.org
    depends_on: [east]
    components:
      - key: hub
        name: Hub
        monitors:
          - key: front
            type: http
            url: https://alpha.example.org/
            headers: { X-Probe: firewatch }
            interval: 30s
            expect: { status: [200], body_contains: ["Welcome", { regex: "sign in", flags: i }], max_latency: 2s }
            rule: { fail_after: 3, impact: partial_outage }
          - { key: health, type: http, url: "https://alpha.example.org/health", enabled: false }
      - key: login
        name: Login
        monitors:
          - { key: page, type: http, url: "https://alpha.example.org/login" }
  - slug: beta
    name: Beta
    depends_on: [east, west]
    components:
      - key: hub
        name: Hub
shared_components:
  - key: east
    name: East cluster
    monitors:
      - { key: api, type: http, url: "https://east.example.org/" }
  - key: west
    name: West cluster
`;

// Alert rules and integrations are loaded by key, so the file lists them in key order to compare equal.
const ALERTING = `
alerting:
  time_boxes: { P1: 15m, P4: off }
  default_severity: P2
integrations:
  - key: alertmanager
    name: Prometheus Alertmanager
    kind: alertmanager
    defaults: { community: alpha, component: alpha/hub, severity: P2 }
  - key: events
    kind: generic
    max_body: 64KiB
    mapping: { events: $.events, type: $.name, status_map: { ALARM: problem } }
alert_rules:
  - { key: hub-down, kind: consecutive, fail_after: 3, match: { labels: ['community=~"alpha|beta"'] } }
  - { key: restarts, kind: events_in_window, count: 2, window: 30m, enabled: false }
`;

// Users and schedules are loaded by key, like rules; contact methods too.
const ONCALL = `
users:
  - key: ana
    time_zone: Europe/Berlin
    contact_methods:
      - { key: hook, kind: webhook, url: "https://hooks.example.org/ana", secret: s3cret }
      - { key: mail, kind: email, address: ana@example.org }
    notification_rules: [{ method: mail }, { method: hook, after: 5m, urgency: [high] }]
  - { key: ben, time_zone: UTC, working_hours: [{ days: [sat], from: "22:00", to: "06:00" }] }
schedules:
  - key: primary
    time_zone: America/New_York
    layers: [{ name: weekly, rotation: weekly, start: "2026-01-05T09:00", participants: [ana, ben] }]
    overrides: [{ kind: replace, user: ben, start: "2026-12-24T09:00", end: "2026-12-26T09:00" }]
escalation_policies:
  - { key: default, steps: [{ targets: [{ schedule: primary }, { user: ana }], escalate_after: 5m }], repeat: 2 }
routing:
  default_policy: default
  routes: [{ match: ['community="alpha"'], policy: default }]
urgency:
  - { severity: P4, urgency: low }
`;

function fleet(yaml: string): FleetConfig {
  const parsed = parseConfigFile(yaml, 'fleet.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}: ${e.message}`).join('\n'));
  return parsed.config;
}

function edited(from: string, to: string): FleetConfig {
  if (!FLEET.includes(from)) throw new Error(`fixture has no ${from}`);
  return fleet(FLEET.replace(from, to));
}

async function snapshot(database: Database) {
  const { db } = database;
  return {
    communities: await db.selectFrom('communities').selectAll().orderBy('id').execute(),
    components: await db.selectFrom('components').selectAll().orderBy('id').execute(),
    dependencies: await db
      .selectFrom('community_dependencies')
      .selectAll()
      .orderBy('community_id')
      .orderBy('component_id')
      .execute(),
    monitors: await db.selectFrom('monitors').selectAll().orderBy('id').execute(),
  };
}

describe.each(testDialects())('config repository on $name', (dialect) => {
  it.skipIf(!dialect.available)('creates every row of a new config and loads it back equal', async () => {
    await withOpenDatabase(dialect, async (database) => {
      const plan = await applyFleetConfig(database.db, fleet(FLEET), T0);
      expect(formatPlan(plan)).toMatch(/Plan: 11 to create, 0 to update, 0 to delete\.$/);
      expect(await loadFleetConfig(database.db)).toEqual(fleet(FLEET));

      const rows = await snapshot(database);
      expect(rows.communities.map((c) => [c.slug, c.position]).sort()).toEqual([
        ['alpha', 0],
        ['beta', 1],
      ]);
      const login = rows.components.find((c) => c.ref === 'alpha/login');
      expect(login).toMatchObject({
        key: 'login',
        position: 1,
        status: 'operational',
        status_changed_at: T0,
      });
      expect(rows.components.find((c) => c.ref === 'shared/west')).toMatchObject({
        community_id: null,
        position: 1,
      });
      expect(rows.dependencies).toHaveLength(3);
      const front = rows.monitors.find((m) => m.ref === 'alpha/hub/front');
      expect(front).toMatchObject({ interval_ms: 30_000, timeout_ms: 10_000, enabled: 1, created_at: T0 });
      expect(JSON.parse(front!.rule)).toEqual({
        failAfter: 3,
        recoverAfter: 1,
        impact: 'partial_outage',
        quorum: 1,
      });
    });
  });

  it.skipIf(!dialect.available)(
    'plans and writes nothing when the same config is applied again',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        await applyFleetConfig(database.db, fleet(FLEET), T0);
        const before = await snapshot(database);
        const plan = await applyFleetConfig(database.db, fleet(FLEET), T1);
        expect(plan.changes).toEqual([]);
        expect(await snapshot(database)).toEqual(before);
      });
    },
  );

  it.skipIf(!dialect.available)('updates changed rows in place, keeping their ids', async () => {
    await withOpenDatabase(dialect, async (database) => {
      await applyFleetConfig(database.db, fleet(FLEET), T0);
      const before = await snapshot(database);
      const desired = edited('interval: 30s', 'interval: 45s\n            name: Front page');
      const plan = await applyFleetConfig(database.db, desired, T1);
      expect(plan.changes).toEqual([
        { action: 'update', kind: 'monitor', ref: 'alpha/hub/front', fields: ['name', 'interval'] },
      ]);
      const after = await snapshot(database);
      const front = (rows: typeof before) => rows.monitors.find((m) => m.ref === 'alpha/hub/front')!;
      expect(front(after)).toMatchObject({
        id: front(before).id,
        name: 'Front page',
        interval_ms: 45_000,
        created_at: T0,
        updated_at: T1,
      });
      expect(await loadFleetConfig(database.db)).toEqual(desired);
    });
  });

  it.skipIf(!dialect.available)(
    'rewrites the dependencies of a community whose depends_on changed',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        await applyFleetConfig(database.db, fleet(FLEET), T0);
        const desired = edited('depends_on: [east, west]', 'depends_on: [west]');
        const plan = await applyFleetConfig(database.db, desired, T1);
        expect(plan.changes).toEqual([
          { action: 'update', kind: 'community', ref: 'beta', fields: ['depends_on'] },
        ]);
        expect((await loadFleetConfig(database.db)).communities.map((c) => c.dependsOn)).toEqual([
          ['east'],
          ['west'],
        ]);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'deletes rows missing from the config, a community with everything in it',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        await applyFleetConfig(database.db, fleet(FLEET), T0);
        const first = await snapshot(database);
        await database.db
          .insertInto('monitor_states')
          .values(
            first.monitors.map((m) => ({
              monitor_id: m.id,
              location: 'default',
              status: 'up',
              consecutive_failures: 0,
              consecutive_successes: 1,
              last_checked_at: T0,
              last_reason: null,
              updated_at: T0,
            })),
          )
          .execute();
        const desired = fleet(`
version: 1
communities:
  - slug: alpha
    name: Alpha Hub
    url: https://alpha.example.org
    components:
      - key: hub
        name: Hub
        monitors:
          - { key: health, type: http, url: "https://alpha.example.org/health", enabled: false }
`);
        const plan = await applyFleetConfig(database.db, desired, T1);
        expect(formatPlan(plan)).toMatch(/Plan: 0 to create, 1 to update, 8 to delete\.$/);
        expect(await loadFleetConfig(database.db)).toEqual(desired);
        const after = await snapshot(database);
        expect(after.components.map((c) => c.ref)).toEqual(['alpha/hub']);
        expect(after.dependencies).toEqual([]);
        const states = await database.db.selectFrom('monitor_states').select('monitor_id').execute();
        expect(states.map((s) => s.monitor_id)).toEqual(after.monitors.map((m) => m.id));
      });
    },
  );

  it.skipIf(!dialect.available)('leaves the stored state unchanged when a write fails half way', async () => {
    await withOpenDatabase(dialect, async (database) => {
      await applyFleetConfig(database.db, fleet(FLEET), T0);
      const before = await snapshot(database);
      // Renames a community and deletes a component (written first), then creates monitors whose name breaks
      // a NOT NULL column (renamed keys make them new rows, so they are written).
      const valid = edited('name: Alpha Hub', 'name: Alpha renamed');
      const broken: FleetConfig = {
        ...valid,
        communities: valid.communities.map((c) =>
          c.slug !== 'alpha'
            ? { ...c, components: [] }
            : {
                ...c,
                components: c.components.map((k) => ({
                  ...k,
                  monitors: k.monitors.map((m) => ({
                    ...m,
                    key: `${m.key}-new`,
                    name: null as unknown as string,
                  })),
                })),
              },
        ),
      };
      await expect(applyFleetConfig(database.db, broken, T1)).rejects.toThrow(/nothing was changed/);
      expect(await snapshot(database)).toEqual(before);
    });
  });

  it.skipIf(!dialect.available)('refuses an inconsistent config before writing anything', async () => {
    await withOpenDatabase(dialect, async (database) => {
      const valid = fleet(FLEET);
      const desired: FleetConfig = {
        ...valid,
        communities: valid.communities.map((c) => ({ ...c, dependsOn: ['north'] })),
      };
      await expect(applyFleetConfig(database.db, desired, T0)).rejects.toThrow(
        /unknown shared component "north"/,
      );
      expect(await snapshot(database)).toMatchObject({ communities: [], monitors: [] });
    });
  });

  it.skipIf(!dialect.available)('exports a stored config that plans no changes when read back', async () => {
    await withOpenDatabase(dialect, async (database) => {
      await applyFleetConfig(database.db, fleet(FLEET), T0);
      const stored = await loadFleetConfig(database.db);
      const exported = fleet(exportConfig(stored));
      expect(planConfig(exported, stored).changes).toEqual([]);
    });
  });

  it.skipIf(!dialect.available)(
    'applies 10,000 monitors in batches and re-applies them as a no-op (timing: bench/apply-config.ts)',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        const monitors = Array.from({ length: 25 }, (_, m) => ({
          ...fleet(FLEET).shared[0]!.monitors[0]!,
          key: `m${m}`,
        }));
        const big: FleetConfig = {
          ...EMPTY_FLEET,
          communities: Array.from({ length: 200 }, (_, c) => ({
            slug: `c${c}`,
            name: `Community ${c}`,
            description: null,
            url: null,
            dependsOn: [],
            components: ['hub', 'login'].map((key) => ({ key, name: key, description: null, monitors })),
          })),
        };
        const plan = await applyFleetConfig(database.db, big, T0);
        const again = await applyFleetConfig(database.db, big, T1);
        expect(plan.changes.filter((c) => c.kind === 'monitor')).toHaveLength(10_000);
        expect(again.changes).toEqual([]);
        const { count } = await database.db
          .selectFrom('monitors')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow();
        expect(Number(count)).toBe(10_000);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'stores alerting settings, integrations and alert rules and loads them back equal',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        const desired = fleet(FLEET + ALERTING);
        const plan = await applyFleetConfig(database.db, desired, T0);
        expect(formatPlan(plan)).toMatch(/Plan: 15 to create, 1 to update, 0 to delete\.$/);
        expect(await loadFleetConfig(database.db)).toEqual(desired);

        const integrations = await listIntegrations(database.db);
        expect(integrations.map((i) => [i.key, i.kind, i.createdAt])).toEqual([
          ['alertmanager', 'alertmanager', T0],
          ['events', 'generic', T0],
        ]);
        expect(integrations[0]!.token).toMatch(/^fw_[\w-]{43}$/);
        expect(integrations[0]!.token).not.toBe(integrations[1]!.token);
        const rules = await loadAlertRules(database.db);
        expect(rules.map((r) => [r.key, r.origin, r.enabled, r.rule.kind])).toEqual([
          ['hub-down', 'config', true, 'consecutive'],
          ['restarts', 'config', false, 'events_in_window'],
        ]);
        expect(await loadAlertingSettings(database.db)).toEqual(desired.alerting);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'keeps ids and integration tokens on update and deletes what the file dropped',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        await applyFleetConfig(database.db, fleet(FLEET + ALERTING), T0);
        const tokens = await listIntegrations(database.db);
        const ruleIds = await loadAlertRules(database.db);
        const desired = fleet(
          FLEET +
            ALERTING.replace('severity: P2 }', 'severity: P1 }')
              .replace(/ {2}- key: events\n(?: {4}.*\n)+/, '')
              .replace(/ {2}- \{ key: restarts.*\n/, ''),
        );
        const plan = await applyFleetConfig(database.db, desired, T1);
        expect(plan.changes).toEqual([
          { action: 'update', kind: 'integration', ref: 'alertmanager', fields: ['defaults'] },
          { action: 'delete', kind: 'integration', ref: 'events' },
          { action: 'delete', kind: 'alert_rule', ref: 'restarts' },
        ]);
        expect(await loadFleetConfig(database.db)).toEqual(desired);
        const [alertmanager, ...others] = await listIntegrations(database.db);
        expect(others).toEqual([]);
        expect(alertmanager).toMatchObject({
          id: tokens[0]!.id,
          token: tokens[0]!.token,
          createdAt: T0,
          updatedAt: T1,
          settings: { defaults: { severity: 'P1' } },
        });
        expect((await loadAlertRules(database.db)).map((r) => r.id)).toEqual([ruleIds[0]!.id]);
      });
    },
  );

  it.skipIf(!dialect.available)('resets the alerting settings when the section is removed', async () => {
    await withOpenDatabase(dialect, async (database) => {
      await applyFleetConfig(database.db, fleet(FLEET + ALERTING), T0);
      const plan = await applyFleetConfig(database.db, fleet(FLEET), T1);
      expect(plan.changes.filter((c) => c.kind === 'settings')).toEqual([
        { action: 'update', kind: 'settings', ref: 'alerting', fields: ['time_boxes', 'default_severity'] },
      ]);
      expect(await loadAlertingSettings(database.db)).toEqual(EMPTY_FLEET.alerting);
      expect(await applyFleetConfig(database.db, fleet(FLEET), T1)).toEqual({ changes: [] });
    });
  });

  it.skipIf(!dialect.available)('leaves rules made through the API alone', async () => {
    await withOpenDatabase(dialect, async (database) => {
      const apiRule = fleet(FLEET + ALERTING).alertRules[0]!.rule;
      await putApiRule(database.db, { ...apiRule, key: 'from-api' }, T0);
      await applyFleetConfig(database.db, fleet(FLEET + ALERTING), T0);
      expect((await loadFleetConfig(database.db)).alertRules.map((r) => r.rule.key)).toEqual([
        'hub-down',
        'restarts',
      ]);
      await applyFleetConfig(database.db, fleet(FLEET), T1);
      expect((await loadAlertRules(database.db)).map((r) => [r.key, r.origin])).toEqual([
        ['from-api', 'api'],
      ]);
    });
  });

  it.skipIf(!dialect.available)(
    'refuses a file rule with the key of an API rule, in a dry run too, changing nothing',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        const desired = fleet(FLEET + ALERTING);
        await putApiRule(database.db, desired.alertRules[1]!.rule, T0);
        const before = await snapshot(database);
        const message =
          /alert rule "restarts" of the file has the key of a rule made through the API — delete that rule \(DELETE \/api\/v1\/alert-rules\/restarts\)/;
        await expect(planFleetConfig(database.db, desired)).rejects.toThrow(message);
        const applied = applyFleetConfig(database.db, desired, T1);
        await expect(applied).rejects.toThrow(/nothing was changed/);
        await expect(applied.catch((error: Error) => Promise.reject(error.cause))).rejects.toThrow(message);
        expect(await snapshot(database)).toEqual(before);
        expect(await listIntegrations(database.db)).toEqual([]);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'exports stored alerting and on-call config that plans no changes when read back',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        await applyFleetConfig(database.db, fleet(FLEET + ALERTING + ONCALL), T0);
        const stored = await loadFleetConfig(database.db);
        const exported = fleet(exportConfig(stored));
        expect(planConfig(exported, stored).changes).toEqual([]);
        expect(exported).toEqual(stored);
      });
    },
  );
});
