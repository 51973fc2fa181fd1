import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import {
  acknowledgePage,
  fireReminder,
  fireStep,
  openPage,
  type PageState,
  type PageStatus,
  resolvePage,
} from '../oncall/escalation.js';
import type { OncallDirectory } from '../oncall/oncall-directory.js';
import { type PagedAlert, pageMessage } from '../oncall/page-message.js';
import { planNotifications } from '../oncall/plan-notifications.js';
import { resolveTargets } from '../oncall/resolve-targets.js';
import { policyFor } from '../oncall/routing.js';
import { describeRow, rowForSeverity, type UrgencyRow } from '../oncall/urgency-matrix.js';
import type { Severity } from '../rules/signal.js';
import { appendAlertEvents } from './alert-writes.js';
import type { Capabilities } from './capabilities.js';
import { enqueueNotifications, type NewNotification } from './outbox-repository.js';
import type { AlertRow, PageRow, Schema } from './schema.js';

type Tx = Transaction<Schema>;

const ENGINE = 'firewatch';
const ROUTE_BATCH = 200;
const SWEEP_BATCH = 50;

/**
 * Gives every new alert its urgency (the matrix row for its severity) and starts paging: a
 * firing, unmuted alert of high or low urgency opens its group's page (one per group: the unique
 * group_id makes a second process's insert a no-op); a follow-up alert opens a follow-up. Returns
 * the ids of pages opened.
 */
export async function routeNewAlerts(
  db: Kysely<Schema>,
  capabilities: Capabilities,
  directory: OncallDirectory,
  now: number,
): Promise<string[]> {
  const fresh = await db
    .selectFrom('alerts')
    .selectAll()
    .where('urgency', 'is', null)
    .orderBy('id')
    .limit(ROUTE_BATCH)
    .execute();
  const opened: string[] = [];
  for (const alert of fresh) {
    const pageId = await db.transaction().execute((tx) => routeOne(tx, capabilities, directory, alert, now));
    if (pageId) opened.push(pageId);
  }
  return opened;
}

async function routeOne(
  tx: Tx,
  capabilities: Capabilities,
  directory: OncallDirectory,
  alert: AlertRow,
  now: number,
): Promise<string | null> {
  const row = rowForSeverity(directory.urgency, alert.severity as Severity);
  const stamped = await tx
    .updateTable('alerts')
    .set({ urgency: row.urgency, urgency_row: describeRow(row) })
    .where('id', '=', alert.id)
    .where('urgency', 'is', null)
    .executeTakeFirst();
  if (Number(stamped.numUpdatedRows) !== 1) return null; // another process routed it
  const labels = JSON.parse(alert.labels) as Record<string, string>;
  const policy = row.urgency === 'follow_up' ? null : policyFor(directory.routing, labels);
  const live = alert.status === 'firing' && alert.muted_by === null;
  await appendAlertEvents(tx, capabilities, [
    {
      alertId: alert.id,
      kind: 'routed',
      actor: ENGINE,
      reason: live ? null : alert.muted_by !== null ? 'muted: nobody is paged' : `alert is ${alert.status}`,
      data: { urgency_row: describeRow(row), urgency: row.urgency, policy },
      at: now,
    },
  ]);
  if (!live) return null;
  if (row.urgency === 'follow_up') {
    await tx
      .insertInto('follow_ups')
      .values({
        id: `fup_${alert.id}`,
        source: 'alert',
        source_id: alert.id,
        title: alert.summary,
        state: 'open',
        owner: null,
        due_at: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['source', 'source_id']).doNothing())
      .execute();
    await appendAlertEvents(tx, capabilities, [
      { alertId: alert.id, kind: 'follow_up_opened', actor: ENGINE, reason: row.urgency, at: now },
    ]);
    return null;
  }
  if (alert.group_id === null) return null;
  const state: PageState = policy
    ? openPage(now)
    : { ...openPage(now), status: 'exhausted', nextDueAt: null };
  const id = `pag_${alert.group_id}`;
  const inserted = await tx
    .insertInto('pages')
    .values({
      id,
      group_id: alert.group_id,
      alert_id: alert.id,
      policy_key: policy,
      severity: alert.severity,
      urgency: row.urgency,
      ...stateColumns(state),
      acknowledged_by: null,
      acknowledged_at: null,
      version: 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('group_id').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return id;
  // The group already has a page. A firing alert joining it after everything was resolved pages
  // again — about this alert, under its own urgency and policy; so does a high-urgency alert
  // joining a page whose escalation ran out or that was only low urgency. An acknowledged page
  // is left to its owner.
  if (policy === null) return null;
  const high = row.urgency === 'high';
  const reopened = await tx
    .updateTable('pages')
    .set((eb) => ({
      ...stateColumns(openPage(now)),
      alert_id: alert.id,
      severity: alert.severity,
      urgency: row.urgency,
      policy_key: policy,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('group_id', '=', alert.group_id)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'resolved'),
        ...(high
          ? [
              eb('status', '=', 'exhausted'),
              eb.and([eb('status', '=', 'escalating'), eb('urgency', '!=', 'high')]),
            ]
          : []),
      ]),
    )
    .executeTakeFirst();
  return Number(reopened.numUpdatedRows) === 1 ? id : null;
}

function stateColumns(state: PageState) {
  return {
    status: state.status,
    round: state.round,
    next_step: state.nextStep,
    next_due_at: state.nextDueAt,
    reminders_sent: state.remindersSent,
  };
}

function stateOf(page: PageRow): PageState {
  return {
    status: page.status as PageStatus,
    round: page.round,
    nextStep: page.next_step,
    nextDueAt: page.next_due_at === null ? null : Number(page.next_due_at),
    remindersSent: page.reminders_sent,
  };
}

/** What the sweep did to one page. */
export interface PageSweep {
  readonly pageId: string;
  readonly did: 'escalated' | 'reminded' | 'acknowledged' | 'resolved' | 'nothing';
  readonly people: readonly string[];
  readonly notifications: number;
}

/**
 * Walks every due page one step: fires its escalation step (or the owner's reminder) and enqueues
 * the notifications, or — when everything in its group is acknowledged or resolved by now —
 * stops it. Each page is handled in its own transaction under a row lock, and written only if
 * its version is unchanged, so several processes sweeping together fire each step once.
 */
export async function sweepPages(
  db: Kysely<Schema>,
  capabilities: Capabilities,
  directory: OncallDirectory,
  now: number,
  links: { readonly alertUrl: (alertId: string) => string },
): Promise<PageSweep[]> {
  let due = db
    .selectFrom('pages')
    .select('id')
    .where('status', 'in', ['escalating', 'acknowledged'])
    .where('next_due_at', '<=', now)
    .orderBy('next_due_at')
    .limit(SWEEP_BATCH);
  const ids = (await due.execute()).map((r) => r.id);
  // Pages whose group is settled, due or not: their status follows the group at once.
  // Unowned = firing and not muted (what pages); open = unowned or acknowledged (muted or not).
  type PagesEb = ExpressionBuilder<Schema & { pages: PageRow }, 'pages'>;
  const inGroup = (eb: PagesEb) =>
    eb.selectFrom('alerts').select('alerts.id').whereRef('alerts.group_id', '=', 'pages.group_id');
  const unowned = (eb: PagesEb) =>
    eb.exists(inGroup(eb).where('alerts.status', '=', 'firing').where('alerts.muted_by', 'is', null));
  const open = (eb: PagesEb) =>
    eb.or([unowned(eb), eb.exists(inGroup(eb).where('alerts.status', '=', 'acknowledged'))]);
  due = db
    .selectFrom('pages')
    .select('pages.id')
    .where((eb) =>
      eb.or([
        eb.and([eb('pages.status', 'in', ['escalating', 'exhausted']), eb.not(unowned(eb))]),
        eb.and([eb('pages.status', '=', 'acknowledged'), eb.not(open(eb))]),
      ]),
    )
    .orderBy('pages.id')
    .limit(SWEEP_BATCH);
  for (const row of await due.execute()) if (!ids.includes(row.id)) ids.push(row.id);
  const results: PageSweep[] = [];
  for (const id of ids) {
    results.push(
      await db.transaction().execute((tx) => sweepOne(tx, capabilities, directory, id, now, links)),
    );
  }
  return results;
}

async function sweepOne(
  tx: Tx,
  capabilities: Capabilities,
  directory: OncallDirectory,
  id: string,
  now: number,
  links: { readonly alertUrl: (alertId: string) => string },
): Promise<PageSweep> {
  const nothing: PageSweep = { pageId: id, did: 'nothing', people: [], notifications: 0 };
  let select = tx.selectFrom('pages').selectAll().where('id', '=', id);
  if (capabilities.rowLocks) select = select.forUpdate();
  const page = await select.executeTakeFirst();
  if (!page) return nothing;
  const state = stateOf(page);
  const policy = page.policy_key ? (directory.policies.get(page.policy_key) ?? null) : null;
  const alerts = await tx
    .selectFrom('alerts')
    .selectAll()
    .where('group_id', '=', page.group_id)
    .orderBy('id')
    .execute();
  const firing = alerts.filter((a) => a.status === 'firing' && a.muted_by === null);
  const acknowledged = alerts.filter((a) => a.status === 'acknowledged');

  if (state.status !== 'acknowledged' && firing.length === 0) {
    const owner = acknowledged[0];
    const ackAt = Number(owner?.acknowledged_at ?? now);
    const next = owner ? acknowledgePage(policy, state, ackAt) : resolvePage(state);
    await writeState(tx, page, next, now, owner ? { by: owner.owner, at: ackAt } : null);
    return { ...nothing, did: owner ? 'acknowledged' : 'resolved' };
  }
  if (state.status === 'acknowledged' && firing.length === 0 && acknowledged.length === 0) {
    await writeState(tx, page, resolvePage(state), now, null);
    return { ...nothing, did: 'resolved' };
  }
  const row = rowForSeverity(directory.urgency, page.severity as Severity);
  const lead = alerts.find((a) => a.id === page.alert_id) ?? alerts[0];
  // A due page that cannot act (its policy was deleted or shortened, its group is empty) stops
  // being due, or it would come first in every sweep and hold up the others.
  const stop = async (reason: string): Promise<PageSweep> => {
    await writeState(
      tx,
      page,
      { ...state, status: state.status === 'acknowledged' ? 'acknowledged' : 'exhausted', nextDueAt: null },
      now,
      null,
    );
    if (lead) {
      await appendAlertEvents(tx, capabilities, [
        {
          alertId: lead.id,
          kind: 'escalated',
          actor: ENGINE,
          reason,
          data: { policy: page.policy_key },
          at: now,
        },
      ]);
    }
    return nothing;
  };
  const due = state.nextDueAt !== null && state.nextDueAt <= now;
  if (!lead || !policy)
    return due ? stop(`escalation stopped: policy ${page.policy_key ?? '(none)'} is gone`) : nothing;
  const alert = pagedAlert(lead, row);

  if (state.status === 'escalating') {
    const firingStep = fireStep(policy, state, now, row.urgency === 'high');
    if (!firingStep) return due ? stop('escalation stopped: the policy has no such step any more') : nothing;
    const people = resolveTargets(firingStep.step, directory, now);
    const notifications = people.flatMap((personKey) =>
      planFor(directory, personKey, row, now).map(
        (planned, rule): NewNotification => ({
          // One row per notification rule: two rules may use one method (now, and again after 5 min).
          dedupKey: `page:${page.id}:v${page.version}:r${firingStep.round}:s${firingStep.stepIndex}:${personKey}:${planned.method.key}:${rule}`,
          pageId: page.id,
          alertId: lead.id,
          personKey,
          method: planned.method,
          reason: row.urgency === 'high' ? 'page' : 'notify',
          urgency: planned.urgency,
          deliverAt: planned.deliverAt,
          message: pageMessage({
            kind: row.urgency === 'high' ? 'page' : 'notify',
            alert,
            openAlerts: firing.length,
            step: firingStep.stepIndex,
            urgency: planned.urgency,
            alertUrl: links.alertUrl(lead.id),
            at: now,
          }),
        }),
      ),
    );
    await enqueueNotifications(tx, capabilities, notifications, now);
    await appendAlertEvents(tx, capabilities, [
      {
        alertId: lead.id,
        kind: 'escalated',
        actor: ENGINE,
        reason: people.length === 0 ? 'nobody on call for this step' : null,
        data: { step: firingStep.stepIndex + 1, round: firingStep.round, people, policy: policy.key },
        at: now,
      },
    ]);
    await writeState(tx, page, firingStep.next, now, null);
    return { pageId: page.id, did: 'escalated', people, notifications: notifications.length };
  }

  const reminder = fireReminder(policy, state, now);
  // The owner now: whoever holds an acknowledged alert of the group (alerts change hands).
  const owner = acknowledged[0]?.owner ?? page.acknowledged_by;
  if (!reminder) return nothing;
  if (owner === null) return stop('no owner to remind');
  const notifications = planFor(directory, owner, { ...row, workingHoursOnly: false }, now).map(
    (planned): NewNotification => ({
      dedupKey: `reminder:${page.id}:${page.acknowledged_at}:${reminder.reminder}:${planned.method.key}`,
      pageId: page.id,
      alertId: lead.id,
      personKey: owner,
      method: planned.method,
      reason: 'reminder',
      urgency: 'low',
      deliverAt: now,
      message: pageMessage({
        kind: 'reminder',
        alert,
        openAlerts: firing.length + acknowledged.length,
        step: null,
        urgency: 'low',
        alertUrl: links.alertUrl(lead.id),
        at: now,
      }),
    }),
  );
  await enqueueNotifications(tx, capabilities, notifications, now);
  await appendAlertEvents(tx, capabilities, [
    {
      alertId: lead.id,
      kind: 'reminded',
      actor: ENGINE,
      reason: null,
      data: { owner, reminder: reminder.reminder },
      at: now,
    },
  ]);
  await writeState(tx, page, reminder.next, now, null);
  return { pageId: page.id, did: 'reminded', people: [owner], notifications: notifications.length };
}

function planFor(directory: OncallDirectory, personKey: string, row: UrgencyRow, now: number) {
  const person = directory.people.get(personKey);
  return person ? planNotifications(person, row, now) : [];
}

function pagedAlert(alert: AlertRow, row: UrgencyRow): PagedAlert {
  return {
    id: alert.id,
    severity: alert.severity,
    summary: alert.summary,
    community: alert.community,
    component: alert.component,
    firedAt: Number(alert.fired_at),
    urgencyRow: alert.urgency_row ?? describeRow(row),
  };
}

async function writeState(
  tx: Tx,
  page: PageRow,
  next: PageState,
  now: number,
  acknowledged: { readonly by: string | null; readonly at: number } | null,
): Promise<void> {
  const result = await tx
    .updateTable('pages')
    .set({
      ...stateColumns(next),
      ...(acknowledged ? { acknowledged_by: acknowledged.by, acknowledged_at: acknowledged.at } : {}),
      version: page.version + 1,
      updated_at: now,
    })
    .where('id', '=', page.id)
    .where('version', '=', page.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new PageRaceError(page.id);
  // What was queued for an earlier state is no longer wanted: pages and notifications once
  // acknowledged, everything once resolved (so a later reopen does not send them after all).
  if (next.status !== page.status && (next.status === 'acknowledged' || next.status === 'resolved')) {
    const reasons = next.status === 'resolved' ? ['page', 'notify', 'reminder'] : ['page', 'notify'];
    await tx
      .updateTable('notifications')
      .set({ state: 'cancelled', last_error: `page ${next.status}`, updated_at: now })
      .where('page_id', '=', page.id)
      .where('state', '=', 'pending')
      .where('reason', 'in', reasons)
      .execute();
  }
}

/** Another process changed the page between our read and write (only without row locks). */
export class PageRaceError extends Error {
  constructor(pageId: string) {
    super(`page ${pageId} changed while it was being swept; the other change wins`);
  }
}
