import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { DEFAULT_ALERTING } from '../alerts/alerting-settings.js';
import { alertRuleSchema } from '../config/alert-rule-schema.js';
import { EMPTY_FLEET } from '../config/fleet-config.js';
import type { AlertRule } from '../rules/alert-rule.js';
import {
  deleteApiRule,
  loadAlertingSettings,
  loadAlertRules,
  putApiRule,
  RuleManagedByConfigError,
} from './alert-rule-repository.js';
import { applyFleetConfig } from './config-repository.js';

const T0 = 1_795_000_000_000;
const T1 = T0 + 60_000;

const RESTARTS = alertRuleSchema.parse({
  key: 'restarts',
  kind: 'events_in_window',
  count: 2,
  window: '30m',
  match: { types: ['server_start_failed'], labels: ['community=~"pangeo|hub-.*"'] },
});
const HUB_DOWN: AlertRule = alertRuleSchema.parse({ key: 'hub-down', kind: 'consecutive', severity: 'P1' });

describe.each(testDialects())('alert rule repository on $name', (dialect) => {
  it.skipIf(!dialect.available)(
    'loads config and API rules by key with origin and enabled flag',
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        await applyFleetConfig(db, { ...EMPTY_FLEET, alertRules: [{ rule: HUB_DOWN, enabled: false }] }, T0);
        await putApiRule(db, RESTARTS, T0);
        const rules = await loadAlertRules(db);
        expect(rules.map(({ key, origin, enabled, rule }) => ({ key, origin, enabled, rule }))).toEqual([
          { key: 'hub-down', origin: 'config', enabled: false, rule: HUB_DOWN },
          { key: 'restarts', origin: 'api', enabled: true, rule: RESTARTS },
        ]);
        expect(rules[0]!.id).toMatch(/^rul_/);
      });
    },
  );

  it.skipIf(!dialect.available)('gives the default alerting settings until some are stored', async () => {
    await withOpenDatabase(dialect, async ({ db }) => {
      expect(await loadAlertingSettings(db)).toEqual(DEFAULT_ALERTING);
      const alerting = { ...DEFAULT_ALERTING, timeBoxes: { ...DEFAULT_ALERTING.timeBoxes, P1: 900_000 } };
      await applyFleetConfig(db, { ...EMPTY_FLEET, alerting }, T0);
      expect(await loadAlertingSettings(db)).toEqual(alerting);
    });
  });

  it.skipIf(!dialect.available)('creates an API rule, then replaces it in place', async () => {
    await withOpenDatabase(dialect, async ({ db }) => {
      expect(await putApiRule(db, RESTARTS, T0)).toEqual({ created: true });
      const [created] = await loadAlertRules(db);
      const changed = { ...RESTARTS, name: 'Restarts', severity: 'P1' } as AlertRule;
      expect(await putApiRule(db, changed, T1, false)).toEqual({ created: false });
      const [updated] = await loadAlertRules(db);
      expect(updated).toEqual({
        id: created!.id,
        key: 'restarts',
        origin: 'api',
        enabled: false,
        rule: changed,
      });
      const row = await db.selectFrom('alert_rules').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        name: 'Restarts',
        kind: 'events_in_window',
        created_at: T0,
        updated_at: T1,
      });
    });
  });

  it.skipIf(!dialect.available)(
    'refuses to put an API rule over a config rule and changes nothing',
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        await applyFleetConfig(db, { ...EMPTY_FLEET, alertRules: [{ rule: HUB_DOWN, enabled: true }] }, T0);
        const before = await loadAlertRules(db);
        const attempt = putApiRule(db, { ...HUB_DOWN, severity: 'P4' }, T1);
        await expect(attempt).rejects.toThrow(RuleManagedByConfigError);
        await expect(attempt).rejects.toThrow(
          'alert rule "hub-down" is managed by config as code (firewatch apply) — change it in the config file, or use another key',
        );
        expect(await loadAlertRules(db)).toEqual(before);
      });
    },
  );

  it.skipIf(!dialect.available)('deletes API rules only', async () => {
    await withOpenDatabase(dialect, async ({ db }) => {
      await applyFleetConfig(db, { ...EMPTY_FLEET, alertRules: [{ rule: HUB_DOWN, enabled: true }] }, T0);
      await putApiRule(db, RESTARTS, T0);
      expect(await deleteApiRule(db, 'hub-down')).toBe(false);
      expect(await deleteApiRule(db, 'restarts')).toBe(true);
      expect(await deleteApiRule(db, 'restarts')).toBe(false);
      expect((await loadAlertRules(db)).map((r) => r.key)).toEqual(['hub-down']);
    });
  });
});
