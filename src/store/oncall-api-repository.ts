import type { Kysely } from 'kysely';
import type { EscalationPolicy } from '../oncall/escalation-policy.js';
import type { Person } from '../oncall/person.js';
import type { Override, Schedule } from '../oncall/schedule.js';
import { newId } from './new-id.js';
import {
  insertOverrides,
  personColumns,
  policyColumns,
  scheduleColumns,
  syncContactMethods,
} from './oncall-rows.js';
import type { Schema } from './schema.js';

// Users, schedules, escalation policies and overrides made through the HTTP API (origin `api`). Keys
// are shared with the config file's rows: the API may not change those, and `firewatch apply` may not
// change these.

/** What the API calls each keyed table, in messages. */
const KINDS = { people: 'user', schedules: 'schedule', escalation_policies: 'escalation policy' } as const;
type KeyedTable = keyof typeof KINDS;

/** A put or delete refused: a row of config as code has this key, and the API may not change it. */
export class ManagedByConfigError extends Error {
  override readonly name = 'ManagedByConfigError';

  constructor(what: string, key: string) {
    super(
      `${what} "${key}" is managed by config as code (firewatch apply) — change it in the config file, or use another key`,
    );
  }
}

/** What a delete found: the API row deleted, a config row left alone, or nothing. */
export type DeleteOutcome = 'deleted' | 'config' | 'missing';

/**
 * Creates or replaces the API user `person.key` and makes their contact methods match (see
 * syncContactMethods). Throws ManagedByConfigError, changing nothing, when a config user has the key.
 */
export async function putApiPerson(
  db: Kysely<Schema>,
  person: Person,
  now: number,
): Promise<{ readonly created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const put = await putApiRow(trx, 'people', 'per', person.key, personColumns(person, now), now);
    await syncContactMethods(trx, put.id, person.contactMethods, now);
    return { created: put.created };
  });
}

/**
 * Creates or replaces the API schedule `schedule.key`: name, zone and layers (its overrides are
 * managed one by one with addApiOverride). Throws ManagedByConfigError when a config schedule has the key.
 */
export async function putApiSchedule(
  db: Kysely<Schema>,
  schedule: Schedule,
  now: number,
): Promise<{ readonly created: boolean }> {
  const put = await putApiRow(db, 'schedules', 'sch', schedule.key, scheduleColumns(schedule, now), now);
  return { created: put.created };
}

/** Creates or replaces the API escalation policy `policy.key`; ManagedByConfigError as for users. */
export async function putApiPolicy(
  db: Kysely<Schema>,
  policy: EscalationPolicy,
  now: number,
): Promise<{ readonly created: boolean }> {
  const put = await putApiRow(db, 'escalation_policies', 'esc', policy.key, policyColumns(policy, now), now);
  return { created: put.created };
}

/** Deletes the API user `key` with their contact methods. */
export async function deleteApiPerson(db: Kysely<Schema>, key: string): Promise<DeleteOutcome> {
  return db.transaction().execute(async (trx) => {
    const found = await findApiRow(trx, 'people', key);
    if ('outcome' in found) return found.outcome;
    await trx.deleteFrom('contact_methods').where('person_id', '=', found.id).execute();
    await trx.deleteFrom('people').where('id', '=', found.id).execute();
    return 'deleted';
  });
}

/** Deletes the API schedule `key` with all its overrides. */
export async function deleteApiSchedule(db: Kysely<Schema>, key: string): Promise<DeleteOutcome> {
  return db.transaction().execute(async (trx) => {
    const found = await findApiRow(trx, 'schedules', key);
    if ('outcome' in found) return found.outcome;
    await trx.deleteFrom('schedule_overrides').where('schedule_id', '=', found.id).execute();
    await trx.deleteFrom('schedules').where('id', '=', found.id).execute();
    return 'deleted';
  });
}

/** Deletes the API escalation policy `key`. */
export async function deleteApiPolicy(db: Kysely<Schema>, key: string): Promise<DeleteOutcome> {
  const found = await findApiRow(db, 'escalation_policies', key);
  if ('outcome' in found) return found.outcome;
  await db.deleteFrom('escalation_policies').where('id', '=', found.id).execute();
  return 'deleted';
}

/** A new id for an override made through the API. */
export function newOverrideId(now: number): string {
  return newId('ovr', now);
}

/**
 * Adds an override (origin `api`) to schedule `scheduleKey`, of either origin: covering a shift is
 * an everyday change, also on schedules of the config file. False when there is no such schedule.
 */
export async function addApiOverride(
  db: Kysely<Schema>,
  scheduleKey: string,
  override: Override,
  author: string,
  now: number,
): Promise<boolean> {
  const schedule = await db
    .selectFrom('schedules')
    .select('id')
    .where('key', '=', scheduleKey)
    .executeTakeFirst();
  if (schedule === undefined) return false;
  await insertOverrides(db, schedule.id, [override], 'api', author, now);
  return true;
}

/** Deletes override `id` of schedule `scheduleKey` if it was made through the API. */
export async function deleteApiOverride(
  db: Kysely<Schema>,
  scheduleKey: string,
  id: string,
): Promise<DeleteOutcome> {
  const row = await db
    .selectFrom('schedule_overrides')
    .innerJoin('schedules', 'schedules.id', 'schedule_overrides.schedule_id')
    .select(['schedule_overrides.id as id', 'schedule_overrides.origin as origin'])
    .where('schedules.key', '=', scheduleKey)
    .where('schedule_overrides.id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return 'missing';
  if (row.origin !== 'api') return 'config';
  const deleted = await db
    .deleteFrom('schedule_overrides')
    .where('id', '=', id)
    .where('origin', '=', 'api')
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) === 1 ? 'deleted' : 'missing';
}

/** Updates the API row `key`, or inserts it; throws ManagedByConfigError when a config row has the key. */
async function putApiRow(
  db: Kysely<Schema>,
  table: KeyedTable,
  prefix: string,
  key: string,
  // Each table's own columns (see oncall-rows.ts).
  columns: Record<string, unknown>,
  now: number,
): Promise<{ readonly id: string; readonly created: boolean }> {
  const keyed = db as unknown as Kysely<Record<KeyedTable, { id: string; key: string; origin: string }>>;
  const updated = await keyed
    .updateTable(table)
    .set(columns as never)
    .where('key', '=', key)
    .where('origin', '=', 'api')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 1) {
    const row = await keyed.selectFrom(table).select('id').where('key', '=', key).executeTakeFirstOrThrow();
    return { id: row.id, created: false };
  }
  const id = newId(prefix, now);
  const inserted = await keyed
    .insertInto(table)
    .values({ id, key, origin: 'api', created_at: now, ...columns } as never)
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  // Not updated as an API row, yet the key is taken: a config row has it.
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0)
    throw new ManagedByConfigError(KINDS[table], key);
  return { id, created: true };
}

/** The id of the API row `key`, or why there is none. */
async function findApiRow(
  db: Kysely<Schema>,
  table: KeyedTable,
  key: string,
): Promise<{ readonly id: string } | { readonly outcome: Exclude<DeleteOutcome, 'deleted'> }> {
  const row = await db.selectFrom(table).select(['id', 'origin']).where('key', '=', key).executeTakeFirst();
  if (row === undefined) return { outcome: 'missing' };
  return row.origin === 'api' ? { id: row.id } : { outcome: 'config' };
}
