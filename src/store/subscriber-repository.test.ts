import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import type { OutboundMessage } from '../notify/message.js';
import type { Database } from './database.js';
import {
  confirmSubscriber,
  createWebhookSubscriber,
  findConfirmation,
  listSubscribers,
  RESEND_AFTER_MS,
  subscribeEmail,
  unsubscribeByToken,
} from './subscriber-repository.js';
import { hashToken } from './token-repository.js';

const T0 = Date.parse('2026-11-21T12:00:00Z');
const PAGE = { pageName: 'Fleet status', pageUrl: 'https://status.example.org' };

/** The confirmation emails queued so far for an address, oldest first, with the token in each link. */
async function confirmations(database: Database, address: string) {
  const rows = await database.db
    .selectFrom('notifications')
    .selectAll()
    .where('address', '=', address)
    .where('reason', '=', 'subscriber_confirm')
    .orderBy('id')
    .execute();
  return rows.map((row) => {
    const message = JSON.parse(row.message) as OutboundMessage;
    const url = message.actions[0]?.url ?? '';
    return { row, message, token: url.slice(url.lastIndexOf('/') + 1) };
  });
}

describe.each(testDialects())('subscribers on $name', (dialect) => {
  it.skipIf(!dialect.available)(
    'subscribing stores the address unconfirmed with only the hash of its token and queues one confirmation email',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        const result = await subscribeEmail(
          database,
          { address: 'ana@example.org', communities: ['pangeo'] },
          PAGE,
          T0,
        );
        expect(result.queued).toBe(true);
        const [sent] = await confirmations(database, 'ana@example.org');
        expect(sent?.row).toMatchObject({
          subscriber_id: result.subscriberId,
          channel: 'email',
          state: 'pending',
          person_key: null,
          page_id: null,
        });
        expect(sent?.message.actions[0]?.url).toBe(
          `https://status.example.org/subscribe/confirm/${sent?.token}`,
        );
        const row = await database.db.selectFrom('subscribers').selectAll().executeTakeFirstOrThrow();
        expect(row).toMatchObject({ kind: 'email', communities: '["pangeo"]', confirmed_at: null });
        expect(row.confirm_token_hash).toBe(hashToken(sent?.token ?? ''));
        expect(JSON.stringify(row)).not.toContain(sent?.token);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'subscribing again never duplicates the address and resends the link at most once in 10 minutes',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        const address = 'ben@example.org';
        await subscribeEmail(database, { address, communities: null }, PAGE, T0);
        expect(
          (await subscribeEmail(database, { address, communities: null }, PAGE, T0 + 60_000)).queued,
        ).toBe(false);
        const later = T0 + RESEND_AFTER_MS + 1;
        expect((await subscribeEmail(database, { address, communities: ['leap'] }, PAGE, later)).queued).toBe(
          true,
        );
        const [old, fresh] = await confirmations(database, address);
        expect(await database.db.selectFrom('subscribers').selectAll().execute()).toHaveLength(1);
        // Only the newest link confirms.
        expect(await confirmSubscriber(database.db, old?.token ?? '', later)).toEqual({ problem: 'unknown' });
        const done = await confirmSubscriber(database.db, fresh?.token ?? '', later);
        expect(done).toMatchObject({ subscriber: { state: 'active', communities: ['leap'], to: address } });
        // Used once: the link no longer works.
        expect(await confirmSubscriber(database.db, fresh?.token ?? '', later)).toEqual({
          problem: 'unknown',
        });
        // Confirmed: subscribing again changes nothing and sends nothing, whatever the scope.
        const again = await subscribeEmail(
          database,
          { address, communities: null },
          PAGE,
          later + 2 * RESEND_AFTER_MS,
        );
        expect(again.queued).toBe(false);
        expect((await listSubscribers(database.db, false))[0]).toMatchObject({
          state: 'active',
          communities: ['leap'],
        });
      });
    },
  );

  it.skipIf(!dialect.available)('a confirmation link expires after 7 days', async () => {
    await withOpenDatabase(dialect, async (database) => {
      await subscribeEmail(database, { address: 'cy@example.org', communities: null }, PAGE, T0);
      const [sent] = await confirmations(database, 'cy@example.org');
      const week = T0 + 7 * 86_400_000;
      expect(await findConfirmation(database.db, sent?.token ?? '', week - 1)).toMatchObject({
        subscriber: { state: 'pending' },
      });
      expect(await confirmSubscriber(database.db, sent?.token ?? '', week)).toEqual({ problem: 'expired' });
    });
  });

  it.skipIf(!dialect.available)(
    'unsubscribing by token works at once and again; subscribing afterwards needs a new confirmation',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        const address = 'dee@example.org';
        await subscribeEmail(database, { address, communities: null }, PAGE, T0);
        const [sent] = await confirmations(database, address);
        await confirmSubscriber(database.db, sent?.token ?? '', T0);
        const row = await database.db.selectFrom('subscribers').selectAll().executeTakeFirstOrThrow();
        expect(await unsubscribeByToken(database.db, row.unsubscribe_token, T0 + 1)).toMatchObject({
          state: 'unsubscribed',
        });
        expect(await unsubscribeByToken(database.db, row.unsubscribe_token, T0 + 2)).toMatchObject({
          state: 'unsubscribed',
          unsubscribedAt: T0 + 1,
        });
        expect(await unsubscribeByToken(database.db, 'no-such-token', T0)).toBeNull();
        const back = await subscribeEmail(
          database,
          { address, communities: null },
          PAGE,
          T0 + RESEND_AFTER_MS + 5,
        );
        expect(back.queued).toBe(true);
        expect((await listSubscribers(database.db, true))[0]).toMatchObject({ state: 'pending' });
      });
    },
  );

  it.skipIf(!dialect.available)(
    'a webhook subscriber is active at once; its secret is returned once and never listed',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        const url = 'https://hooks.example.org/status?key=abc';
        const created = await createWebhookSubscriber(database.db, { url, communities: ['leap'] }, T0);
        if (!('secret' in created)) throw new Error('not created');
        expect(created.secret).toMatch(/^[\w-]{43}$/);
        expect(created.subscriber).toMatchObject({
          kind: 'webhook',
          state: 'active',
          to: 'hooks.example.org',
        });
        expect(await createWebhookSubscriber(database.db, { url, communities: null }, T0)).toEqual({
          duplicate: created.subscriber.id,
        });
        const row = await database.db.selectFrom('subscribers').selectAll().executeTakeFirstOrThrow();
        const listed = JSON.stringify(await listSubscribers(database.db, true));
        for (const secret of [created.secret, row.unsubscribe_token, url])
          expect(listed).not.toContain(secret);
      });
    },
  );
});
