import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { parseConfigFile } from '../config/parse-config-file.js';
import type { OutboundMessage } from '../notify/message.js';
import { applyFleetConfig } from './config-repository.js';
import type { Database } from './database.js';
import { createMaintenance } from './maintenance-repository.js';
import { enqueueIncidentNotices, enqueueMaintenanceNotices } from './subscriber-notices.js';
import {
  confirmSubscriber,
  createWebhookSubscriber,
  subscribeEmail,
  unsubscribeByToken,
} from './subscriber-repository.js';

const H = 3_600_000;
const T0 = Date.parse('2026-11-21T12:00:00Z');
const PAGE = { pageName: 'Fleet status', pageUrl: 'https://status.example.org' };

const FLEET = `version: 1
communities:
  - slug: pangeo
    name: Pangeo
    depends_on: [cluster-east]
    components: [{ key: hub, name: Hub }]
  - slug: leap
    name: LEAP
    components: [{ key: hub, name: Hub }]
shared_components:
  - { key: cluster-east, name: Cluster east }
`;

/** A confirmed email subscriber (through the real confirmation link). */
async function confirmed(database: Database, address: string, communities: string[] | null) {
  const { subscriberId } = await subscribeEmail(database, { address, communities }, PAGE, T0 - H);
  const row = await database.db
    .selectFrom('notifications')
    .select('message')
    .where('subscriber_id', '=', subscriberId)
    .executeTakeFirstOrThrow();
  const url = (JSON.parse(row.message) as OutboundMessage).actions[0]?.url ?? '';
  await confirmSubscriber(database.db, url.slice(url.lastIndexOf('/') + 1), T0 - H);
  return subscriberId;
}

/** The fleet, and subscribers of every kind and state; returns their ids by name. */
async function setUp(database: Database) {
  const parsed = parseConfigFile(FLEET, 'fleet.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  await applyFleetConfig(database.db, parsed.config, T0 - 2 * H);
  const everything = await confirmed(database, 'all@example.org', null);
  const pangeo = await confirmed(database, 'pangeo@example.org', ['pangeo']);
  const leap = await confirmed(database, 'leap@example.org', ['leap']);
  const gone = await confirmed(database, 'gone@example.org', null);
  const token = await database.db
    .selectFrom('subscribers')
    .select('unsubscribe_token')
    .where('id', '=', gone)
    .executeTakeFirstOrThrow();
  await unsubscribeByToken(database.db, token.unsubscribe_token, T0 - H);
  await subscribeEmail(database, { address: 'pending@example.org', communities: null }, PAGE, T0 - H);
  const hook = await createWebhookSubscriber(
    database.db,
    { url: 'https://hooks.example.org/p', communities: ['pangeo'] },
    T0 - H,
  );
  if (!('secret' in hook)) throw new Error('webhook not created');
  return { everything, pangeo, leap, hook: hook.subscriber.id };
}

async function insertIncident(
  database: Database,
  id: string,
  refs: string[],
  updates: { id: string; state: string }[],
) {
  const components = await database.db
    .selectFrom('components')
    .select(['id', 'ref'])
    .where('ref', 'in', refs)
    .execute();
  await database.db
    .insertInto('incidents')
    .values({
      id,
      title: 'Hub login fails',
      status: 'investigating',
      impact: 'major',
      severity: 'P2',
      detection_source: 'monitoring',
      origin: 'alert',
      detected_at: T0,
      first_report_at: null,
      lead_time_ms: null,
      commander: null,
      communications: null,
      published_at: T0,
      recovered_at: null,
      monitoring_at: null,
      resolved_at: null,
      postmortem_at: null,
      next_update_due_at: null,
      created_at: T0,
      updated_at: T0,
    })
    .execute();
  await database.db
    .insertInto('incident_components')
    .values(
      components.map((c) => ({ incident_id: id, component_id: c.id, status: 'major_outage', added_at: T0 })),
    )
    .execute();
  await database.db
    .insertInto('incident_updates')
    .values(
      updates.map((u) => ({
        id: u.id,
        incident_id: id,
        kind: 'public',
        status: 'investigating',
        body: 'We are **looking** into it.',
        affected: '[]',
        author: 'ana',
        state: u.state,
        created_at: T0,
        published_at: u.state === 'published' ? T0 : null,
      })),
    )
    .execute();
}

async function notices(database: Database) {
  const rows = await database.db
    .selectFrom('notifications')
    .selectAll()
    .where('reason', '=', 'subscriber')
    .orderBy('dedup_key')
    .execute();
  return rows.map((r) => ({ row: r, message: JSON.parse(r.message) as OutboundMessage }));
}

describe.each(testDialects())('subscriber notices on $name', (dialect) => {
  it.skipIf(!dialect.available)(
    'notifies confirmed subscribers whose scope covers the incident, once per update',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        const ids = await setUp(database);
        await insertIncident(database, 'inc_1', ['pangeo/hub'], [{ id: 'iup_1', state: 'published' }]);
        const input = { incidentId: 'inc_1', updateId: 'iup_1' };
        expect(await enqueueIncidentNotices(database.db, database.capabilities, input, PAGE, T0)).toBe(3);
        expect(await enqueueIncidentNotices(database.db, database.capabilities, input, PAGE, T0 + 5)).toBe(0);
        const sent = await notices(database);
        expect(sent.map((n) => [n.row.subscriber_id, n.row.channel, n.row.dedup_key]).sort()).toEqual(
          [
            [ids.everything, 'email', `sub:${ids.everything}:upd:iup_1`],
            [ids.pangeo, 'email', `sub:${ids.pangeo}:upd:iup_1`],
            [ids.hook, 'statuspage_webhook', `sub:${ids.hook}:upd:iup_1`],
          ].sort(),
        );
        const mail = sent.find((n) => n.row.channel === 'email')?.message;
        expect(mail?.title).toBe('[Fleet status] Hub login fails: Investigating');
        expect(mail?.unsubscribeUrl).toMatch(/^https:\/\/status\.example\.org\/unsubscribe\/[\w-]+$/);
        const hook = sent.find((n) => n.row.channel === 'statuspage_webhook');
        expect(hook?.row.address).toBe('https://hooks.example.org/p');
        expect(hook?.message.data).toMatchObject({
          meta: { unsubscribe: hook?.message.unsubscribeUrl },
          page: { id: 'fleet', status_indicator: 'critical', status_description: 'Major System Outage' },
          incident: { id: 'inc_1', incident_updates: [{ id: 'iup_1', body: 'We are **looking** into it.' }] },
        });
      });
    },
  );

  it.skipIf(!dialect.available)(
    'an incident on shared infrastructure reaches the communities that depend on it, not the others',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        const ids = await setUp(database);
        await insertIncident(
          database,
          'inc_2',
          ['shared/cluster-east'],
          [{ id: 'iup_2', state: 'published' }],
        );
        await enqueueIncidentNotices(
          database.db,
          database.capabilities,
          { incidentId: 'inc_2', updateId: 'iup_2' },
          PAGE,
          T0,
        );
        expect((await notices(database)).map((n) => n.row.subscriber_id).sort()).toEqual(
          [ids.everything, ids.pangeo, ids.hook].sort(),
        );
      });
    },
  );

  it.skipIf(!dialect.available)('a draft update notifies nobody', async () => {
    await withOpenDatabase(dialect, async (database) => {
      await setUp(database);
      await insertIncident(database, 'inc_3', ['leap/hub'], [{ id: 'iup_3', state: 'draft' }]);
      const input = { incidentId: 'inc_3', updateId: 'iup_3' };
      expect(await enqueueIncidentNotices(database.db, database.capabilities, input, PAGE, T0)).toBe(0);
    });
  });

  it.skipIf(!dialect.available)(
    'tells subscribers about a maintenance ahead, at the start and at the end, each once, never late',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        const ids = await setUp(database);
        const start = T0 + 48 * H;
        await createMaintenance(
          database.db,
          {
            title: 'Hub upgrade',
            description: 'New **version**.',
            startsAt: start,
            endsAt: start + 2 * H,
            repeat: null,
            repeatUntil: null,
            notifyBeforeMs: 24 * H,
            components: ['leap/hub'],
            author: 'ana',
          },
          T0,
        );
        const keys = async () =>
          (await notices(database)).map((n) =>
            n.row.dedup_key.replace(/^sub:[^:]+:/, `${n.row.subscriber_id === ids.leap ? 'leap' : 'all'}:`),
          );
        expect(await enqueueMaintenanceNotices(database, PAGE, T0)).toBe(0);
        expect(await enqueueMaintenanceNotices(database, PAGE, start - 24 * H)).toBe(2);
        expect(await enqueueMaintenanceNotices(database, PAGE, start - 24 * H + 5_000)).toBe(0);
        expect(await enqueueMaintenanceNotices(database, PAGE, start + 60_000)).toBe(2);
        expect(await enqueueMaintenanceNotices(database, PAGE, start + 2 * H)).toBe(2);
        expect(await enqueueMaintenanceNotices(database, PAGE, start + 2 * H + 30_000)).toBe(0);
        const maintenanceId = (
          await database.db.selectFrom('maintenances').select('id').executeTakeFirstOrThrow()
        ).id;
        expect((await keys()).sort()).toEqual(
          ['all', 'leap'].flatMap((who) =>
            ['ahead', 'completed', 'started'].map((phase) => `${who}:mnt:${maintenanceId}:${start}:${phase}`),
          ),
        );
        const done = (await notices(database)).find((n) => n.row.dedup_key.endsWith(':completed'));
        expect(done?.message.title).toBe('[Fleet status] Hub upgrade: completed');
      });
    },
  );

  it.skipIf(!dialect.available)('skips phases whose moment passed more than an hour ago', async () => {
    await withOpenDatabase(dialect, async (database) => {
      await setUp(database);
      await createMaintenance(
        database.db,
        {
          title: 'Nightly backup',
          description: null,
          startsAt: T0 - 30 * 24 * H,
          endsAt: T0 - 30 * 24 * H + H,
          repeat: '0 12 * * *',
          repeatUntil: null,
          notifyBeforeMs: 0,
          components: ['pangeo/hub'],
          author: 'ana',
        },
        T0 - 30 * 24 * H,
      );
      // Thirty occurrences lie in the past; only today's start (12:00, now) is due.
      expect(await enqueueMaintenanceNotices(database, PAGE, T0 + 60_000)).toBe(3);
      expect((await notices(database)).every((n) => n.row.dedup_key.endsWith(`:${T0}:started`))).toBe(true);
    });
  });
});
