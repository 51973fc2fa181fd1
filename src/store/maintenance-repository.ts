import type { ExpressionBuilder, Kysely } from 'kysely';
import type { MaintenanceWindow } from '../incidents/maintenance-occurrences.js';
import { newId } from './new-id.js';
import type { Schema } from './schema.js';

/**
 * A scheduled maintenance window on components (alerts on them are recorded but muted): one-off, or
 * recurring with a cron expression for each start, every occurrence as long as the first.
 */
export interface Maintenance extends MaintenanceWindow {
  readonly id: string;
  readonly title: string;
  /** Markdown, or null. */
  readonly description: string | null;
  /** How long before each occurrence subscribers are told; 0 = not at all. */
  readonly notifyBeforeMs: number;
  readonly components: readonly string[];
  readonly author: string;
  readonly createdAt: number;
  readonly cancelledAt: number | null;
}

/** What a new window needs; `repeat` null = one-off. */
export interface NewMaintenance extends MaintenanceWindow {
  readonly title: string;
  readonly description: string | null;
  readonly notifyBeforeMs: number;
  readonly components: readonly string[];
  readonly author: string;
}

// How far past a recurring window's repeat_until an occurrence may still run (no occurrence lasts longer).
const MAX_OCCURRENCE_MS = 366 * 86_400_000;

/**
 * Where-clause for windows that may still have an occurrence running after `after`: the first one ends
 * later, or the window repeats and its last start (repeat_until) is not further back than an occurrence
 * can last. Whether an occurrence really runs is occurrenceAt()'s to say; this only bounds the rows read.
 */
export function mayRunAfter(after: number) {
  return (eb: ExpressionBuilder<Schema, 'maintenances'>) =>
    eb.or([
      eb('maintenances.ends_at', '>', after),
      eb.and([
        eb('maintenances.repeat', 'is not', null),
        eb.or([
          eb('maintenances.repeat_until', 'is', null),
          eb('maintenances.repeat_until', '>', after - MAX_OCCURRENCE_MS),
        ]),
      ]),
    ]);
}

/**
 * Stores a maintenance window on the components with these refs. Returns the refs that do not
 * exist instead when any does not (nothing is stored then).
 */
export async function createMaintenance(
  db: Kysely<Schema>,
  input: NewMaintenance,
  now: number,
): Promise<{ readonly maintenance: Maintenance } | { readonly unknown: readonly string[] }> {
  return db.transaction().execute(async (tx) => {
    const found = await tx
      .selectFrom('components')
      .select(['id', 'ref'])
      .where('ref', 'in', input.components)
      .execute();
    const known = new Set(found.map((c) => c.ref));
    const unknown = input.components.filter((ref) => !known.has(ref));
    if (unknown.length > 0) return { unknown };
    const id = newId('mnt', now);
    await tx
      .insertInto('maintenances')
      .values({
        id,
        title: input.title,
        description: input.description,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        repeat: input.repeat,
        repeat_until: input.repeatUntil,
        notify_before_ms: input.notifyBeforeMs,
        author: input.author,
        created_at: now,
        cancelled_at: null,
      })
      .execute();
    await tx
      .insertInto('maintenance_components')
      .values(found.map((c) => ({ maintenance_id: id, component_id: c.id })))
      .execute();
    return {
      maintenance: {
        ...input,
        id,
        components: [...input.components].sort(),
        createdAt: now,
        cancelledAt: null,
      },
    };
  });
}

/**
 * Windows that may still run (not cancelled; a one-off that has not ended, a recurring one not past
 * its repeat_until), or all of them; newest first. Callers ask nextOccurrence whether one is left.
 */
export async function listMaintenances(
  db: Kysely<Schema>,
  now: number,
  all: boolean,
): Promise<Maintenance[]> {
  let query = selectMaintenances(db);
  if (!all) {
    query = query.where('maintenances.cancelled_at', 'is', null).where(mayRunAfter(now));
  }
  return group(await query.orderBy('maintenances.id', 'desc').execute());
}

/** One window, or null when there is none with this id. */
export async function getMaintenance(db: Kysely<Schema>, id: string): Promise<Maintenance | null> {
  return group(await selectMaintenances(db).where('maintenances.id', '=', id).execute())[0] ?? null;
}

/** Cancels a window (the row stays). False when there is no such window. */
export async function cancelMaintenance(db: Kysely<Schema>, id: string, now: number): Promise<boolean> {
  const exists = await db.selectFrom('maintenances').select('id').where('id', '=', id).executeTakeFirst();
  if (!exists) return false;
  await db
    .updateTable('maintenances')
    .set({ cancelled_at: now })
    .where('id', '=', id)
    .where('cancelled_at', 'is', null)
    .execute();
  return true;
}

/**
 * Maintenances joined with their components (a row per component; null component columns for a window
 * without any), selecting the columns every reader of windows needs; callers select more and filter.
 */
export function maintenancesWithComponents(db: Kysely<Schema>) {
  return db
    .selectFrom('maintenances')
    .leftJoin('maintenance_components', 'maintenance_components.maintenance_id', 'maintenances.id')
    .leftJoin('components', 'components.id', 'maintenance_components.component_id')
    .select([
      'maintenances.id',
      'maintenances.title',
      'maintenances.description',
      'maintenances.starts_at',
      'maintenances.ends_at',
      'maintenances.repeat',
      'maintenances.repeat_until',
      'maintenances.notify_before_ms',
      'maintenances.created_at',
    ]);
}

function selectMaintenances(db: Kysely<Schema>) {
  return maintenancesWithComponents(db).select([
    'maintenances.author',
    'maintenances.cancelled_at',
    'components.ref',
  ]);
}

type MaintenanceRow = Awaited<ReturnType<ReturnType<typeof selectMaintenances>['execute']>>[number];

function group(rows: readonly MaintenanceRow[]): Maintenance[] {
  const byId = new Map<string, Maintenance & { components: string[] }>();
  for (const row of rows) {
    const entry = byId.get(row.id) ?? {
      id: row.id,
      title: row.title,
      description: row.description,
      startsAt: Number(row.starts_at),
      endsAt: Number(row.ends_at),
      repeat: row.repeat,
      repeatUntil: row.repeat_until === null ? null : Number(row.repeat_until),
      notifyBeforeMs: Number(row.notify_before_ms),
      author: row.author,
      createdAt: Number(row.created_at),
      cancelledAt: row.cancelled_at === null ? null : Number(row.cancelled_at),
      components: [],
    };
    if (row.ref !== null) entry.components.push(row.ref);
    byId.set(row.id, entry);
  }
  return [...byId.values()].map((m) => ({ ...m, components: m.components.sort() }));
}
