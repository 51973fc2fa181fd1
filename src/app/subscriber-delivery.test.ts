import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { startTestReceiver, type TestReceiver } from '../../test/support/test-receiver.js';
import { verifySignature } from '../notify/sign-payload.js';
import type { Database } from '../store/database.js';
import { enqueueNotifications } from '../store/outbox-repository.js';
import { createWebhookSubscriber, unsubscribeById } from '../store/subscriber-repository.js';
import { NotificationSender } from './notification-sender.js';

const T0 = Date.UTC(2026, 10, 21, 12, 0);

function sender(database: Database, clock: { now: number }) {
  return new NotificationSender({
    database,
    processId: 'test',
    now: () => clock.now,
    channel: { smtp: null, timeoutMs: 5_000, now: () => clock.now },
    publicUrl: () => 'http://firewatch.test',
    linkTtlMs: 60_000,
    rateLimit: { limit: 3, windowMs: 60_000 },
    onError: (error) => {
      throw error;
    },
  });
}

async function enqueue(database: Database, subscriberId: string, url: string, count: number, from = 0) {
  const notices = Array.from({ length: count }, (_, i) => ({
    dedupKey: `sub:${subscriberId}:upd:iup_${from + i}`,
    pageId: null,
    alertId: null,
    personKey: null,
    method: { key: null, kind: 'statuspage_webhook' as const, address: url },
    subscriberId,
    reason: 'subscriber',
    urgency: 'low' as const,
    deliverAt: T0,
    message: {
      kind: 'notice' as const,
      urgency: 'low' as const,
      title: `update ${from + i}`,
      text: 'text',
      url: null,
      actions: [],
      data: { incident: { incident_updates: [{ id: `iup_${from + i}` }] } },
      at: T0,
    },
  }));
  return enqueueNotifications(database.db, database.capabilities, notices, T0);
}

describe.each(testDialects())('delivering subscriber notices on $name', (dialect) => {
  let receiver: TestReceiver;
  beforeAll(async () => {
    receiver = await startTestReceiver(() => ({ status: 204 }));
  });
  afterAll(async () => receiver.close());

  it.skipIf(!dialect.available)(
    'posts each Statuspage body signed with the subscriber’s secret; never bundles, the rest waits',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        receiver.requests.length = 0;
        const url = `${receiver.origin}/hook-${dialect.name}`;
        const created = await createWebhookSubscriber(database.db, { url, communities: null }, T0);
        if (!('secret' in created)) throw new Error('not created');
        expect(await enqueue(database, created.subscriber.id, url, 5)).toBe(5);
        const clock = { now: T0 };
        expect(await sender(database, clock).runOnce()).toMatchObject({ sent: 3, postponed: 2 });
        const bodies = receiver.requests.map(
          (r) => JSON.parse(r.body) as { incident: { incident_updates: { id: string }[] } },
        );
        expect(bodies.map((b) => b.incident.incident_updates[0]?.id)).toEqual(['iup_0', 'iup_1', 'iup_2']);
        for (const request of receiver.requests) {
          const signature = String(request.headers['x-firewatch-signature']);
          expect(verifySignature(created.secret, signature, request.body, Math.floor(T0 / 1000))).toBe(true);
        }
        clock.now = T0 + 60_000;
        expect(await sender(database, clock).runOnce()).toMatchObject({ sent: 2 });
        expect(receiver.requests).toHaveLength(5);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'drops a queued notice when its subscriber unsubscribed meanwhile',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        receiver.requests.length = 0;
        const url = `${receiver.origin}/gone-${dialect.name}`;
        const created = await createWebhookSubscriber(database.db, { url, communities: null }, T0);
        if (!('secret' in created)) throw new Error('not created');
        await enqueue(database, created.subscriber.id, url, 1);
        await unsubscribeById(database.db, created.subscriber.id, T0);
        expect(await sender(database, { now: T0 }).runOnce()).toMatchObject({ sent: 0, cancelled: 1 });
        expect(receiver.requests).toHaveLength(0);
      });
    },
  );
});
