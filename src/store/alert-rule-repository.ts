import type { Kysely } from 'kysely';
import { type AlertingSettings, DEFAULT_ALERTING } from '../alerts/alerting-settings.js';
import type { ConfiguredRule } from '../config/alert-rule-schema.js';
import type { ConfigChange } from '../config/plan-config.js';
import type { AlertRule } from '../rules/alert-rule.js';
import { newId } from './new-id.js';
import type { Schema } from './schema.js';

/** Who manages a rule: `firewatch apply` (config) or the HTTP API; neither touches the other's rules. */
export type RuleOrigin = 'config' | 'api';

/** A stored alert rule with its row id, origin and whether it runs. */
export interface StoredAlertRule {
  readonly id: string;
  readonly key: string;
  readonly origin: RuleOrigin;
  readonly enabled: boolean;
  readonly rule: AlertRule;
}

/** putApiRule refused: a rule of config as code has this key, and the API may not change it. */
export class RuleManagedByConfigError extends Error {
  override readonly name = 'RuleManagedByConfigError';
  readonly key: string;

  constructor(key: string) {
    super(
      `alert rule "${key}" is managed by config as code (firewatch apply) — change it in the config file, ` +
        'or use another key',
    );
    this.key = key;
  }
}

/** The settings row that holds AlertingSettings as JSON. */
const ALERTING_KEY = 'alerting';

/** Every alert rule, from config and from the API, by key. */
export async function loadAlertRules(db: Kysely<Schema>): Promise<StoredAlertRule[]> {
  const rows = await db.selectFrom('alert_rules').selectAll().orderBy('key').execute();
  return rows.map((row) => {
    let rule: AlertRule;
    try {
      rule = JSON.parse(row.definition) as AlertRule;
    } catch (error) {
      throw new Error(`read alert rule ${row.key}: its definition is not valid JSON`, { cause: error });
    }
    return {
      id: row.id,
      key: row.key,
      origin: row.origin === 'api' ? 'api' : 'config',
      enabled: row.enabled === 1,
      rule,
    };
  });
}

/** The stored alerting settings, DEFAULT_ALERTING for whatever is not stored (all of it without a row). */
export async function loadAlertingSettings(db: Kysely<Schema>): Promise<AlertingSettings> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', ALERTING_KEY)
    .executeTakeFirst();
  if (row === undefined) return DEFAULT_ALERTING;
  let stored: Partial<AlertingSettings>;
  try {
    stored = JSON.parse(row.value) as Partial<AlertingSettings>;
  } catch (error) {
    throw new Error('read alerting settings: the stored value is not valid JSON', { cause: error });
  }
  return {
    timeBoxes: { ...DEFAULT_ALERTING.timeBoxes, ...stored.timeBoxes },
    flap: { ...DEFAULT_ALERTING.flap, ...stored.flap },
    defaultSeverity: stored.defaultSeverity ?? DEFAULT_ALERTING.defaultSeverity,
  };
}

/**
 * Creates or replaces the API rule `rule.key` (origin `api`), enabled unless `enabled` is false.
 * Throws RuleManagedByConfigError, changing nothing, when a config rule has that key.
 */
export async function putApiRule(
  db: Kysely<Schema>,
  rule: AlertRule,
  now: number,
  enabled = true,
): Promise<{ readonly created: boolean }> {
  const columns = {
    name: rule.name,
    kind: rule.kind,
    definition: JSON.stringify(rule),
    enabled: enabled ? 1 : 0,
    updated_at: now,
  };
  const updated = await db
    .updateTable('alert_rules')
    .set(columns)
    .where('key', '=', rule.key)
    .where('origin', '=', 'api')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 1) return { created: false };
  const inserted = await db
    .insertInto('alert_rules')
    .values({ id: newId('rul', now), key: rule.key, origin: 'api', created_at: now, ...columns })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  // Not updated as an API rule, yet the key is taken: a config rule has it.
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) throw new RuleManagedByConfigError(rule.key);
  return { created: true };
}

/** Deletes the API rule `key`; false when there is none (config rules are never deleted here). */
export async function deleteApiRule(db: Kysely<Schema>, key: string): Promise<boolean> {
  const deleted = await db
    .deleteFrom('alert_rules')
    .where('key', '=', key)
    .where('origin', '=', 'api')
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}

/**
 * Writes the plan's alert rule changes (`changes` of kind `alert_rule`) to rules of origin `config`,
 * matched by key; API rules are never touched. Meant for applyFleetConfig's transaction, after it made
 * sure no desired key belongs to an API rule.
 */
export async function writeConfigRules(
  trx: Kysely<Schema>,
  desired: readonly ConfiguredRule[],
  changes: readonly ConfigChange[],
  now: number,
): Promise<void> {
  const deleted = changes.filter((c) => c.action === 'delete').map((c) => c.ref);
  if (deleted.length > 0) {
    await trx.deleteFrom('alert_rules').where('key', 'in', deleted).where('origin', '=', 'config').execute();
  }
  const byKey = new Map(desired.map((r) => [r.rule.key, r]));
  for (const change of changes) {
    const configured = byKey.get(change.ref);
    if (configured === undefined || change.action === 'delete') continue;
    const { rule, enabled } = configured;
    const columns = {
      name: rule.name,
      kind: rule.kind,
      definition: JSON.stringify(rule),
      enabled: enabled ? 1 : 0,
      updated_at: now,
    };
    const written =
      change.action === 'create'
        ? await trx
            .insertInto('alert_rules')
            .values({ id: newId('rul', now), key: rule.key, origin: 'config', created_at: now, ...columns })
            .onConflict((oc) => oc.column('key').doNothing())
            .executeTakeFirst()
            .then((r) => Number(r.numInsertedOrUpdatedRows ?? 0n))
        : await trx
            .updateTable('alert_rules')
            .set(columns)
            .where('key', '=', rule.key)
            .where('origin', '=', 'config')
            .executeTakeFirst()
            .then((r) => Number(r.numUpdatedRows));
    if (written !== 1) {
      throw new Error(
        `${change.action} alert rule "${rule.key}": the key was taken or the row removed meanwhile (by the API?) — run apply again`,
      );
    }
  }
}

/** Stores the alerting settings (the whole value; loadAlertingSettings reads it back). */
export async function writeAlertingSettings(
  trx: Kysely<Schema>,
  settings: AlertingSettings,
  now: number,
): Promise<void> {
  await trx
    .insertInto('settings')
    .values({ key: ALERTING_KEY, value: JSON.stringify(settings), updated_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
