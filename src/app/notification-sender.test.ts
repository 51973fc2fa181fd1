import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { startTestReceiver, type TestReceiver } from '../../test/support/test-receiver.js';
import { parseConfigFile } from '../config/parse-config-file.js';
import { pageMessage } from '../oncall/page-message.js';
import { applyFleetConfig } from '../store/config-repository.js';
import type { Database } from '../store/database.js';
import { loadOncallDirectory } from '../store/oncall-config-repository.js';
import { enqueueNotifications, type NewNotification } from '../store/outbox-repository.js';
import { NotificationSender } from './notification-sender.js';

const T0 = Date.UTC(2026, 10, 21, 12, 0);

const config = (url: string) => `version: 1
users:
  - key: ana
    name: Ana
    time_zone: UTC
    contact_methods:
      - { key: hook, kind: webhook, url: "${url}/ana" }
      - { key: gone, kind: slack, url: "${url}/gone" }
`;

describe.each(testDialects())('the notification sender on $name', (dialect) => {
  let receiver: TestReceiver;
  beforeAll(async () => {
    receiver = await startTestReceiver((request) => ({ status: request.path === '/gone' ? 404 : 204 }));
  });
  afterAll(async () => receiver.close());

  async function setUp(database: Database, count: number, method: 'hook' | 'gone', clock: { now: number }) {
    const parsed = parseConfigFile(config(receiver.origin), 'sender.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await applyFleetConfig(database.db, parsed.config, T0);
    const directory = await loadOncallDirectory(database.db, T0);
    const ana = directory.people.get('ana')!;
    const notifications = Array.from(
      { length: count },
      (_, i): NewNotification => ({
        dedupKey: `test:${i}`,
        pageId: null,
        alertId: null,
        personKey: 'ana',
        method: ana.contactMethods.find((m) => m.key === method)!,
        reason: 'page',
        urgency: 'high',
        deliverAt: T0,
        message: pageMessage({
          kind: 'page',
          alert: {
            id: `alr_${i}`,
            severity: 'P1',
            summary: `hub ${i} is down`,
            community: 'pangeo',
            component: null,
            firedAt: T0,
            urgencyRow: 'P1 · critical · high',
          },
          openAlerts: 1,
          step: 0,
          urgency: 'high',
          alertUrl: 'http://firewatch.test/',
          at: T0,
        }),
      }),
    );
    expect(await enqueueNotifications(database.db, database.capabilities, notifications, T0)).toBe(count);
    // Enqueueing the same keys again adds nothing.
    expect(await enqueueNotifications(database.db, database.capabilities, notifications, T0)).toBe(0);
    return new NotificationSender({
      database,
      processId: 'test',
      now: () => clock.now,
      channel: { smtp: null, timeoutMs: 5_000, now: () => clock.now },
      publicUrl: () => 'http://firewatch.test',
      linkTtlMs: 60_000,
      rateLimit: { limit: 5, windowMs: 60_000 },
      onError: (error) => {
        throw error;
      },
    });
  }

  it.skipIf(!dialect.available)(
    'bundles what exceeds an address’s rate limit instead of dropping it',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        receiver.requests.length = 0;
        const clock = { now: T0 };
        const sender = await setUp(database, 12, 'hook', clock);
        const pass = await sender.runOnce();
        expect(pass).toMatchObject({ sent: 12, postponed: 0 });
        const bodies = receiver.requests.map(
          (r) => JSON.parse(r.body) as { kind: string; data: { bundled?: unknown[] } },
        );
        expect(bodies.map((b) => b.kind)).toEqual(['page', 'page', 'page', 'page', 'bundle']);
        expect(bodies[4]?.data.bundled).toHaveLength(8);

        // The window is full now: a new message waits for the next slot, then goes.
        const later = await setUp(database, 0, 'hook', clock);
        await enqueueNotifications(
          database.db,
          database.capabilities,
          [
            {
              dedupKey: 'test:late',
              pageId: null,
              alertId: null,
              personKey: 'ana',
              method: { key: 'hook', kind: 'webhook', address: `${receiver.origin}/ana`, secret: null },
              reason: 'page',
              urgency: 'high',
              deliverAt: T0,
              message: {
                kind: 'page',
                urgency: 'high',
                title: 'late',
                text: 'late',
                url: null,
                actions: [],
                data: {},
                at: T0,
              },
            },
          ],
          T0,
        );
        clock.now = T0 + 1_000;
        expect(await later.runOnce()).toMatchObject({ sent: 0, postponed: 1 });
        clock.now = T0 + 60_000;
        expect(await later.runOnce()).toMatchObject({ sent: 1 });
        expect(receiver.requests).toHaveLength(6);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'a permanent error fails the notification and flags the contact method',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        const clock = { now: T0 };
        const sender = await setUp(database, 1, 'gone', clock);
        expect(await sender.runOnce()).toMatchObject({ permanent_error: 1 });
        const row = await database.db.selectFrom('notifications').selectAll().executeTakeFirstOrThrow();
        expect(row).toMatchObject({ state: 'failed', attempts: 1 });
        expect(row.last_error).toMatch(/404/);
        const method = await database.db
          .selectFrom('contact_methods')
          .selectAll()
          .where('key', '=', 'gone')
          .executeTakeFirstOrThrow();
        expect(Number(method.flagged_at)).toBe(T0);
        expect(method.flag_reason).toMatch(/404/);
        clock.now = T0 + 3_600_000;
        expect(await sender.runOnce()).toMatchObject({ sent: 0, permanent_error: 0 });
      });
    },
  );
});
