import type { Kysely } from 'kysely';
import type { NotificationRow, PageRow, Schema } from './schema.js';

/** A page as the API shows it. */
function pageView(page: PageRow) {
  return {
    id: page.id,
    group_id: page.group_id,
    alert_id: page.alert_id,
    policy: page.policy_key,
    severity: page.severity,
    urgency: page.urgency,
    status: page.status,
    round: page.round,
    next_step: page.next_step,
    next_due_at: iso(page.next_due_at),
    acknowledged_by: page.acknowledged_by,
    acknowledged_at: iso(page.acknowledged_at),
    reminders_sent: page.reminders_sent,
    created_at: iso(page.created_at),
  };
}

/**
 * A notification as the API shows it. Webhook URLs are credentials (Slack's are), so only their
 * host is shown; email addresses are shown whole.
 */
function notificationView(row: NotificationRow) {
  return {
    id: row.id,
    page_id: row.page_id,
    alert_id: row.alert_id,
    person: row.person_key,
    method: row.method_key,
    channel: row.channel,
    to: row.channel === 'email' ? row.address : hostOf(row.address),
    reason: row.reason,
    urgency: row.urgency,
    state: row.state,
    attempts: row.attempts,
    next_attempt_at: row.state === 'pending' ? iso(row.next_attempt_at) : null,
    sent_at: iso(row.sent_at),
    bundle_id: row.bundle_id,
    last_error: row.last_error,
    created_at: iso(row.created_at),
  };
}

export async function listPages(
  db: Kysely<Schema>,
  filter: { readonly status: string | null; readonly limit: number },
) {
  let query = db.selectFrom('pages').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.status) query = query.where('status', '=', filter.status);
  return (await query.execute()).map(pageView);
}

/** One page with every notification it made and every attempt to deliver them. */
export async function getPage(db: Kysely<Schema>, id: string) {
  const page = await db.selectFrom('pages').selectAll().where('id', '=', id).executeTakeFirst();
  if (!page) return null;
  const notifications = await db
    .selectFrom('notifications')
    .selectAll()
    .where('page_id', '=', id)
    .orderBy('id')
    .execute();
  const attempts =
    notifications.length === 0
      ? []
      : await db
          .selectFrom('notification_attempts')
          .selectAll()
          .where(
            'notification_id',
            'in',
            notifications.map((n) => n.id),
          )
          .orderBy('id')
          .execute();
  return {
    page: pageView(page),
    notifications: notifications.map((n) => ({
      ...notificationView(n),
      attempts: attempts
        .filter((a) => a.notification_id === n.id)
        .map((a) => ({
          attempt: a.attempt,
          process: a.process,
          result: a.result,
          detail: a.detail,
          error: a.error,
          bundle_id: a.bundle_id,
          at: iso(a.started_at),
          duration_ms: a.duration_ms,
        })),
    })),
  };
}

export async function listNotifications(
  db: Kysely<Schema>,
  filter: { readonly state: string | null; readonly limit: number },
) {
  let query = db.selectFrom('notifications').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.state) query = query.where('state', '=', filter.state);
  return (await query.execute()).map(notificationView);
}

export async function listFollowUps(
  db: Kysely<Schema>,
  filter: { readonly state: string | null; readonly limit: number },
) {
  let query = db.selectFrom('follow_ups').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.state) query = query.where('state', '=', filter.state);
  return (await query.execute()).map((f) => ({
    id: f.id,
    source: f.source,
    source_id: f.source_id,
    title: f.title,
    state: f.state,
    owner: f.owner,
    due_at: iso(f.due_at),
    created_at: iso(f.created_at),
  }));
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(Number(ms)).toISOString();
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}
