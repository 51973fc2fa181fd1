import type { Kysely } from 'kysely';
import type { ChannelKind } from '../notify/message.js';
import type { EscalationPolicy } from '../oncall/escalation-policy.js';
import { type ContactMethod, DEFAULT_WORKING_HOURS, type Person } from '../oncall/person.js';
import { EMPTY_ROUTING, type Routing } from '../oncall/routing.js';
import type { Layer, Override, OverrideKind, Schedule } from '../oncall/schedule.js';
import { DEFAULT_URGENCY_MATRIX, type UrgencyMatrix } from '../oncall/urgency-matrix.js';
import { newId } from './new-id.js';
import type { Schema } from './schema.js';

// On-call rows ⇄ domain values, shared by `firewatch apply` (oncall-config-repository.ts) and the API
// (oncall-api-repository.ts). Contact methods are a set: read in key order. Overrides keep their order
// (it decides between overlapping ones): the file's in file order, then the API's in creation order.

/** Who manages an on-call row: `firewatch apply` (config) or the HTTP API; neither changes the other's. */
export type OncallOrigin = 'config' | 'api';

/** The settings rows that hold Routing and the UrgencyMatrix as JSON. */
export const ROUTING_KEY = 'routing';
export const URGENCY_KEY = 'urgency';

/** A contact method with its row id and the flag a permanently failed delivery set. */
export interface StoredContactMethod extends ContactMethod {
  readonly id: string;
  readonly flaggedAt: number | null;
  readonly flagReason: string | null;
}

export interface StoredPerson {
  readonly id: string;
  readonly origin: OncallOrigin;
  /** The person, contact methods as plain ContactMethods. */
  readonly person: Person;
  readonly methods: readonly StoredContactMethod[];
}

export interface StoredOverride {
  readonly override: Override;
  readonly origin: OncallOrigin;
  readonly author: string;
}

export interface StoredSchedule {
  readonly id: string;
  readonly origin: OncallOrigin;
  /** The schedule with every override read (see readSchedules). */
  readonly schedule: Schedule;
  readonly overrides: readonly StoredOverride[];
}

export interface StoredPolicy {
  readonly id: string;
  readonly origin: OncallOrigin;
  readonly policy: EscalationPolicy;
}

interface PersonDefinition {
  readonly workingHours: Person['workingHours'];
  readonly notificationRules: Person['notificationRules'];
}

/** People by key (or the one with `key`), with their contact methods. */
export async function readPeople(db: Kysely<Schema>, key?: string): Promise<StoredPerson[]> {
  let query = db.selectFrom('people').selectAll().orderBy('key');
  if (key !== undefined) query = query.where('key', '=', key);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  let methodQuery = db.selectFrom('contact_methods').selectAll().orderBy('key');
  if (key !== undefined) methodQuery = methodQuery.where('person_id', '=', rows[0]!.id);
  const methodRows = await methodQuery.execute();
  return rows.map((row) => {
    const definition = parse<PersonDefinition>(row.definition, `user ${row.key}`);
    const methods = methodRows
      .filter((m) => m.person_id === row.id)
      .map(
        (m): StoredContactMethod => ({
          id: m.id,
          key: m.key,
          kind: m.kind as ChannelKind,
          address: m.address,
          secret: m.secret,
          flaggedAt: m.flagged_at,
          flagReason: m.flag_reason,
        }),
      );
    return {
      id: row.id,
      origin: originOf(row.origin),
      person: {
        key: row.key,
        name: row.name,
        timeZone: row.time_zone,
        workingHours: definition.workingHours ?? DEFAULT_WORKING_HOURS,
        contactMethods: methods.map(({ key, kind, address, secret }) => ({ key, kind, address, secret })),
        notificationRules: definition.notificationRules ?? [],
      },
      methods,
    };
  });
}

/**
 * Schedules by key (or the one with `key`) with their overrides: all of them, or only those that
 * end after `overridesEndingAfter`, or only those of origin `overrideOrigin`.
 */
export async function readSchedules(
  db: Kysely<Schema>,
  options: { key?: string; overridesEndingAfter?: number; overrideOrigin?: OncallOrigin } = {},
): Promise<StoredSchedule[]> {
  let query = db.selectFrom('schedules').selectAll().orderBy('key');
  if (options.key !== undefined) query = query.where('key', '=', options.key);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  let overrideQuery = db.selectFrom('schedule_overrides').selectAll().orderBy('created_at').orderBy('id');
  if (options.key !== undefined) overrideQuery = overrideQuery.where('schedule_id', '=', rows[0]!.id);
  if (options.overridesEndingAfter !== undefined) {
    overrideQuery = overrideQuery.where('ends_at', '>', options.overridesEndingAfter);
  }
  if (options.overrideOrigin !== undefined)
    overrideQuery = overrideQuery.where('origin', '=', options.overrideOrigin);
  const overrideRows = await overrideQuery.execute();
  return rows.map((row) => {
    const definition = parse<{ layers: readonly Layer[] }>(row.definition, `schedule ${row.key}`);
    const overrides = overrideRows
      .filter((o) => o.schedule_id === row.id)
      .map(
        (o): StoredOverride => ({
          override: {
            id: o.id,
            kind: o.kind as OverrideKind,
            user: o.person_key,
            start: o.starts_at,
            end: o.ends_at,
          },
          origin: originOf(o.origin),
          author: o.author,
        }),
      )
      .sort(overrideOrder);
    return {
      id: row.id,
      origin: originOf(row.origin),
      schedule: {
        key: row.key,
        name: row.name,
        timeZone: row.time_zone,
        layers: definition.layers ?? [],
        overrides: overrides.map((o) => o.override),
      },
      overrides,
    };
  });
}

/** Escalation policies by key (or the one with `key`). */
export async function readPolicies(db: Kysely<Schema>, key?: string): Promise<StoredPolicy[]> {
  let query = db.selectFrom('escalation_policies').selectAll().orderBy('key');
  if (key !== undefined) query = query.where('key', '=', key);
  const rows = await query.execute();
  return rows.map((row) => {
    const definition = parse<Omit<EscalationPolicy, 'key' | 'name'>>(
      row.definition,
      `escalation policy ${row.key}`,
    );
    return {
      id: row.id,
      origin: originOf(row.origin),
      policy: {
        key: row.key,
        name: row.name,
        steps: definition.steps,
        repeat: definition.repeat,
        reminderEveryMs: definition.reminderEveryMs,
        maxReminders: definition.maxReminders,
      },
    };
  });
}

/** The stored routing; EMPTY_ROUTING without a row. */
export async function readRouting(db: Kysely<Schema>): Promise<Routing> {
  return (await readSetting<Routing>(db, ROUTING_KEY)) ?? EMPTY_ROUTING;
}

/** The stored urgency matrix; DEFAULT_URGENCY_MATRIX without a row. */
export async function readUrgency(db: Kysely<Schema>): Promise<UrgencyMatrix> {
  return (await readSetting<UrgencyMatrix>(db, URGENCY_KEY)) ?? DEFAULT_URGENCY_MATRIX;
}

/** Stores a settings row (the whole value). */
export async function writeSetting(
  trx: Kysely<Schema>,
  key: string,
  value: unknown,
  now: number,
): Promise<void> {
  await trx
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** The people columns a write sets (besides id, key, origin and created_at). */
export function personColumns(person: Person, now: number) {
  const definition: PersonDefinition = {
    workingHours: person.workingHours,
    notificationRules: person.notificationRules,
  };
  return {
    name: person.name,
    time_zone: person.timeZone,
    definition: JSON.stringify(definition),
    updated_at: now,
  };
}

export function scheduleColumns(schedule: Schedule, now: number) {
  return {
    name: schedule.name,
    time_zone: schedule.timeZone,
    definition: JSON.stringify({ layers: schedule.layers }),
    updated_at: now,
  };
}

export function policyColumns(policy: EscalationPolicy, now: number) {
  const { steps, repeat, reminderEveryMs, maxReminders } = policy;
  return {
    name: policy.name,
    definition: JSON.stringify({ steps, repeat, reminderEveryMs, maxReminders }),
    updated_at: now,
  };
}

/**
 * Makes the person's contact method rows match `methods`, by key: an unchanged method keeps its row
 * and its flag; a changed kind, address or secret keeps the row id (notifications point at it) and
 * clears the flag, since the fix may be that change; missing ones are deleted.
 */
export async function syncContactMethods(
  trx: Kysely<Schema>,
  personId: string,
  methods: readonly ContactMethod[],
  now: number,
): Promise<void> {
  const rows = await trx
    .selectFrom('contact_methods')
    .selectAll()
    .where('person_id', '=', personId)
    .execute();
  const wanted = new Set(methods.map((m) => m.key));
  const gone = rows.filter((row) => !wanted.has(row.key)).map((row) => row.id);
  if (gone.length > 0) await trx.deleteFrom('contact_methods').where('id', 'in', gone).execute();
  for (const method of methods) {
    const row = rows.find((r) => r.key === method.key);
    const columns = { kind: method.kind, address: method.address, secret: method.secret };
    if (row === undefined) {
      await trx
        .insertInto('contact_methods')
        .values({
          id: newId('cm', now),
          person_id: personId,
          key: method.key,
          ...columns,
          flagged_at: null,
          flag_reason: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    } else if (row.kind !== method.kind || row.address !== method.address || row.secret !== method.secret) {
      await trx
        .updateTable('contact_methods')
        .set({ ...columns, flagged_at: null, flag_reason: null, updated_at: now })
        .where('id', '=', row.id)
        .execute();
    }
  }
}

/** Inserts overrides of one schedule with their own ids. */
export async function insertOverrides(
  trx: Kysely<Schema>,
  scheduleId: string,
  overrides: readonly Override[],
  origin: OncallOrigin,
  author: string,
  now: number,
): Promise<void> {
  if (overrides.length === 0) return;
  await trx
    .insertInto('schedule_overrides')
    .values(
      overrides.map((o) => ({
        id: o.id,
        schedule_id: scheduleId,
        kind: o.kind,
        person_key: o.user,
        starts_at: o.start,
        ends_at: o.end,
        origin,
        author,
        created_at: now,
      })),
    )
    .execute();
}

/** Config overrides first, in file order (their ids end in the index), then API ones as read. */
function overrideOrder(a: StoredOverride, b: StoredOverride): number {
  if (a.origin !== b.origin) return a.origin === 'config' ? -1 : 1;
  if (a.origin === 'api') return 0;
  return configIndex(a.override.id) - configIndex(b.override.id);
}

function configIndex(id: string): number {
  return Number(/-(\d+)$/.exec(id)?.[1] ?? 0);
}

function originOf(origin: string): OncallOrigin {
  return origin === 'api' ? 'api' : 'config';
}

async function readSetting<T>(db: Kysely<Schema>, key: string): Promise<T | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row === undefined ? null : parse<T>(row.value, `${key} settings`);
}

function parse<T>(json: string, what: string): T {
  try {
    return JSON.parse(json) as T;
  } catch (error) {
    throw new Error(`read ${what}: the stored definition is not valid JSON`, { cause: error });
  }
}
