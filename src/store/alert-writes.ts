import type { Kysely, Transaction } from 'kysely';
import type { AlertEventKind, AlertStatus, Resolution } from '../alerts/alert-status.js';
import type { Capabilities } from './capabilities.js';
import { newId } from './new-id.js';
import type { Schema } from './schema.js';

type Tx = Kysely<Schema> | Transaction<Schema>;

/** One alert_events row: who did what to which alert, when and why. */
export interface AlertEventInput {
  readonly alertId: string;
  readonly kind: AlertEventKind;
  readonly actor: string;
  readonly reason: string | null;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly at: number;
}

/** Appends events (alert history is append-only: rows are never updated or deleted). */
export async function appendAlertEvents(
  tx: Tx,
  capabilities: Capabilities,
  events: readonly AlertEventInput[],
): Promise<void> {
  const chunk = Math.floor(capabilities.maxParameters / 7);
  for (let i = 0; i < events.length; i += chunk) {
    await tx
      .insertInto('alert_events')
      .values(
        events.slice(i, i + chunk).map((e) => ({
          id: newId('aev', e.at),
          alert_id: e.alertId,
          kind: e.kind,
          actor: e.actor,
          reason: e.reason,
          data: e.data ? JSON.stringify(e.data) : null,
          at: e.at,
        })),
      )
      .execute();
  }
}

/**
 * Puts an alert into the open group for `groupKey`, opening one when there is none, and returns
 * the group's id. The group key's row is locked first so concurrent processes join one group.
 */
export async function joinGroup(
  tx: Tx,
  capabilities: Capabilities,
  groupKey: string,
  title: string,
  now: number,
): Promise<{ readonly groupId: string; readonly opened: boolean }> {
  await tx
    .insertInto('alert_group_keys')
    .values({ group_key: groupKey, group_id: null, updated_at: now })
    .onConflict((oc) => oc.column('group_key').doNothing())
    .execute();
  let select = tx.selectFrom('alert_group_keys').select('group_id').where('group_key', '=', groupKey);
  if (capabilities.rowLocks) select = select.forUpdate();
  const row = await select.executeTakeFirstOrThrow();
  if (row.group_id !== null) {
    await tx
      .updateTable('alert_groups')
      .set((eb) => ({
        alert_count: eb('alert_count', '+', 1),
        open_alerts: eb('open_alerts', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', row.group_id)
      .execute();
    return { groupId: row.group_id, opened: false };
  }
  const groupId = newId('grp', now);
  await tx
    .insertInto('alert_groups')
    .values({
      id: groupId,
      group_key: groupKey,
      status: 'open',
      title,
      alert_count: 1,
      open_alerts: 1,
      opened_at: now,
      closed_at: null,
      updated_at: now,
    })
    .execute();
  await tx
    .updateTable('alert_group_keys')
    .set({ group_id: groupId, updated_at: now })
    .where('group_key', '=', groupKey)
    .execute();
  return { groupId, opened: true };
}

/** Takes a resolved alert out of its group's open count; the last one out closes the group. */
export async function leaveGroup(tx: Tx, groupId: string | null, now: number): Promise<void> {
  if (groupId === null) return;
  await tx
    .updateTable('alert_groups')
    .set((eb) => ({ open_alerts: eb('open_alerts', '-', 1), updated_at: now }))
    .where('id', '=', groupId)
    .where('open_alerts', '>', 0)
    .execute();
  const closed = await tx
    .updateTable('alert_groups')
    .set({ status: 'closed', closed_at: now, updated_at: now })
    .where('id', '=', groupId)
    .where('status', '=', 'open')
    .where('open_alerts', '=', 0)
    .executeTakeFirst();
  if (Number(closed.numUpdatedRows) === 1) {
    await tx
      .updateTable('alert_group_keys')
      .set({ group_id: null, updated_at: now })
      .where('group_id', '=', groupId)
      .execute();
  }
}

/**
 * Resolves an alert if it is still open (`WHERE status = :from`), records the event, and leaves
 * its group. Returns false when the alert was not in `from` any more (someone got there first).
 */
export async function resolveAlert(
  tx: Tx,
  capabilities: Capabilities,
  alert: { readonly id: string; readonly status: AlertStatus; readonly groupId: string | null },
  how: {
    readonly resolution: Resolution;
    readonly actor: string;
    readonly reason: string;
    readonly at: number;
  },
  data: Readonly<Record<string, unknown>> = {},
): Promise<boolean> {
  const updated = await tx
    .updateTable('alerts')
    .set({
      status: 'resolved',
      resolved_at: how.at,
      resolution: how.resolution,
      timebox_state: null,
      updated_at: how.at,
    })
    .where('id', '=', alert.id)
    .where('status', '=', alert.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return false;
  await appendAlertEvents(tx, capabilities, [
    {
      alertId: alert.id,
      kind: 'resolved',
      actor: how.actor,
      reason: how.reason,
      data: { resolution: how.resolution, ...data },
      at: how.at,
    },
  ]);
  await leaveGroup(tx, alert.groupId, how.at);
  return true;
}
