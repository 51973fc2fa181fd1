import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { confirmationEmail } from '../statuspage/subscriber-messages.js';
import type { Database } from './database.js';
import { newId } from './new-id.js';
import { enqueueNotifications } from './outbox-repository.js';
import type { Schema, SubscriberRow } from './schema.js';
import { hashToken } from './token-repository.js';

/** A status-page subscriber as the API shows it: never its secret or tokens. */
export interface Subscriber {
  readonly id: string;
  readonly kind: 'email' | 'webhook';
  /** The email address, or the webhook URL's host (the URL may carry a credential). */
  readonly to: string;
  /** Community slugs; null = the whole fleet. */
  readonly communities: readonly string[] | null;
  /** pending = waiting for the email confirmation; active = gets notices. */
  readonly state: 'pending' | 'active' | 'unsubscribed';
  readonly confirmedAt: number | null;
  readonly unsubscribedAt: number | null;
  readonly createdAt: number;
}

/** How long a confirmation link works. */
export const CONFIRM_TTL_MS = 7 * 86_400_000;
/** A pending address is sent at most one confirmation email in this time, however often it subscribes. */
export const RESEND_AFTER_MS = 10 * 60_000;

/** The page links go to. */
export interface SubscriptionPage {
  readonly pageName: string;
  /** No trailing slash. */
  readonly pageUrl: string;
}

/** The community slugs among `slugs` that do not exist. */
export async function unknownCommunities(db: Kysely<Schema>, slugs: readonly string[]): Promise<string[]> {
  if (slugs.length === 0) return [];
  const rows = await db
    .selectFrom('communities')
    .select('slug')
    .where('slug', 'in', [...slugs])
    .execute();
  const known = new Set(rows.map((r) => r.slug));
  return slugs.filter((slug) => !known.has(slug));
}

/**
 * Subscribes a (normalised) email address: a new address is stored unconfirmed and sent a
 * confirmation email through the outbox; a pending or unsubscribed one gets a fresh confirmation
 * link (and the new scope) unless one went out within RESEND_AFTER_MS; a confirmed one is left as it
 * is. One row per address (its id derives from it), so concurrent requests never duplicate it.
 * Returns whether an email was queued — for tests and logs only: callers answer the same either way.
 */
export async function subscribeEmail(
  database: Database,
  input: { readonly address: string; readonly communities: readonly string[] | null },
  page: SubscriptionPage,
  now: number,
): Promise<{ readonly subscriberId: string; readonly queued: boolean }> {
  const id = `sub_${createHash('sha256').update(`email:${input.address}`).digest('hex').slice(0, 24)}`;
  const communities =
    input.communities === null ? null : JSON.stringify([...new Set(input.communities)].sort());
  return database.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('subscribers')
      .values({
        id,
        kind: 'email',
        address: input.address,
        communities,
        secret: null,
        confirm_token_hash: null,
        unsubscribe_token: randomToken(),
        confirmed_at: null,
        unsubscribed_at: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const row = await lockSubscriber(tx, database, id);
    if (row.confirmed_at !== null && row.unsubscribed_at === null) return { subscriberId: id, queued: false };
    if ((await lastConfirmationAt(tx, id)) > now - RESEND_AFTER_MS) {
      return { subscriberId: id, queued: false };
    }
    const token = randomToken();
    const hash = hashToken(token);
    await tx
      .updateTable('subscribers')
      .set({
        communities,
        confirm_token_hash: hash,
        confirmed_at: null,
        unsubscribed_at: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    const message = confirmationEmail(page, {
      confirmUrl: `${page.pageUrl}/subscribe/confirm/${token}`,
      scope: input.communities,
      at: now,
    });
    await enqueueNotifications(
      tx,
      database.capabilities,
      [
        {
          dedupKey: `sub:${id}:confirm:${hash.slice(0, 16)}`,
          pageId: null,
          alertId: null,
          personKey: null,
          method: { key: null, kind: 'email', address: input.address },
          subscriberId: id,
          reason: 'subscriber_confirm',
          urgency: 'low',
          deliverAt: now,
          message,
        },
      ],
      now,
    );
    return { subscriberId: id, queued: true };
  });
}

/**
 * The subscriber a confirmation token belongs to while it can still be confirmed, or why not:
 * unknown (never issued, already used, or replaced by a newer link) or expired.
 */
export async function findConfirmation(
  db: Kysely<Schema>,
  token: string,
  now: number,
): Promise<{ readonly subscriber: Subscriber } | { readonly problem: 'unknown' | 'expired' }> {
  const row = await db
    .selectFrom('subscribers')
    .selectAll()
    .where('confirm_token_hash', '=', hashToken(token))
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  if (!row) return { problem: 'unknown' };
  if (Number(row.updated_at) <= now - CONFIRM_TTL_MS) return { problem: 'expired' };
  return { subscriber: subscriberView(row) };
}

/** Confirms the subscription a token belongs to (conditional: once, before it expires). */
export async function confirmSubscriber(
  db: Kysely<Schema>,
  token: string,
  now: number,
): Promise<{ readonly subscriber: Subscriber } | { readonly problem: 'unknown' | 'expired' }> {
  const found = await findConfirmation(db, token, now);
  if ('problem' in found) return found;
  const result = await db
    .updateTable('subscribers')
    .set({ confirmed_at: now, confirm_token_hash: null, unsubscribed_at: null, updated_at: now })
    .where('id', '=', found.subscriber.id)
    .where('confirm_token_hash', '=', hashToken(token))
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  // Nothing updated: a concurrent request confirmed it, or a newer link replaced this one.
  if (Number(result.numUpdatedRows) !== 1) return { problem: 'unknown' };
  return { subscriber: { ...found.subscriber, state: 'active', confirmedAt: now, unsubscribedAt: null } };
}

/** The subscriber behind an unsubscribe token, or null. */
export async function findByUnsubscribeToken(db: Kysely<Schema>, token: string): Promise<Subscriber | null> {
  const row = await db
    .selectFrom('subscribers')
    .selectAll()
    .where('unsubscribe_token', '=', token)
    .executeTakeFirst();
  return row ? subscriberView(row) : null;
}

/** Unsubscribes at once (idempotent); null when the token is unknown. Pending notices are dropped at send time. */
export async function unsubscribeByToken(
  db: Kysely<Schema>,
  token: string,
  now: number,
): Promise<Subscriber | null> {
  const found = await findByUnsubscribeToken(db, token);
  if (!found) return null;
  await unsubscribeById(db, found.id, now);
  return { ...found, state: 'unsubscribed', unsubscribedAt: found.unsubscribedAt ?? now };
}

/** Unsubscribes a subscriber by id (the row stays, so the address is known if it subscribes again). */
export async function unsubscribeById(db: Kysely<Schema>, id: string, now: number): Promise<boolean> {
  const exists = await db.selectFrom('subscribers').select('id').where('id', '=', id).executeTakeFirst();
  if (!exists) return false;
  await db
    .updateTable('subscribers')
    .set({ unsubscribed_at: now, confirm_token_hash: null, updated_at: now })
    .where('id', '=', id)
    .where('unsubscribed_at', 'is', null)
    .execute();
  return true;
}

/**
 * Adds a webhook subscriber, active at once (an operator adds it through the API). Returns its
 * signing secret, shown this once, or `duplicate` when an active subscriber already posts to the URL.
 */
export async function createWebhookSubscriber(
  db: Kysely<Schema>,
  input: { readonly url: string; readonly communities: readonly string[] | null },
  now: number,
): Promise<{ readonly subscriber: Subscriber; readonly secret: string } | { readonly duplicate: string }> {
  const existing = await db
    .selectFrom('subscribers')
    .select('id')
    .where('kind', '=', 'webhook')
    .where('address', '=', input.url)
    .where('unsubscribed_at', 'is', null)
    .executeTakeFirst();
  if (existing) return { duplicate: existing.id };
  const secret = randomBytes(32).toString('base64url');
  const row: SubscriberRow = {
    id: newId('sub', now),
    kind: 'webhook',
    address: input.url,
    communities: input.communities === null ? null : JSON.stringify([...new Set(input.communities)].sort()),
    secret,
    confirm_token_hash: null,
    unsubscribe_token: randomToken(),
    confirmed_at: now,
    unsubscribed_at: null,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('subscribers').values(row).execute();
  return { subscriber: subscriberView(row), secret };
}

/** Every subscriber, newest first (or only those still subscribed). */
export async function listSubscribers(db: Kysely<Schema>, all: boolean): Promise<Subscriber[]> {
  let query = db.selectFrom('subscribers').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (!all) query = query.where('unsubscribed_at', 'is', null);
  return (await query.execute()).map(subscriberView);
}

/** One subscriber, or null. */
export async function getSubscriber(db: Kysely<Schema>, id: string): Promise<Subscriber | null> {
  const row = await db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? subscriberView(row) : null;
}

/** The scope stored in a subscriber row: community slugs, or null for the whole fleet. */
export function parseCommunities(communities: string | null): string[] | null {
  return communities === null ? null : (JSON.parse(communities) as string[]);
}

function subscriberView(row: SubscriberRow): Subscriber {
  return {
    id: row.id,
    kind: row.kind === 'webhook' ? 'webhook' : 'email',
    to: row.kind === 'webhook' ? hostOf(row.address) : row.address,
    communities: parseCommunities(row.communities),
    state: row.unsubscribed_at !== null ? 'unsubscribed' : row.confirmed_at !== null ? 'active' : 'pending',
    confirmedAt: row.confirmed_at === null ? null : Number(row.confirmed_at),
    unsubscribedAt: row.unsubscribed_at === null ? null : Number(row.unsubscribed_at),
    createdAt: Number(row.created_at),
  };
}

async function lockSubscriber(
  tx: Transaction<Schema>,
  database: Database,
  id: string,
): Promise<SubscriberRow> {
  let query = tx.selectFrom('subscribers').selectAll().where('id', '=', id);
  if (database.capabilities.rowLocks) query = query.forUpdate();
  return query.executeTakeFirstOrThrow();
}

async function lastConfirmationAt(tx: Transaction<Schema>, id: string): Promise<number> {
  const row = await tx
    .selectFrom('notifications')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('subscriber_id', '=', id)
    .where('reason', '=', 'subscriber_confirm')
    .executeTakeFirst();
  return row?.at == null ? 0 : Number(row.at);
}

function randomToken(): string {
  return randomBytes(24).toString('base64url');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}
