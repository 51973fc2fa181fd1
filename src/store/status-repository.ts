import type { Kysely } from 'kysely';
import type { MonitorState } from '../rules/monitor-state.js';
import type { ComponentStatus } from '../statuspage/component-status.js';
import { newId } from './new-id.js';
import type { Schema } from './schema.js';

/** A monitor's status change, and the component change it causes (if any). */
export interface Transition {
  readonly monitorId: string;
  readonly state: MonitorState;
  readonly reason: string;
  readonly at: number;
  readonly component: {
    readonly id: string;
    readonly from: ComponentStatus;
    readonly to: ComponentStatus;
  } | null;
}

/** Thrown when the component's stored status is not the one the change started from. */
export class StaleStatusError extends Error {
  override readonly name = 'StaleStatusError';
}

/**
 * Records a transition in one transaction: the monitor's state row, and when the
 * component moves, a conditional update of its status (`WHERE status = :from`) plus
 * an append-only component_status_changes row. A conditional update that touches
 * no row means another writer changed the component first: nothing is written.
 */
export async function recordTransition(db: Kysely<Schema>, t: Transition): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('monitor_states')
      .values({
        monitor_id: t.monitorId,
        status: t.state.status,
        consecutive_failures: t.state.consecutiveFailures,
        consecutive_successes: t.state.consecutiveSuccesses,
        last_checked_at: t.at,
        last_reason: t.reason,
        updated_at: t.at,
      })
      .onConflict((oc) =>
        oc.column('monitor_id').doUpdateSet({
          status: t.state.status,
          consecutive_failures: t.state.consecutiveFailures,
          consecutive_successes: t.state.consecutiveSuccesses,
          last_checked_at: t.at,
          last_reason: t.reason,
          updated_at: t.at,
        }),
      )
      .execute();
    if (!t.component || t.component.from === t.component.to) return;
    const updated = await tx
      .updateTable('components')
      .set({ status: t.component.to, status_changed_at: t.at, updated_at: t.at })
      .where('id', '=', t.component.id)
      .where('status', '=', t.component.from)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new StaleStatusError(
        `component ${t.component.id} is no longer ${t.component.from}: another writer changed it first`,
      );
    }
    await tx
      .insertInto('component_status_changes')
      .values({
        id: newId('csc', t.at),
        component_id: t.component.id,
        from_status: t.component.from,
        to_status: t.component.to,
        reason: t.reason,
        monitor_id: t.monitorId,
        at: t.at,
      })
      .execute();
  });
}

/** Each component's current stored status, by id. */
export async function loadComponentStatuses(db: Kysely<Schema>): Promise<Map<string, ComponentStatus>> {
  const rows = await db.selectFrom('components').select(['id', 'status']).execute();
  return new Map(rows.map((r) => [r.id, r.status as ComponentStatus]));
}

/** One component's stored status, or null when it no longer exists. */
export async function loadComponentStatus(db: Kysely<Schema>, id: string): Promise<ComponentStatus | null> {
  const row = await db.selectFrom('components').select('status').where('id', '=', id).executeTakeFirst();
  return row ? (row.status as ComponentStatus) : null;
}
