import type { Kysely, Transaction } from 'kysely';
import type { DeliveryKind, MessageDraft, OutboundMessage } from '../notify/message.js';
import type { Capabilities } from './capabilities.js';
import { newId } from './new-id.js';
import type { NotificationRow, Schema } from './schema.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/** Where a notification goes: a person's contact method (a ContactMethod fits), or a subscriber's address. */
export interface NotificationTarget {
  /** The contact method's key; null for a subscriber. */
  readonly key: string | null;
  readonly kind: DeliveryKind;
  readonly address: string;
  /** Not stored here: the sender reads the secret from the contact method or subscriber at send time. */
  readonly secret?: string | null;
}

/** A message for the outbox: its dedup key makes enqueueing it twice a no-op. */
export interface NewNotification {
  readonly dedupKey: string;
  readonly pageId: string | null;
  readonly alertId: string | null;
  readonly personKey: string | null;
  /** The person's contact method, or the subscriber's address (the secret is read when sending). */
  readonly method: NotificationTarget;
  /** A status-page subscriber notice: the subscriber it is for (pageId and personKey are null then). */
  readonly subscriberId?: string | null;
  readonly reason: string;
  readonly urgency: 'high' | 'low';
  /** Not sent before this instant (notification-rule delays, working hours). */
  readonly deliverAt: number;
  readonly message: MessageDraft;
}

/** Writes notifications into the outbox (inside the caller's transaction); returns how many were new. */
export async function enqueueNotifications(
  tx: Db,
  capabilities: Capabilities,
  notifications: readonly NewNotification[],
  now: number,
): Promise<number> {
  if (notifications.length === 0) return 0;
  const methodIds = await contactMethodIds(tx, notifications);
  let added = 0;
  const chunk = Math.floor(capabilities.maxParameters / 26);
  for (let i = 0; i < notifications.length; i += chunk) {
    const rows = notifications.slice(i, i + chunk).map((n) => {
      const id = newId('ntf', now);
      const message: OutboundMessage = { ...n.message, id };
      return {
        id,
        subscriber_id: n.subscriberId ?? null,
        dedup_key: n.dedupKey,
        page_id: n.pageId,
        alert_id: n.alertId,
        person_key: n.personKey,
        method_key: n.method.key,
        contact_method_id: methodIds.get(`${n.personKey}/${n.method.key}`) ?? null,
        channel: n.method.kind,
        address: n.method.address,
        reason: n.reason,
        urgency: n.urgency,
        message: JSON.stringify(message),
        state: 'pending',
        attempts: 0,
        next_attempt_at: n.deliverAt,
        lease_owner: null,
        lease_until: null,
        bundle_id: null,
        sent_at: null,
        last_error: null,
        created_at: now,
        updated_at: now,
      };
    });
    const result = await tx
      .insertInto('notifications')
      .values(rows)
      .onConflict((oc) => oc.column('dedup_key').doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return added;
}

async function contactMethodIds(
  tx: Db,
  notifications: readonly NewNotification[],
): Promise<Map<string, string>> {
  const people = [...new Set(notifications.map((n) => n.personKey).filter((k): k is string => k !== null))];
  if (people.length === 0) return new Map();
  const rows = await tx
    .selectFrom('contact_methods')
    .innerJoin('people', 'people.id', 'contact_methods.person_id')
    .select(['people.key as person', 'contact_methods.key as method', 'contact_methods.id as id'])
    .where('people.key', 'in', people)
    .execute();
  return new Map(rows.map((r) => [`${r.person}/${r.method}`, r.id]));
}

/**
 * Claims up to `limit` due notifications for this process: pending ones whose time has come,
 * and ones whose sender's lease ran out (a process died mid-send). PostgreSQL skips rows another
 * process holds (`FOR UPDATE SKIP LOCKED`); the update is conditional either way, so a row is
 * claimed by one process at a time.
 */
export async function claimNotifications(
  db: Kysely<Schema>,
  capabilities: Capabilities,
  owner: string,
  now: number,
  options: { readonly limit: number; readonly leaseMs: number },
): Promise<NotificationRow[]> {
  return db.transaction().execute(async (tx) => {
    let select = tx
      .selectFrom('notifications')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('state', '=', 'sending'), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .limit(options.limit);
    if (capabilities.skipLocked) select = select.forUpdate().skipLocked();
    const ids = (await select.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    return tx
      .updateTable('notifications')
      .set({ state: 'sending', lease_owner: owner, lease_until: now + options.leaseMs, updated_at: now })
      .where('id', 'in', ids)
      .where((eb) =>
        eb.or([
          eb('state', '=', 'pending'),
          eb.and([eb('state', '=', 'sending'), eb('lease_until', '<', now)]),
        ]),
      )
      .returningAll()
      .execute();
  });
}

/** One delivery attempt's outcome, recorded as a notification_attempts row. */
export interface AttemptRecord {
  readonly notificationId: string;
  readonly attempt: number;
  readonly process: string;
  readonly result: 'sent' | 'retryable_error' | 'permanent_error' | 'cancelled';
  readonly detail: string | null;
  readonly error: string | null;
  readonly bundleId: string | null;
  readonly startedAt: number;
  readonly durationMs: number;
}

/**
 * Records an attempt and moves the notification on: sent, back to pending at `retryAt`, failed
 * or cancelled. Conditional on this process still holding the lease; false when it lost it.
 */
export async function finishAttempt(
  db: Kysely<Schema>,
  owner: string,
  record: AttemptRecord,
  next:
    | { readonly state: 'sent'; readonly at: number }
    | { readonly state: 'pending'; readonly retryAt: number; readonly error: string }
    | { readonly state: 'failed' | 'cancelled'; readonly error: string },
  now: number,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const result = await tx
      .updateTable('notifications')
      .set({
        state: next.state,
        attempts: record.attempt,
        lease_owner: null,
        lease_until: null,
        bundle_id: record.bundleId,
        sent_at: next.state === 'sent' ? next.at : null,
        next_attempt_at: next.state === 'pending' ? next.retryAt : now,
        last_error: 'error' in next ? next.error : null,
        updated_at: now,
      })
      .where('id', '=', record.notificationId)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await tx
      .insertInto('notification_attempts')
      .values({
        id: newId('att', now),
        notification_id: record.notificationId,
        attempt: record.attempt,
        process: record.process,
        result: record.result,
        detail: record.detail,
        error: record.error,
        bundle_id: record.bundleId,
        started_at: record.startedAt,
        duration_ms: record.durationMs,
      })
      .execute();
    return true;
  });
}

/** Gives claimed notifications back unattempted (rate limited): pending again at `at`. */
export async function postpone(
  db: Kysely<Schema>,
  owner: string,
  ids: readonly string[],
  at: number,
  now: number,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('notifications')
    .set({ state: 'pending', lease_owner: null, lease_until: null, next_attempt_at: at, updated_at: now })
    .where('id', 'in', ids)
    .where('lease_owner', '=', owner)
    .execute();
}

/** Send times of the messages that went to this address since `since` (a bundle counts once); oldest first. */
export async function sentSince(
  db: Kysely<Schema>,
  channel: string,
  address: string,
  since: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('notifications')
    .select(['sent_at', 'bundle_id'])
    .where('channel', '=', channel)
    .where('address', '=', address)
    .where('state', '=', 'sent')
    .where('sent_at', '>=', since)
    .orderBy('sent_at')
    .execute();
  const bundles = new Set<string>();
  const times: number[] = [];
  for (const row of rows) {
    if (row.bundle_id !== null) {
      if (bundles.has(row.bundle_id)) continue;
      bundles.add(row.bundle_id);
    }
    times.push(Number(row.sent_at));
  }
  return times;
}

/** Marks a contact method as broken after a permanent error (shown in the API until it changes). */
export async function flagContactMethod(
  db: Kysely<Schema>,
  contactMethodId: string,
  reason: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('contact_methods')
    .set({ flagged_at: now, flag_reason: reason, updated_at: now })
    .where('id', '=', contactMethodId)
    .execute();
}

/** Whether a page still wants its notifications: status of the page a notification belongs to. */
export async function pageStatuses(
  db: Kysely<Schema>,
  pageIds: readonly string[],
): Promise<Map<string, string>> {
  if (pageIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('pages')
    .select(['id', 'status'])
    .where('id', 'in', [...pageIds])
    .execute();
  return new Map(rows.map((r) => [r.id, r.status]));
}

/** Whether a subscriber still wants notices: when it confirmed and when it unsubscribed. */
export interface SubscriberState {
  readonly confirmedAt: number | null;
  readonly unsubscribedAt: number | null;
}

/** The state of each of these subscribers (missing ones are absent from the map). */
export async function subscriberStates(
  db: Kysely<Schema>,
  subscriberIds: readonly string[],
): Promise<Map<string, SubscriberState>> {
  if (subscriberIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('subscribers')
    .select(['id', 'confirmed_at', 'unsubscribed_at'])
    .where('id', 'in', [...new Set(subscriberIds)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        confirmedAt: r.confirmed_at === null ? null : Number(r.confirmed_at),
        unsubscribedAt: r.unsubscribed_at === null ? null : Number(r.unsubscribed_at),
      },
    ]),
  );
}
