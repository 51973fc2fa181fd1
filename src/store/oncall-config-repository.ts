import type { Kysely } from 'kysely';
import type { FleetConfig } from '../config/fleet-config.js';
import type { ChangeKind, ConfigChange } from '../config/plan-config.js';
import { ROUTING_SETTINGS_REF, URGENCY_SETTINGS_REF } from '../config/plan-config.js';
import type { EscalationPolicy } from '../oncall/escalation-policy.js';
import type { OncallDirectory } from '../oncall/oncall-directory.js';
import type { Person } from '../oncall/person.js';
import type { Schedule } from '../oncall/schedule.js';
import { newId } from './new-id.js';
import {
  insertOverrides,
  personColumns,
  policyColumns,
  ROUTING_KEY,
  readPeople,
  readPolicies,
  readRouting,
  readSchedules,
  readUrgency,
  scheduleColumns,
  syncContactMethods,
  URGENCY_KEY,
  writeSetting,
} from './oncall-rows.js';
import type { Schema } from './schema.js';

/** How long after an override ended the directory still holds it (pages look back at recent shifts). */
const ENDED_OVERRIDES_MS = 7 * 86_400_000;
/** The author of the file's overrides. */
const CONFIG_AUTHOR = 'config file';

type OncallConfig = Pick<FleetConfig, 'people' | 'schedules' | 'escalationPolicies' | 'routing' | 'urgency'>;

/** The stored on-call config (rows of origin `config`) and the API-made rows beside it. */
export interface StoredOncall {
  /** Schedules hold only the file's overrides. */
  readonly config: OncallConfig;
  /** Rows made through the API: apply neither changes nor deletes them, and may not take their keys. */
  readonly api: {
    readonly people: readonly Person[];
    readonly schedules: readonly Schedule[];
    readonly policies: readonly EscalationPolicy[];
  };
}

/**
 * Everything paging reads: people with contact methods, schedules with their overrides (both
 * origins) that end after `now` − 7 days, escalation policies, routing and the urgency matrix.
 */
export async function loadOncallDirectory(db: Kysely<Schema>, now: number): Promise<OncallDirectory> {
  const people = await readPeople(db);
  const schedules = await readSchedules(db, { overridesEndingAfter: now - ENDED_OVERRIDES_MS });
  const policies = await readPolicies(db);
  return {
    people: new Map(people.map(({ person }) => [person.key, person])),
    schedules: new Map(schedules.map(({ schedule }) => [schedule.key, schedule])),
    policies: new Map(policies.map(({ policy }) => [policy.key, policy])),
    routing: await readRouting(db),
    urgency: await readUrgency(db),
  };
}

/** The on-call rows of origin `config` as config (for plans and export), and the API's rows. */
export async function loadOncallConfig(db: Kysely<Schema>): Promise<StoredOncall> {
  const people = await readPeople(db);
  const schedules = await readSchedules(db, { overrideOrigin: 'config' });
  const policies = await readPolicies(db);
  const split = <T extends { origin: string }, V>(rows: readonly T[], value: (row: T) => V) => ({
    config: rows.filter((r) => r.origin === 'config').map(value),
    api: rows.filter((r) => r.origin === 'api').map(value),
  });
  const p = split(people, (r) => r.person);
  const s = split(schedules, (r) => r.schedule);
  const e = split(policies, (r) => r.policy);
  return {
    config: {
      people: p.config,
      schedules: s.config,
      escalationPolicies: e.config,
      routing: await readRouting(db),
      urgency: await readUrgency(db),
    },
    api: { people: p.api, schedules: s.api, policies: e.api },
  };
}

/**
 * Throws, saying what to do, when applying `desired` would take the key of an API-made user, schedule
 * or policy, or would delete a user or schedule that an API-made schedule or policy refers to.
 */
export function refuseOncallConflicts(desired: OncallConfig, stored: StoredOncall): void {
  const reasons = [
    ...takenKeys('user', 'users', desired.people, stored.api.people),
    ...takenKeys('schedule', 'schedules', desired.schedules, stored.api.schedules),
    ...takenKeys('escalation policy', 'escalation-policies', desired.escalationPolicies, stored.api.policies),
  ];
  const kept = (list: readonly { key: string }[], api: readonly { key: string }[]) =>
    new Set([...list, ...api].map((item) => item.key));
  const users = kept(desired.people, stored.api.people);
  const schedules = kept(desired.schedules, stored.api.schedules);
  const removed = (kind: string, key: string, holder: string) =>
    `the file removes ${kind} "${key}", which the API-made ${holder} refers to — keep it in the file or change ${holder} first`;
  for (const schedule of stored.api.schedules) {
    const missing = new Set(schedule.layers.flatMap((l) => l.participants).filter((u) => !users.has(u)));
    for (const user of missing) reasons.push(removed('user', user, `schedule "${schedule.key}"`));
  }
  for (const policy of stored.api.policies) {
    const holder = `escalation policy "${policy.key}"`;
    const targets = policy.steps.flatMap((s) => s.targets);
    const missingUsers = targets.flatMap((t) => ('user' in t && !users.has(t.user) ? [t.user] : []));
    const missingSchedules = targets.flatMap((t) =>
      'schedule' in t && !schedules.has(t.schedule) ? [t.schedule] : [],
    );
    for (const user of new Set(missingUsers)) reasons.push(removed('user', user, holder));
    for (const schedule of new Set(missingSchedules)) reasons.push(removed('schedule', schedule, holder));
  }
  if (reasons.length > 0) throw new Error(reasons.join('; '));
}

/**
 * Writes the plan's on-call changes (kinds person, schedule, escalation_policy and the routing and
 * urgency settings) to rows of origin `config`, matched by key. API rows are never touched, except
 * that deleting a schedule deletes every override of it. Meant for applyFleetConfig's transaction,
 * after refuseOncallConflicts.
 */
export async function writeOncallConfig(
  trx: Kysely<Schema>,
  desired: OncallConfig,
  changes: readonly ConfigChange[],
  now: number,
): Promise<void> {
  const of = (kind: ChangeKind) => changes.filter((c) => c.kind === kind);
  await writePeople(trx, desired.people, of('person'), now);
  await writeSchedules(trx, desired.schedules, of('schedule'), now);
  await writePolicies(trx, desired.escalationPolicies, of('escalation_policy'), now);
  const settings = of('settings').map((c) => c.ref);
  if (settings.includes(ROUTING_SETTINGS_REF)) await writeSetting(trx, ROUTING_KEY, desired.routing, now);
  if (settings.includes(URGENCY_SETTINGS_REF)) await writeSetting(trx, URGENCY_KEY, desired.urgency, now);
}

async function writePeople(
  trx: Kysely<Schema>,
  desired: readonly Person[],
  changes: readonly ConfigChange[],
  now: number,
): Promise<void> {
  const deleted = await configIds(trx, 'people', deletedRefs(changes));
  if (deleted.length > 0) {
    await trx.deleteFrom('contact_methods').where('person_id', 'in', deleted).execute();
    await trx.deleteFrom('people').where('id', 'in', deleted).execute();
  }
  for (const { change, item: person } of written(changes, desired)) {
    const id = await upsertConfigRow(trx, 'people', 'per', change, personColumns(person, now), now);
    await syncContactMethods(trx, id, person.contactMethods, now);
  }
}

async function writeSchedules(
  trx: Kysely<Schema>,
  desired: readonly Schedule[],
  changes: readonly ConfigChange[],
  now: number,
): Promise<void> {
  const deleted = await configIds(trx, 'schedules', deletedRefs(changes));
  if (deleted.length > 0) {
    await trx.deleteFrom('schedule_overrides').where('schedule_id', 'in', deleted).execute();
    await trx.deleteFrom('schedules').where('id', 'in', deleted).execute();
  }
  for (const { change, item: schedule } of written(changes, desired)) {
    const id = await upsertConfigRow(trx, 'schedules', 'sch', change, scheduleColumns(schedule, now), now);
    // The file's overrides are rewritten with the same ids; the API's stay.
    await trx
      .deleteFrom('schedule_overrides')
      .where('schedule_id', '=', id)
      .where('origin', '=', 'config')
      .execute();
    await insertOverrides(trx, id, schedule.overrides, 'config', CONFIG_AUTHOR, now);
  }
}

async function writePolicies(
  trx: Kysely<Schema>,
  desired: readonly EscalationPolicy[],
  changes: readonly ConfigChange[],
  now: number,
): Promise<void> {
  const deleted = await configIds(trx, 'escalation_policies', deletedRefs(changes));
  if (deleted.length > 0) await trx.deleteFrom('escalation_policies').where('id', 'in', deleted).execute();
  for (const { change, item: policy } of written(changes, desired)) {
    await upsertConfigRow(trx, 'escalation_policies', 'esc', change, policyColumns(policy, now), now);
  }
}

type KeyedTable = 'people' | 'schedules' | 'escalation_policies';

/**
 * Inserts (create) or updates (update) the config row `change.ref` and returns its id. Throws when the
 * key was taken, or the row removed, since the plan was made.
 */
async function upsertConfigRow(
  trx: Kysely<Schema>,
  table: KeyedTable,
  prefix: string,
  change: ConfigChange,
  // Each table's columns; the union of the three is not expressible in one Kysely call.
  columns: Record<string, unknown>,
  now: number,
): Promise<string> {
  const db = trx as unknown as Kysely<Record<KeyedTable, { id: string; key: string; origin: string }>>;
  if (change.action === 'create') {
    const id = newId(prefix, now);
    const inserted = await db
      .insertInto(table)
      .values({ id, key: change.ref, origin: 'config', created_at: now, ...columns } as never)
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return id;
  } else {
    const updated = await db
      .updateTable(table)
      .set(columns as never)
      .where('key', '=', change.ref)
      .where('origin', '=', 'config')
      .executeTakeFirst();
    const row = await db.selectFrom(table).select('id').where('key', '=', change.ref).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 1 && row !== undefined) return row.id;
  }
  throw new Error(
    `${change.action} ${change.kind} "${change.ref}": the key was taken or the row removed meanwhile (by the API?) — run apply again`,
  );
}

async function configIds(trx: Kysely<Schema>, table: KeyedTable, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await trx
    .selectFrom(table)
    .select('id')
    .where('key', 'in', keys)
    .where('origin', '=', 'config')
    .execute();
  return rows.map((r) => r.id);
}

function deletedRefs(changes: readonly ConfigChange[]): string[] {
  return changes.filter((c) => c.action === 'delete').map((c) => c.ref);
}

function written<T extends { key: string }>(
  changes: readonly ConfigChange[],
  desired: readonly T[],
): { change: ConfigChange; item: T }[] {
  const byKey = new Map(desired.map((item) => [item.key, item]));
  return changes.flatMap((change) => {
    const item = byKey.get(change.ref);
    return change.action === 'delete' || item === undefined ? [] : [{ change, item }];
  });
}

function takenKeys(
  what: string,
  path: string,
  desired: readonly { key: string }[],
  api: readonly { key: string }[],
): string[] {
  const apiKeys = new Set(api.map((item) => item.key));
  return desired
    .filter((item) => apiKeys.has(item.key))
    .map(
      (item) =>
        `${what} "${item.key}" of the file has the key of a ${what} made through the API — delete that ` +
        `${what} (DELETE /api/v1/${path}/${item.key}) or rename it in the file`,
    );
}
