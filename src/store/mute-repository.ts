import type { Kysely, Transaction } from 'kysely';
import type { ActiveMaintenance, ActiveSilence } from '../alerts/find-mute.js';
import type { LabelMatcher } from '../rules/label-matcher.js';
import type { Schema } from './schema.js';

/** Silences and maintenance windows in force at `now` (what may mute a new alert). */
export async function loadMutes(
  db: Kysely<Schema> | Transaction<Schema>,
  now: number,
): Promise<{ silences: ActiveSilence[]; maintenances: ActiveMaintenance[] }> {
  const silences = await db
    .selectFrom('silences')
    .select(['id', 'matchers', 'starts_at', 'ends_at'])
    .where('starts_at', '<=', now)
    .where('ends_at', '>', now)
    .where('expired_at', 'is', null)
    .orderBy('id')
    .execute();
  const windows = await db
    .selectFrom('maintenances')
    .innerJoin('maintenance_components', 'maintenance_components.maintenance_id', 'maintenances.id')
    .innerJoin('components', 'components.id', 'maintenance_components.component_id')
    .select(['maintenances.id', 'maintenances.starts_at', 'maintenances.ends_at', 'components.ref'])
    .where('maintenances.starts_at', '<=', now)
    .where('maintenances.ends_at', '>', now)
    .where('maintenances.cancelled_at', 'is', null)
    .orderBy('maintenances.id')
    .execute();
  const maintenances = new Map<
    string,
    { id: string; startsAt: number; endsAt: number; components: string[] }
  >();
  for (const row of windows) {
    const entry = maintenances.get(row.id) ?? {
      id: row.id,
      startsAt: Number(row.starts_at),
      endsAt: Number(row.ends_at),
      components: [],
    };
    entry.components.push(row.ref);
    maintenances.set(row.id, entry);
  }
  return {
    silences: silences.map((s) => ({
      id: s.id,
      matchers: JSON.parse(s.matchers) as LabelMatcher[],
      startsAt: Number(s.starts_at),
      endsAt: Number(s.ends_at),
    })),
    maintenances: [...maintenances.values()],
  };
}
