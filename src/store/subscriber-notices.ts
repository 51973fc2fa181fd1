import type { Kysely, Transaction } from 'kysely';
import { dueMaintenanceNotices } from '../incidents/due-maintenance-notices.js';
import type { Impact, IncidentStatus } from '../incidents/incident.js';
import type { MessageDraft } from '../notify/message.js';
import { type ComponentStatus, indicatorFor, worstStatus } from '../statuspage/component-status.js';
import {
  type IncidentNotice,
  incidentEmail,
  incidentWebhook,
  maintenanceEmail,
  maintenanceWebhook,
  type NoticePage,
  type NoticeUpdate,
} from '../statuspage/subscriber-messages.js';
import type { Capabilities } from './capabilities.js';
import type { Database } from './database.js';
import { loadNoticeMaintenances, maintenanceNotice } from './notice-maintenances.js';
import { enqueueNotifications, type NewNotification } from './outbox-repository.js';
import type { Schema } from './schema.js';
import { parseCommunities } from './subscriber-repository.js';

type Db = Kysely<Schema> | Transaction<Schema>;

interface PageSettings {
  readonly pageUrl: string;
  readonly pageName: string;
}

/** A confirmed, subscribed subscriber as the notices need it. */
interface Recipient {
  readonly id: string;
  readonly kind: string;
  readonly address: string;
  readonly communities: readonly string[] | null;
  readonly unsubscribeToken: string;
}

/**
 * Enqueues (in the caller's transaction) one notice per confirmed subscriber whose scope covers the
 * incident, for a PUBLISHED public update. Dedup key `sub:<subscriberId>:upd:<updateId>`. Returns count.
 * A subscriber's scope covers an incident when it is the whole fleet, or one of its communities owns an
 * affected component or depends on an affected shared one.
 */
export async function enqueueIncidentNotices(
  tx: Kysely<Schema> | Transaction<Schema>,
  capabilities: Capabilities,
  input: { readonly incidentId: string; readonly updateId: string },
  page: { readonly pageUrl: string; readonly pageName: string },
  now: number,
): Promise<number> {
  const incident = await loadIncident(tx, input.incidentId, input.updateId);
  if (incident === null) return 0;
  const recipients = await recipientsFor(tx, await scopeOf(tx, incident.componentIds));
  if (recipients.length === 0) return 0;
  const noticePage = await pageOf(tx, page);
  const notifications = recipients.map((r) =>
    noticeFor(r, `sub:${r.id}:upd:${input.updateId}`, noticePage, now, (unsubscribe) =>
      r.kind === 'webhook'
        ? incidentWebhook(noticePage, incident.notice, unsubscribe)
        : incidentEmail(noticePage, incident.notice, unsubscribe),
    ),
  );
  return enqueueNotifications(tx, capabilities, notifications, now);
}

/**
 * Enqueues ahead/start/end notices for maintenance occurrences that are due (idempotent by dedup key
 * `sub:<id>:mnt:<maintenanceId>:<occurrenceStart>:<phase>`); a phase whose moment passed more than
 * an hour ago is skipped, never sent late. Called every few seconds by the incident engine. Returns count.
 */
export async function enqueueMaintenanceNotices(
  database: Database,
  page: { readonly pageUrl: string; readonly pageName: string },
  now: number,
): Promise<number> {
  const { db, capabilities } = database;
  const due = (await loadNoticeMaintenances(db, now)).flatMap((window) =>
    dueMaintenanceNotices(window, now).map((notice) => ({ window, ...notice })),
  );
  if (due.length === 0) return 0;
  let noticePage: NoticePage | null = null;
  let added = 0;
  for (const { window, occurrence, phase } of due) {
    const recipients = await recipientsFor(db, await scopeOf(db, window.componentIds));
    const keyOf = (r: Recipient) => `sub:${r.id}:mnt:${window.id}:${occurrence.start}:${phase}`;
    const missing = await withoutExisting(db, recipients, keyOf);
    if (missing.length === 0) continue;
    const from: NoticePage = noticePage ?? (await pageOf(db, page));
    noticePage = from;
    const notice = maintenanceNotice(window, occurrence, phase);
    const notifications = missing.map((r) =>
      noticeFor(r, keyOf(r), from, now, (unsubscribe) =>
        r.kind === 'webhook'
          ? maintenanceWebhook(from, notice, unsubscribe)
          : maintenanceEmail(from, notice, unsubscribe),
      ),
    );
    added += await db
      .transaction()
      .execute((tx) => enqueueNotifications(tx, capabilities, notifications, now));
  }
  return added;
}

function noticeFor(
  r: Recipient,
  dedupKey: string,
  page: NoticePage,
  now: number,
  build: (unsubscribeUrl: string) => MessageDraft,
): NewNotification {
  return {
    dedupKey,
    pageId: null,
    alertId: null,
    personKey: null,
    method: { key: null, kind: r.kind === 'webhook' ? 'statuspage_webhook' : 'email', address: r.address },
    subscriberId: r.id,
    reason: 'subscriber',
    urgency: 'low',
    deliverAt: now,
    message: build(`${page.pageUrl}/unsubscribe/${r.unsubscribeToken}`),
  };
}

async function loadIncident(db: Db, incidentId: string, updateId: string) {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', incidentId).executeTakeFirst();
  if (!row || row.published_at === null) return null;
  const updates = await db
    .selectFrom('incident_updates')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('kind', '=', 'public')
    .where('state', '=', 'published')
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const views: NoticeUpdate[] = updates.map((u) => ({
    id: u.id,
    status: u.status as IncidentStatus,
    body: u.body,
    affected: (
      JSON.parse(u.affected) as {
        component_id: string;
        name: string;
        old_status: string;
        new_status: string;
      }[]
    ).map((a) => ({
      componentId: a.component_id,
      name: a.name,
      oldStatus: a.old_status as ComponentStatus,
      newStatus: a.new_status as ComponentStatus,
    })),
    createdAt: Number(u.created_at),
    publishedAt: Number(u.published_at ?? u.created_at),
  }));
  const update = views.find((u) => u.id === updateId);
  if (update === undefined) return null;
  const components = await db
    .selectFrom('incident_components')
    .innerJoin('components', 'components.id', 'incident_components.component_id')
    .select(['components.id', 'components.name', 'components.community_id', 'incident_components.status'])
    .where('incident_components.incident_id', '=', incidentId)
    .orderBy('components.position')
    .orderBy('components.name')
    .execute();
  const notice: IncidentNotice = {
    id: row.id,
    title: row.title,
    status: row.status as IncidentStatus,
    impact: row.impact as Impact,
    createdAt: Number(row.published_at),
    updatedAt: Number(row.updated_at),
    monitoringAt: row.monitoring_at === null ? null : Number(row.monitoring_at),
    resolvedAt: row.resolved_at === null ? null : Number(row.resolved_at),
    components: components.map((c) => ({ id: c.id, name: c.name, status: c.status as ComponentStatus })),
    update,
    updates: views,
  };
  return { notice, componentIds: components.map((c) => c.id) };
}

/** Slugs of the communities whose page shows these components: owners, and dependents of shared ones. */
async function scopeOf(db: Db, componentIds: readonly string[]): Promise<Set<string>> {
  if (componentIds.length === 0) return new Set();
  const owners = await db
    .selectFrom('components')
    .innerJoin('communities', 'communities.id', 'components.community_id')
    .select('communities.slug')
    .where('components.id', 'in', [...componentIds])
    .execute();
  const dependents = await db
    .selectFrom('community_dependencies')
    .innerJoin('communities', 'communities.id', 'community_dependencies.community_id')
    .select('communities.slug')
    .where('community_dependencies.component_id', 'in', [...componentIds])
    .execute();
  return new Set([...owners, ...dependents].map((r) => r.slug));
}

/** Confirmed, subscribed subscribers whose scope (the whole fleet, or communities) meets `scope`. */
async function recipientsFor(db: Db, scope: ReadonlySet<string>): Promise<Recipient[]> {
  const rows = await db
    .selectFrom('subscribers')
    .select(['id', 'kind', 'address', 'communities', 'unsubscribe_token'])
    .where('confirmed_at', 'is not', null)
    .where('unsubscribed_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      address: r.address,
      communities: parseCommunities(r.communities),
      unsubscribeToken: r.unsubscribe_token,
    }))
    .filter((r) => r.communities === null || r.communities.some((slug) => scope.has(slug)));
}

// Every few seconds for an hour the same phase is due again: look up which keys exist instead of
// building and inserting thousands of messages only for the dedup key to refuse them.
async function withoutExisting(
  db: Db,
  recipients: readonly Recipient[],
  keyOf: (r: Recipient) => string,
): Promise<Recipient[]> {
  const existing = new Set<string>();
  for (let i = 0; i < recipients.length; i += 500) {
    const keys = recipients.slice(i, i + 500).map(keyOf);
    const rows = await db
      .selectFrom('notifications')
      .select('dedup_key')
      .where('dedup_key', 'in', keys)
      .execute();
    for (const row of rows) existing.add(row.dedup_key);
  }
  return recipients.filter((r) => !existing.has(keyOf(r)));
}

/** The page's indicator now: the worst of every component's monitored status and what open incidents declare. */
async function pageOf(db: Db, page: PageSettings): Promise<NoticePage> {
  const monitored = await db.selectFrom('components').select('status').distinct().execute();
  const declared = await db
    .selectFrom('incident_components')
    .innerJoin('incidents', 'incidents.id', 'incident_components.incident_id')
    .select('incident_components.status')
    .distinct()
    .where('incidents.published_at', 'is not', null)
    .where('incidents.status', 'in', ['investigating', 'identified', 'monitoring'])
    .execute();
  const worst = worstStatus([...monitored, ...declared].map((r) => r.status as ComponentStatus));
  return {
    pageName: page.pageName,
    pageUrl: page.pageUrl.replace(/\/$/, ''),
    indicator: indicatorFor(worst),
  };
}
