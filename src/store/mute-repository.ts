import type { Kysely, Transaction } from 'kysely';
import type { ActiveMaintenance, ActiveSilence } from '../alerts/find-mute.js';
import type { LabelMatcher } from '../rules/label-matcher.js';
import { mayRunAfter } from './maintenance-repository.js';
import type { Schema } from './schema.js';

/** Silences in force at `now` and maintenance windows that may have an occurrence running (what may mute a new alert). */
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
  const maintenances = await loadRunningMaintenances(db, now);
  return {
    silences: silences.map((s) => ({
      id: s.id,
      matchers: JSON.parse(s.matchers) as LabelMatcher[],
      startsAt: Number(s.starts_at),
      endsAt: Number(s.ends_at),
    })),
    maintenances,
  };
}

/**
 * Maintenance windows that may have an occurrence running at `now`, with their component refs. A
 * recurring window's row keeps its first occurrence in starts_at/ends_at: every one that has begun and
 * may still run is loaded, and occurrenceAt() (through findMute, or the incident automation) decides.
 */
export async function loadRunningMaintenances(
  db: Kysely<Schema> | Transaction<Schema>,
  now: number,
): Promise<ActiveMaintenance[]> {
  const windows = await db
    .selectFrom('maintenances')
    .innerJoin('maintenance_components', 'maintenance_components.maintenance_id', 'maintenances.id')
    .innerJoin('components', 'components.id', 'maintenance_components.component_id')
    .select([
      'maintenances.id',
      'maintenances.starts_at',
      'maintenances.ends_at',
      'maintenances.repeat',
      'maintenances.repeat_until',
      'components.ref',
    ])
    .where('maintenances.starts_at', '<=', now)
    .where(mayRunAfter(now))
    .where('maintenances.cancelled_at', 'is', null)
    .orderBy('maintenances.id')
    .execute();
  const maintenances = new Map<string, ActiveMaintenance & { components: string[] }>();
  for (const row of windows) {
    const entry = maintenances.get(row.id) ?? {
      id: row.id,
      startsAt: Number(row.starts_at),
      endsAt: Number(row.ends_at),
      repeat: row.repeat,
      repeatUntil: row.repeat_until === null ? null : Number(row.repeat_until),
      components: [],
    };
    entry.components.push(row.ref);
    maintenances.set(row.id, entry);
  }
  return [...maintenances.values()];
}
