import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../../test/support/databases.js';
import { SnapshotCache } from '../../app/snapshot-cache.js';
import { parseConfigFile } from '../../config/parse-config-file.js';
import type { OutboundMessage } from '../../notify/message.js';
import { applyFleetConfig } from '../../store/config-repository.js';
import type { Database } from '../../store/database.js';
import { createToken } from '../../store/token-repository.js';
import { ApiError } from '../errors.js';
import { registerSubscriptionRoutes } from './subscription-routes.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const READ = 'fw_subscription-routes-read-token-0123';
const ADMIN = 'fw_subscription-routes-admin-token-012';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const FLEET = `version: 1
communities:
  - { slug: pangeo, name: Pangeo, components: [{ key: hub, name: Hub }] }
  - { slug: leap, name: LEAP, components: [{ key: hub, name: Hub }] }
`;

/** The routes on a bare Fastify with buildServer's error handling and form parser (http/server.ts). */
function buildApp(database: Database, snapshots: SnapshotCache): FastifyInstance {
  const app = Fastify();
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).send(error.toJSON());
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply
      .code(status)
      .send(new ApiError(status < 500 ? 'invalid_request' : 'internal', String(error)).toJSON());
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  registerSubscriptionRoutes(app, database, {
    now: () => NOW,
    snapshots,
    rateLimit: { limit: 5, windowMs: 3_600_000 },
  });
  return app;
}

describe.each(testDialects())('subscription routes on $name', (dialect) => {
  let database: Database;
  let app: FastifyInstance;
  let ip = 0;
  // Each test posts from an address of its own, so the rate limit test alone meets the limit.
  const from = () => `10.0.0.${++ip}`;

  beforeAll(async () => {
    if (!dialect.available) return;
    database = await dialect.open();
    const parsed = parseConfigFile(FLEET, 'fleet.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await applyFleetConfig(database.db, parsed.config, NOW);
    await createToken(database.db, { name: 'reader', scopes: ['read'], now: NOW, token: READ });
    await createToken(database.db, { name: 'admin', scopes: ['admin'], now: NOW, token: ADMIN });
    const snapshots = new SnapshotCache({
      database,
      page: { pageName: 'Fleet status', pageUrl: 'https://status.example.org' },
      now: () => NOW,
      onError: (error) => {
        throw error;
      },
    });
    await snapshots.build();
    app = buildApp(database, snapshots);
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  async function outbox(address: string) {
    const rows = await database.db
      .selectFrom('notifications')
      .selectAll()
      .where('address', '=', address)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ row: r, message: JSON.parse(r.message) as OutboundMessage }));
  }
  const subscriber = (address: string) =>
    database.db
      .selectFrom('subscribers')
      .selectAll()
      .where('address', '=', address)
      .executeTakeFirstOrThrow();
  const pathOf = (url: string) => new URL(url).pathname;

  it.skipIf(!dialect.available)(
    'the form subscribes to the ticked communities and queues a confirmation email',
    async () => {
      const page = await app.inject({ method: 'GET', url: '/subscribe?community=leap' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<input type="checkbox" name="community" value="leap" checked>');
      const response = await app.inject({
        method: 'POST',
        url: '/subscribe',
        headers: FORM,
        remoteAddress: from(),
        payload: 'email=Ana%40Example.org&community=pangeo&community=leap',
      });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('Check your inbox');
      expect(response.headers['cache-control']).toBe('no-store');
      const [mail] = await outbox('ana@example.org');
      expect(mail?.row).toMatchObject({ reason: 'subscriber_confirm', channel: 'email', state: 'pending' });
      expect(mail?.message.actions[0]?.url).toMatch(
        /^https:\/\/status\.example\.org\/subscribe\/confirm\/[\w-]+$/,
      );
      expect(await subscriber('ana@example.org')).toMatchObject({
        communities: '["leap","pangeo"]',
        confirmed_at: null,
      });
    },
  );

  it.skipIf(!dialect.available)(
    'answers a known address exactly like a new one, without a second row or email',
    async () => {
      const post = () =>
        app.inject({
          method: 'POST',
          url: '/subscribe',
          remoteAddress: from(),
          payload: { email: 'ben@example.org' },
        });
      const first = await post();
      const again = await post();
      expect(first.statusCode).toBe(202);
      expect(again.statusCode).toBe(202);
      expect(again.body).toBe(first.body);
      expect(await outbox('ben@example.org')).toHaveLength(1);
      expect(
        await database.db
          .selectFrom('subscribers')
          .select('id')
          .where('address', '=', 'ben@example.org')
          .execute(),
      ).toHaveLength(1);
    },
  );

  it.skipIf(!dialect.available)(
    'refuses a bad address or an unknown community, saying what to fix',
    async () => {
      const json = await app.inject({
        method: 'POST',
        url: '/subscribe',
        remoteAddress: from(),
        payload: { email: 'not-an-address' },
      });
      expect(json.statusCode).toBe(400);
      expect(json.json()).toMatchObject({ error: { code: 'invalid_request', field: 'email' } });
      const form = await app.inject({
        method: 'POST',
        url: '/subscribe',
        headers: FORM,
        remoteAddress: from(),
        payload: 'email=cy%40example.org&community=nowhere',
      });
      expect(form.statusCode).toBe(400);
      expect(form.body).toContain('There is no community &quot;nowhere&quot;');
      expect(form.body).toContain('value="cy@example.org"');
    },
  );

  it.skipIf(!dialect.available)(
    'the confirmation link shows a button (GET confirms nothing); POST confirms',
    async () => {
      await app.inject({
        method: 'POST',
        url: '/subscribe',
        remoteAddress: from(),
        payload: { email: 'dee@example.org' },
      });
      const [mail] = await outbox('dee@example.org');
      const link = pathOf(mail?.message.actions[0]?.url ?? '');
      const shown = await app.inject({ method: 'GET', url: link });
      expect(shown.statusCode).toBe(200);
      expect(shown.body).toContain(
        `<form method="post" action="${link}"><button type="submit">Confirm</button></form>`,
      );
      expect(shown.headers['referrer-policy']).toBe('no-referrer');
      expect((await subscriber('dee@example.org')).confirmed_at).toBeNull();
      const done = await app.inject({ method: 'POST', url: link });
      expect(done.statusCode).toBe(200);
      expect(done.body).toContain('Subscribed');
      expect(Number((await subscriber('dee@example.org')).confirmed_at)).toBe(NOW);
      expect((await app.inject({ method: 'POST', url: link })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/subscribe/confirm/nonsense' })).statusCode).toBe(404);
    },
  );

  it.skipIf(!dialect.available)(
    'one-click unsubscribe: GET shows a button, a POST of List-Unsubscribe=One-Click unsubscribes',
    async () => {
      await app.inject({
        method: 'POST',
        url: '/subscribe',
        remoteAddress: from(),
        payload: { email: 'eve@example.org' },
      });
      const { unsubscribe_token: token } = await subscriber('eve@example.org');
      const shown = await app.inject({ method: 'GET', url: `/unsubscribe/${token}` });
      expect(shown.body).toContain(`<form method="post" action="/unsubscribe/${token}">`);
      expect((await subscriber('eve@example.org')).unsubscribed_at).toBeNull();
      const done = await app.inject({
        method: 'POST',
        url: `/unsubscribe/${token}`,
        headers: FORM,
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(done.statusCode).toBe(200);
      expect(Number((await subscriber('eve@example.org')).unsubscribed_at)).toBe(NOW);
      // Mail providers may post multipart/form-data; that works too, and again.
      const multipart = await app.inject({
        method: 'POST',
        url: `/unsubscribe/${token}`,
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        payload:
          '--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--x--\r\n',
      });
      expect(multipart.statusCode).toBe(200);
      expect((await app.inject({ method: 'POST', url: '/unsubscribe/unknown-token' })).statusCode).toBe(404);
    },
  );

  it.skipIf(!dialect.available)('limits subscribe requests per client address', async () => {
    const address = from();
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/subscribe',
        remoteAddress: address,
        payload: { email: `r${i}@example.org` },
      });
      codes.push(r.statusCode);
    }
    expect(codes).toEqual([202, 202, 202, 202, 202, 429]);
    const other = await app.inject({
      method: 'POST',
      url: '/subscribe',
      remoteAddress: from(),
      payload: { email: 'r9@example.org' },
    });
    expect(other.statusCode).toBe(202);
  });

  it.skipIf(!dialect.available)('refuses odd input with a 4xx, never a 500', async () => {
    const many = await app.inject({
      method: 'POST',
      url: '/subscribe',
      remoteAddress: from(),
      payload: { email: 'many@example.org', communities: Array.from({ length: 70_000 }, (_, i) => `c${i}`) },
    });
    expect(many.statusCode).toBe(400);
    expect(many.json()).toMatchObject({ error: { field: 'community' } });
    const nul = await app.inject({
      method: 'POST',
      url: '/subscribe',
      remoteAddress: from(),
      payload: { email: 'nul@example.org', communities: ['pan\u0000geo'] },
    });
    expect(nul.statusCode).toBe(400);
    for (const url of ['/subscribe/confirm/a%00b', '/unsubscribe/a%00b']) {
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url })).statusCode).toBe(404);
    }
  });

  it.skipIf(!dialect.available)(
    'the subscriber API needs a token, and admin to change anything',
    async () => {
      expect((await app.inject({ method: 'GET', url: '/api/v1/subscribers' })).statusCode).toBe(401);
      const asReader = { authorization: `Bearer ${READ}` };
      const asAdmin = { authorization: `Bearer ${ADMIN}` };
      const hook = { kind: 'webhook', url: 'https://hooks.example.org/status', communities: ['leap'] };
      expect(
        (await app.inject({ method: 'POST', url: '/api/v1/subscribers', headers: asReader, payload: hook }))
          .statusCode,
      ).toBe(403);
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/subscribers',
        headers: asAdmin,
        payload: { ...hook, url: 'ftp://hooks.example.org/x' },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: { field: 'url' } });
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/subscribers',
        headers: asAdmin,
        payload: hook,
      });
      expect(created.statusCode).toBe(201);
      const { subscriber: made, secret } = created.json() as {
        subscriber: { id: string; state: string };
        secret: string;
      };
      expect(made.state).toBe('active');
      const listed = await app.inject({ method: 'GET', url: '/api/v1/subscribers', headers: asReader });
      expect(listed.statusCode).toBe(200);
      expect(listed.body).toContain(made.id);
      expect(listed.body).not.toContain(secret);
      expect(listed.body).not.toContain('unsubscribe_token');
      const email = await app.inject({
        method: 'POST',
        url: '/api/v1/subscribers',
        headers: asAdmin,
        payload: { kind: 'email', email: 'ops@example.org' },
      });
      expect(email.json()).toMatchObject({ subscriber: { state: 'pending' }, confirmation_queued: true });
      const removed = await app.inject({
        method: 'DELETE',
        url: `/api/v1/subscribers/${made.id}`,
        headers: asAdmin,
      });
      expect(removed.json()).toEqual({ unsubscribed: made.id });
      expect(
        (await app.inject({ method: 'DELETE', url: '/api/v1/subscribers/sub_nope', headers: asAdmin }))
          .statusCode,
      ).toBe(404);
    },
  );
});
