import type { Kysely, Transaction } from 'kysely';
import { type MaintenancePhase, NOTICE_GRACE_MS } from '../incidents/due-maintenance-notices.js';
import type { MaintenanceNotice } from '../statuspage/subscriber-messages.js';
import { maintenancesWithComponents, mayRunAfter } from './maintenance-repository.js';
import type { Schema } from './schema.js';

// The maintenances subscriber notices are about, as subscriber-notices.ts needs them.

type Db = Kysely<Schema> | Transaction<Schema>;

/** A maintenance with its components, as the notices need it. */
export type NoticeMaintenance = ReturnType<typeof windowOf>;

/**
 * Maintenances that may have a notice due at `now`: not cancelled, starting within their
 * notify-before or already started, and not over for longer than the notice grace (a recurring one
 * until its repeat_until is that far past).
 */
export async function loadNoticeMaintenances(db: Db, now: number): Promise<NoticeMaintenance[]> {
  const rows = await maintenancesWithComponents(db)
    .select(['components.id as component_id', 'components.name as component_name'])
    .where('maintenances.cancelled_at', 'is', null)
    // Anything whose first notice may be due: it starts within its notify-before, or has started.
    .where((eb) => eb('maintenances.starts_at', '<=', eb('maintenances.notify_before_ms', '+', now)))
    .where(mayRunAfter(now - NOTICE_GRACE_MS))
    .orderBy('maintenances.id')
    .orderBy('components.position')
    .execute();
  const byId = new Map<string, NoticeMaintenance>();
  for (const row of rows) {
    const window = byId.get(row.id) ?? windowOf(row);
    if (row.component_id !== null) {
      window.componentIds.push(row.component_id);
      window.components.push({ id: row.component_id, name: row.component_name ?? row.component_id });
    }
    byId.set(row.id, window);
  }
  return [...byId.values()];
}

function windowOf(row: {
  id: string;
  title: string;
  description: string | null;
  starts_at: number;
  ends_at: number;
  repeat: string | null;
  repeat_until: number | null;
  notify_before_ms: number;
  created_at: number;
}) {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    startsAt: Number(row.starts_at),
    endsAt: Number(row.ends_at),
    repeat: row.repeat,
    repeatUntil: row.repeat_until === null ? null : Number(row.repeat_until),
    notifyBeforeMs: Number(row.notify_before_ms),
    createdAt: Number(row.created_at),
    componentIds: [] as string[],
    components: [] as { id: string; name: string }[],
  };
}

/** What a notice says about one occurrence in one phase: the phases so far, newest first. */
export function maintenanceNotice(
  window: NoticeMaintenance,
  occurrence: { readonly start: number; readonly end: number },
  phase: MaintenancePhase,
): MaintenanceNotice {
  const ahead = Math.min(
    Math.max(occurrence.start - window.notifyBeforeMs, window.createdAt),
    occurrence.start,
  );
  const phases: { phase: MaintenancePhase; at: number }[] = [];
  if (phase === 'completed') phases.push({ phase: 'completed', at: occurrence.end });
  if (phase !== 'ahead') phases.push({ phase: 'started', at: occurrence.start });
  if (window.notifyBeforeMs > 0 || phase === 'ahead') phases.push({ phase: 'ahead', at: ahead });
  return {
    maintenanceId: window.id,
    occurrenceId: window.repeat === null ? window.id : `${window.id}-${occurrence.start}`,
    title: window.title,
    description: window.description,
    start: occurrence.start,
    end: occurrence.end,
    createdAt: window.createdAt,
    components: window.components,
    phases,
  };
}
