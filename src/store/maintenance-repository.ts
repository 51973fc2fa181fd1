import type { Kysely } from 'kysely';
import { newId } from './new-id.js';
import type { Schema } from './schema.js';

/** A scheduled maintenance window on components (alerts on them are recorded but muted). */
export interface Maintenance {
  readonly id: string;
  readonly title: string;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly components: readonly string[];
  readonly author: string;
  readonly cancelledAt: number | null;
}

/**
 * Stores a maintenance window on the components with these refs. Returns the refs that do not
 * exist instead when any does not (nothing is stored then).
 */
export async function createMaintenance(
  db: Kysely<Schema>,
  input: {
    readonly title: string;
    readonly startsAt: number;
    readonly endsAt: number;
    readonly components: readonly string[];
    readonly author: string;
  },
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
        starts_at: input.startsAt,
        ends_at: input.endsAt,
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
      maintenance: { ...input, id, components: [...input.components].sort(), cancelledAt: null },
    };
  });
}

/** Windows that have not ended (or all, newest first). */
export async function listMaintenances(
  db: Kysely<Schema>,
  now: number,
  all: boolean,
): Promise<Maintenance[]> {
  let query = db
    .selectFrom('maintenances')
    .leftJoin('maintenance_components', 'maintenance_components.maintenance_id', 'maintenances.id')
    .leftJoin('components', 'components.id', 'maintenance_components.component_id')
    .select([
      'maintenances.id',
      'maintenances.title',
      'maintenances.starts_at',
      'maintenances.ends_at',
      'maintenances.author',
      'maintenances.cancelled_at',
      'components.ref',
    ]);
  if (!all)
    query = query.where('maintenances.ends_at', '>', now).where('maintenances.cancelled_at', 'is', null);
  const rows = await query.orderBy('maintenances.id', 'desc').execute();
  const byId = new Map<string, Maintenance & { components: string[] }>();
  for (const row of rows) {
    const entry = byId.get(row.id) ?? {
      id: row.id,
      title: row.title,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      author: row.author,
      cancelledAt: row.cancelled_at,
      components: [],
    };
    if (row.ref !== null) entry.components.push(row.ref);
    byId.set(row.id, entry);
  }
  return [...byId.values()].map((m) => ({ ...m, components: m.components.sort() }));
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
