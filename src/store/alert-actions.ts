import type { Kysely, Transaction } from 'kysely';
import type { AlertStatus } from '../alerts/alert-status.js';
import type { AlertingSettings } from '../alerts/alerting-settings.js';
import { type TimeBoxDecision, timeAccount, timeBoxEnd } from '../alerts/time-box.js';
import type { Severity } from '../rules/signal.js';
import { AlertActionError } from './alert-action-error.js';
import { appendAlertEvents, resolveAlert } from './alert-writes.js';
import type { Capabilities } from './capabilities.js';
import { incidentFromAlert } from './incident-from-alert.js';
import type { IncidentSettings } from './incident-repository.js';
import type { AlertRow, Schema } from './schema.js';

type Tx = Transaction<Schema>;

/** Who acts, and when. */
export interface Actor {
  readonly name: string;
  readonly now: number;
}

/**
 * Acknowledges a firing alert: `owner` (default the actor) becomes its one owner, and a time box
 * starts when the severity has one. An alert acknowledged by someone else is a conflict (reassign it).
 */
export async function acknowledgeAlert(
  db: Kysely<Schema>,
  capabilities: Capabilities,
  id: string,
  actor: Actor,
  options: { readonly owner?: string; readonly settings: AlertingSettings },
): Promise<AlertRow> {
  return withAlert(db, capabilities, id, async (tx, alert) => {
    const owner = options.owner ?? actor.name;
    if (alert.status === 'acknowledged') {
      if (alert.owner === owner) return alert;
      throw new AlertActionError('conflict', `alert ${id} is already acknowledged by ${alert.owner}`, {
        hint: 'reassign it instead: POST /api/v1/alerts/{id}/reassign {"owner": "..."}',
      });
    }
    if (alert.status !== 'firing') throw notOpen(alert);
    const endsAt = timeBoxEnd(alert.severity as Severity, options.settings, actor.now);
    await update(tx, alert, {
      status: 'acknowledged',
      owner,
      acknowledged_at: actor.now,
      timebox_ends_at: endsAt,
      timebox_state: endsAt === null ? null : 'running',
      updated_at: actor.now,
    });
    await appendAlertEvents(tx, capabilities, [
      { alertId: id, kind: 'acknowledged', actor: actor.name, reason: null, data: { owner }, at: actor.now },
      ...(endsAt === null
        ? []
        : [
            {
              alertId: id,
              kind: 'timebox_started' as const,
              actor: actor.name,
              reason: `time box of ${Math.round((endsAt - actor.now) / 60_000)} min for ${alert.severity}`,
              data: { ends_at: endsAt, owner },
              at: actor.now,
            },
          ]),
    ]);
    return reload(tx, id);
  });
}

/** Resolves a firing or acknowledged alert by hand. */
export async function resolveAlertByHand(
  db: Kysely<Schema>,
  capabilities: Capabilities,
  id: string,
  actor: Actor,
  note: string | null,
): Promise<AlertRow> {
  return withAlert(db, capabilities, id, async (tx, alert) => {
    if (alert.status === 'resolved') return alert;
    const account = timeAccount(alert.acknowledged_at, alert.timebox_ends_at, actor.now);
    await resolveAlert(
      tx,
      capabilities,
      { id, status: alert.status as AlertStatus, groupId: alert.group_id },
      { resolution: 'manual', actor: actor.name, reason: note ?? 'resolved by hand', at: actor.now },
      { time_spent_ms: account.spentMs, overrun_ms: account.overrunMs },
    );
    return reload(tx, id);
  });
}

/** Hands an acknowledged alert (and its time box) to another owner. */
export async function reassignAlert(
  db: Kysely<Schema>,
  capabilities: Capabilities,
  id: string,
  actor: Actor,
  owner: string,
  reason: string | null,
): Promise<AlertRow> {
  return withAlert(db, capabilities, id, async (tx, alert) => {
    if (alert.status === 'firing') {
      throw new AlertActionError('conflict', `alert ${id} has no owner yet`, {
        hint: 'acknowledge it with {"owner": "..."} to give it one',
      });
    }
    if (alert.status !== 'acknowledged') throw notOpen(alert);
    if (alert.owner === owner) return alert;
    await update(tx, alert, { owner, updated_at: actor.now });
    await appendAlertEvents(tx, capabilities, [
      {
        alertId: id,
        kind: 'reassigned',
        actor: actor.name,
        reason,
        data: { from: alert.owner, to: owner },
        at: actor.now,
      },
    ]);
    return reload(tx, id);
  });
}

/** Extends an acknowledged alert's time box (running or run out) by `byMs`, with a reason. */
export async function extendTimeBox(
  db: Kysely<Schema>,
  capabilities: Capabilities,
  id: string,
  actor: Actor,
  byMs: number,
  reason: string,
): Promise<AlertRow> {
  return withAlert(db, capabilities, id, async (tx, alert) => {
    if (alert.status !== 'acknowledged' || alert.timebox_state === null || alert.timebox_ends_at === null) {
      throw new AlertActionError('conflict', `alert ${id} has no time box to extend`, {
        hint: 'time boxes start when a low-urgency alert is acknowledged',
      });
    }
    const from = Math.max(actor.now, alert.timebox_ends_at);
    const account = timeAccount(alert.acknowledged_at, alert.timebox_ends_at, actor.now);
    await update(tx, alert, {
      timebox_ends_at: from + byMs,
      timebox_state: 'running',
      updated_at: actor.now,
    });
    await appendAlertEvents(tx, capabilities, [
      {
        alertId: id,
        kind: 'timebox_extended',
        actor: actor.name,
        reason,
        data: {
          by_ms: byMs,
          ends_at: from + byMs,
          was_expired: alert.timebox_state === 'expired',
          time_spent_ms: account.spentMs,
          overrun_ms: account.overrunMs,
        },
        at: actor.now,
      },
    ]);
    return reload(tx, id);
  });
}

/**
 * Records the owner's decision on a run-out (or running) time box: `incident` keeps the alert
 * acknowledged and marks the box decided (the incident takes over) and, given `incident`, declares an
 * incident from the alert or links it to `incident.incidentId` in the same transaction (the event's
 * data names it); `defer` resolves the alert with the note as its follow-up; `extend` is extendTimeBox.
 */
export async function decideTimeBox(
  db: Kysely<Schema>,
  capabilities: Capabilities,
  id: string,
  actor: Actor,
  decision: TimeBoxDecision,
  note: string,
  extendByMs: number,
  incident?: { readonly settings: IncidentSettings; readonly incidentId?: string },
): Promise<AlertRow> {
  if (decision === 'extend') return extendTimeBox(db, capabilities, id, actor, extendByMs, note);
  return withAlert(db, capabilities, id, async (tx, alert) => {
    if (alert.status !== 'acknowledged' || alert.timebox_state === null) {
      throw new AlertActionError('conflict', `alert ${id} has no open time box to decide on`, {
        hint: 'a decision is asked for when an acknowledged alert’s time box runs out',
      });
    }
    const account = timeAccount(alert.acknowledged_at, alert.timebox_ends_at, actor.now);
    const declared =
      decision === 'incident' && incident
        ? await incidentFromAlert(
            { tx, capabilities },
            alert,
            { actor: actor.name, ...(incident.incidentId ? { incidentId: incident.incidentId } : {}) },
            incident.settings,
            actor.now,
          )
        : null;
    const data = {
      decision,
      time_spent_ms: account.spentMs,
      overrun_ms: account.overrunMs,
      owner: alert.owner,
      ...(declared ? { incident_id: declared.incidentId, incident_declared: declared.declared } : {}),
    };
    await appendAlertEvents(tx, capabilities, [
      { alertId: id, kind: 'timebox_decided', actor: actor.name, reason: note, data, at: actor.now },
    ]);
    if (decision === 'defer') {
      await resolveAlert(
        tx,
        capabilities,
        { id, status: 'acknowledged', groupId: alert.group_id },
        {
          resolution: 'deferred',
          actor: actor.name,
          reason: `deferred to a follow-up: ${note}`,
          at: actor.now,
        },
        { follow_up: note, time_spent_ms: account.spentMs, overrun_ms: account.overrunMs },
      );
    } else {
      await update(tx, alert, { timebox_state: 'decided', updated_at: actor.now });
    }
    return reload(tx, id);
  });
}

/**
 * Marks running time boxes that have run out at `now` as expired and asks their owner to decide
 * (a `timebox_expired` event). Returns the alerts that expired.
 */
export async function expireTimeBoxes(
  db: Kysely<Schema>,
  capabilities: Capabilities,
  now: number,
): Promise<readonly AlertRow[]> {
  const due = await db
    .selectFrom('alerts')
    .select('id')
    .where('timebox_state', '=', 'running')
    .where('timebox_ends_at', '<=', now)
    .limit(500)
    .execute();
  const expired: AlertRow[] = [];
  for (const { id } of due) {
    await db.transaction().execute(async (tx) => {
      const changed = await tx
        .updateTable('alerts')
        .set({ timebox_state: 'expired', updated_at: now })
        .where('id', '=', id)
        .where('timebox_state', '=', 'running')
        .where('status', '=', 'acknowledged')
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) !== 1) return; // decided, resolved or taken by another process
      const alert = await reload(tx, id);
      const account = timeAccount(alert.acknowledged_at, alert.timebox_ends_at, now);
      await appendAlertEvents(tx, capabilities, [
        {
          alertId: id,
          kind: 'timebox_expired',
          actor: 'firewatch',
          reason: `${alert.owner}: the time box ran out — decide: declare an incident, defer to a follow-up, or extend with a reason`,
          data: { owner: alert.owner, time_spent_ms: account.spentMs, decision_required: true },
          at: now,
        },
      ]);
      expired.push(alert);
    });
  }
  return expired;
}

async function withAlert<T>(
  db: Kysely<Schema>,
  capabilities: Capabilities,
  id: string,
  work: (tx: Tx, alert: AlertRow) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (tx) => {
    let select = tx.selectFrom('alerts').selectAll().where('id', '=', id);
    if (capabilities.rowLocks) select = select.forUpdate();
    const alert = await select.executeTakeFirst();
    if (!alert) {
      throw new AlertActionError('not_found', `no alert ${id}`, {
        hint: 'list alerts with GET /api/v1/alerts',
      });
    }
    return work(tx, alert);
  });
}

async function update(tx: Tx, alert: AlertRow, set: Partial<Omit<AlertRow, 'id'>>): Promise<void> {
  const result = await tx
    .updateTable('alerts')
    .set(set)
    .where('id', '=', alert.id)
    .where('status', '=', alert.status)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new AlertActionError('conflict', `alert ${alert.id} changed meanwhile; look again and retry`);
  }
}

async function reload(tx: Tx, id: string): Promise<AlertRow> {
  return tx.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function notOpen(alert: AlertRow): AlertActionError {
  return new AlertActionError('conflict', `alert ${alert.id} is ${alert.status}`, {
    hint: 'only firing or acknowledged alerts can be acted on',
  });
}
