import { bundleMessage } from '../notify/bundle-message.js';
import { deliver } from '../notify/channels/deliver.js';
import type { ChannelContext, DeliveryResult, OutboundMessage } from '../notify/message.js';
import { DEFAULT_RATE_LIMIT, type RateLimit, rateAllowance, splitForSlots } from '../notify/rate-limit.js';
import { givesUp, retryDelay } from '../notify/retry-policy.js';
import { createActionTokens } from '../store/action-token-repository.js';
import type { Database } from '../store/database.js';
import { newId } from '../store/new-id.js';
import {
  claimNotifications,
  finishAttempt,
  flagContactMethod,
  pageStatuses,
  postpone,
  type SubscriberState,
  sentSince,
  subscriberStates,
} from '../store/outbox-repository.js';
import type { NotificationRow } from '../store/schema.js';

export interface NotificationSenderOptions {
  readonly database: Database;
  /** Names this process in leases and attempt rows. */
  readonly processId: string;
  readonly now: () => number;
  readonly channel: ChannelContext;
  /** Base URL for links in messages (acknowledge/resolve pages). */
  readonly publicUrl: () => string;
  /** How long acknowledge/resolve links work. */
  readonly linkTtlMs: number;
  readonly rateLimit?: RateLimit;
  readonly onError: (error: Error) => void;
  /** Called after every attempt (metrics). */
  readonly onAttempt?: (channel: string, result: AttemptResult) => void;
}

export type AttemptResult = 'sent' | 'retryable_error' | 'permanent_error' | 'cancelled';

/** What one pass did, by result. */
export type SendPass = Record<AttemptResult | 'postponed', number>;

const CLAIM_LIMIT = 100;
// Longer than the worst case for one address: 10 attempts and a bundle, 10 s each.
const LEASE_MS = 5 * 60_000;

/** Statuses of a page under which each kind of notification is still wanted. */
const WANTED: Readonly<Record<string, readonly string[]>> = {
  page: ['escalating', 'exhausted'],
  notify: ['escalating', 'exhausted'],
  reminder: ['acknowledged'],
};

/**
 * Delivers the outbox: claims due notifications (leases, so several processes never send one
 * twice), drops those their page no longer wants (acknowledged meanwhile) and subscriber notices
 * whose subscriber unsubscribed since, keeps each address
 * within its rate limit by bundling the overflow into one message, and records every attempt.
 * Retryable errors come back with exponential backoff; permanent ones fail the notification and
 * flag the contact method.
 */
export class NotificationSender {
  readonly #options: NotificationSenderOptions;

  constructor(options: NotificationSenderOptions) {
    this.#options = options;
  }

  /** One pass over what is due now. */
  async runOnce(): Promise<SendPass> {
    const { database, processId, now } = this.#options;
    const pass: SendPass = { sent: 0, retryable_error: 0, permanent_error: 0, cancelled: 0, postponed: 0 };
    const claimed = await claimNotifications(database.db, database.capabilities, processId, now(), {
      limit: CLAIM_LIMIT,
      leaseMs: LEASE_MS,
    });
    if (claimed.length === 0) return pass;
    const statuses = await pageStatuses(
      database.db,
      claimed.map((n) => n.page_id).filter((id): id is string => id !== null),
    );
    const subscribers = await subscriberStates(
      database.db,
      claimed.map((n) => n.subscriber_id).filter((id): id is string => id !== null),
    );
    const wanted: NotificationRow[] = [];
    for (const row of claimed) {
      const status = row.page_id === null ? undefined : statuses.get(row.page_id);
      const want = WANTED[row.reason];
      const unwanted =
        want && status !== undefined && !want.includes(status)
          ? `page is ${status}`
          : row.subscriber_id === null
            ? null
            : subscriberGone(row, subscribers.get(row.subscriber_id));
      if (unwanted !== null) {
        await this.#finish(row, null, { result: 'cancelled', error: unwanted }, now());
        pass.cancelled++;
      } else {
        wanted.push(row);
      }
    }
    // Pages first, oldest first: if a rate limit bundles some, it bundles the least urgent.
    wanted.sort(
      (a, b) =>
        (a.urgency === 'high' ? 0 : 1) - (b.urgency === 'high' ? 0 : 1) ||
        Number(a.next_attempt_at) - Number(b.next_attempt_at),
    );
    const byAddress = new Map<string, NotificationRow[]>();
    for (const row of wanted) {
      // Subscriber notices group apart: they are never bundled with a person's notifications.
      const key = `${row.subscriber_id === null ? 'person' : 'subscriber'} ${row.channel} ${row.address}`;
      byAddress.set(key, [...(byAddress.get(key) ?? []), row]);
    }
    await Promise.all([...byAddress.values()].map((rows) => this.#sendToAddress(rows, pass)));
    return pass;
  }

  async #sendToAddress(rows: readonly NotificationRow[], pass: SendPass): Promise<void> {
    const { database, processId, now } = this.#options;
    const rate = this.#options.rateLimit ?? DEFAULT_RATE_LIMIT;
    const first = rows[0] as NotificationRow;
    const sent = await sentSince(database.db, first.channel, first.address, now() - rate.windowMs);
    const allowance = rateAllowance(sent, now(), rate);
    // A subscriber notice is never bundled (a bundle would lose its unsubscribe link and webhook body):
    // what exceeds the rate waits for the next slot instead.
    const split =
      first.subscriber_id === null
        ? splitForSlots(rows.length, allowance.allowed)
        : { single: Math.min(rows.length, allowance.allowed), bundled: 0 };
    if (split.single + split.bundled === 0) {
      await postpone(
        database.db,
        processId,
        rows.map((r) => r.id),
        allowance.nextSlotAt,
        now(),
      );
      pass.postponed += rows.length;
      return;
    }
    for (const row of rows.slice(0, split.single)) {
      const message = await this.#withLinks(row);
      const outcome = await this.#attempt(row, message);
      await this.#settle(row, null, outcome, pass);
    }
    const rest = rows.slice(split.single);
    if (rest.length === 0) return;
    if (first.subscriber_id !== null) {
      const full = [...sent, ...rows.slice(0, split.single).map(() => now())];
      await postpone(
        database.db,
        processId,
        rest.map((r) => r.id),
        rateAllowance(full, now(), rate).nextSlotAt,
        now(),
      );
      pass.postponed += rest.length;
      return;
    }
    const bundleId = newId('bdl', now());
    const messages = rest.map((r) => JSON.parse(r.message) as OutboundMessage);
    const bundle: OutboundMessage = { ...bundleMessage(messages, now()), id: bundleId };
    const outcome = await this.#attempt(rest[0] as NotificationRow, bundle);
    for (const row of rest) await this.#settle(row, bundleId, outcome, pass);
  }

  /** Adds single-use acknowledge/resolve links for the person a page notification is for. */
  async #withLinks(row: NotificationRow): Promise<OutboundMessage> {
    const message = JSON.parse(row.message) as OutboundMessage;
    if (row.page_id === null || row.person_key === null || !WANTED[row.reason]) return message;
    const now = this.#options.now();
    const tokens = await createActionTokens(
      this.#options.database.db,
      { personKey: row.person_key, pageId: row.page_id, now, ttlMs: this.#options.linkTtlMs },
      ['acknowledge', 'resolve'],
    );
    const base = this.#options.publicUrl().replace(/\/$/, '');
    return {
      ...message,
      actions: [
        ...(row.reason === 'reminder'
          ? []
          : [{ label: 'Acknowledge', url: `${base}/act/${tokens.acknowledge}` }]),
        { label: 'Resolve', url: `${base}/act/${tokens.resolve}` },
        ...message.actions,
      ],
    };
  }

  async #attempt(
    row: NotificationRow,
    message: OutboundMessage,
  ): Promise<{ readonly result: DeliveryResult; readonly startedAt: number; readonly durationMs: number }> {
    const { now, channel } = this.#options;
    const secret = await this.#secretFor(row);
    const startedAt = now();
    const clock = performance.now();
    const result = await deliver(
      { kind: row.channel as never, address: row.address, secret },
      message,
      channel,
    );
    return { result, startedAt, durationMs: Math.round(performance.now() - clock) };
  }

  /** The signing secret: the subscriber's for a subscriber notice, else the contact method's. */
  async #secretFor(row: NotificationRow): Promise<string | null> {
    const { db } = this.#options.database;
    if (row.subscriber_id !== null) {
      const subscriber = await db
        .selectFrom('subscribers')
        .select('secret')
        .where('id', '=', row.subscriber_id)
        .executeTakeFirst();
      return subscriber?.secret ?? null;
    }
    if (row.contact_method_id === null) return null;
    const method = await db
      .selectFrom('contact_methods')
      .select('secret')
      .where('id', '=', row.contact_method_id)
      .executeTakeFirst();
    return method?.secret ?? null;
  }

  async #settle(
    row: NotificationRow,
    bundleId: string | null,
    outcome: { readonly result: DeliveryResult; readonly startedAt: number; readonly durationMs: number },
    pass: SendPass,
  ): Promise<void> {
    const { result, startedAt, durationMs } = outcome;
    const timing = { startedAt, durationMs };
    const now = this.#options.now();
    if (result.ok) {
      await this.#finish(row, bundleId, { result: 'sent', detail: result.detail, ...timing }, now);
      pass.sent++;
    } else if (result.retryable && !givesUp(await this.#firstAttemptAt(row, outcome.startedAt), now)) {
      await this.#finish(row, bundleId, { result: 'retryable_error', error: result.error, ...timing }, now);
      pass.retryable_error++;
    } else {
      const error = result.retryable ? `gave up after a day of retries: ${result.error}` : result.error;
      await this.#finish(row, bundleId, { result: 'permanent_error', error, ...timing }, now);
      if (!result.retryable && row.contact_method_id !== null) {
        await flagContactMethod(this.#options.database.db, row.contact_method_id, result.error, now);
      }
      pass.permanent_error++;
    }
  }

  /** When delivery of a row was first tried: a day of retries counts from there, not from queueing. */
  async #firstAttemptAt(row: NotificationRow, thisAttempt: number): Promise<number> {
    if (row.attempts === 0) return thisAttempt;
    const first = await this.#options.database.db
      .selectFrom('notification_attempts')
      .select((eb) => eb.fn.min('started_at').as('at'))
      .where('notification_id', '=', row.id)
      .where('result', '!=', 'cancelled')
      .executeTakeFirst();
    return first?.at == null ? thisAttempt : Number(first.at);
  }

  async #finish(
    row: NotificationRow,
    bundleId: string | null,
    outcome: {
      readonly result: AttemptResult;
      readonly detail?: string | null;
      readonly error?: string;
      readonly startedAt?: number;
      readonly durationMs?: number;
    },
    now: number,
  ): Promise<void> {
    const attempt = outcome.result === 'cancelled' ? row.attempts : row.attempts + 1;
    const error = outcome.error ?? null;
    const next =
      outcome.result === 'sent'
        ? ({ state: 'sent', at: now } as const)
        : outcome.result === 'retryable_error'
          ? ({ state: 'pending', retryAt: now + retryDelay(attempt), error: error ?? '' } as const)
          : ({ state: outcome.result === 'cancelled' ? 'cancelled' : 'failed', error: error ?? '' } as const);
    const kept = await finishAttempt(
      this.#options.database.db,
      this.#options.processId,
      {
        notificationId: row.id,
        attempt,
        process: this.#options.processId,
        result: outcome.result,
        detail: outcome.detail ?? null,
        error,
        bundleId,
        startedAt: outcome.startedAt ?? now,
        durationMs: outcome.durationMs ?? 0,
      },
      next,
      now,
    );
    if (!kept) {
      this.#options.onError(new Error(`lost the lease on notification ${row.id} while sending it`));
      return;
    }
    this.#options.onAttempt?.(row.channel, outcome.result);
  }
}

/** Why a subscriber notice is no longer wanted, or null: its subscriber is gone, unsubscribed or unconfirmed. */
function subscriberGone(row: NotificationRow, subscriber: SubscriberState | undefined): string | null {
  if (subscriber === undefined) return 'the subscriber no longer exists';
  if (subscriber.unsubscribedAt !== null) return 'the subscriber unsubscribed';
  // Only the confirmation email goes to an address that has not confirmed.
  if (subscriber.confirmedAt === null && row.reason !== 'subscriber_confirm')
    return 'the subscriber has not confirmed';
  return null;
}
