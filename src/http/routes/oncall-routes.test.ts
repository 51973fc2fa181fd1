import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../../test/support/databases.js';
import { parseConfigFile } from '../../config/parse-config-file.js';
import { applyFleetConfig } from '../../store/config-repository.js';
import type { Database } from '../../store/database.js';
import { createToken } from '../../store/token-repository.js';
import { ApiError } from '../errors.js';
import { registerOncallRoutes } from './oncall-routes.js';

const NOW = Date.parse('2026-06-03T12:00:00Z');
const READ = 'fw_oncall-routes-read-token-0123456789';
const WRITE = 'fw_oncall-routes-write-token-0123456789';

const FILE = `
version: 1
users:
  - key: ana
    name: Ana Pérez
    time_zone: Europe/Berlin
    contact_methods:
      - { key: chat, kind: slack, url: "https://hooks.slack.com/services/T/B/X", secret: s3cret }
  - { key: ben, name: Ben, time_zone: UTC }
schedules:
  - key: primary
    name: Primary
    time_zone: UTC
    layers: [{ name: days, rotation: daily, start: "2026-06-01T09:00", participants: [ana, ben] }]
    overrides: [{ kind: add, user: ben, start: "2026-06-20T00:00", end: "2026-06-21T00:00" }]
escalation_policies:
  - { key: default, steps: [{ targets: [{ schedule: primary }], escalate_after: 5m }] }
routing:
  default_policy: default
`;

interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly field?: string;
    readonly hint?: string;
  };
}

/** The routes on a bare Fastify with the error handling of buildServer (http/server.ts). */
function buildApp(database: Database, onChange: () => Promise<void>): FastifyInstance {
  const app = Fastify();
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).send(error.toJSON());
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply
      .code(status)
      .send(new ApiError(status < 500 ? 'invalid_request' : 'internal', String(error)).toJSON());
  });
  registerOncallRoutes(app, database, () => NOW, onChange);
  return app;
}

describe.each(testDialects())('on-call API on $name', (dialect) => {
  let database: Database;
  let app: FastifyInstance;
  let changes = 0;

  beforeAll(async () => {
    if (!dialect.available) return;
    database = await dialect.open();
    const parsed = parseConfigFile(FILE, 'fleet.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await applyFleetConfig(database.db, parsed.config, NOW);
    await createToken(database.db, { name: 'reader', scopes: ['read'], now: NOW, token: READ });
    await createToken(database.db, { name: 'writer', scopes: ['read', 'write'], now: NOW, token: WRITE });
    app = buildApp(database, async () => {
      changes += 1;
    });
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const call = async (
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    url: string,
    body?: unknown,
    token = WRITE,
  ) => {
    const response = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> & ErrorBody };
  };

  it.skipIf(!dialect.available)(
    'lists users with their origin, hiding secrets and showing flags',
    async () => {
      await database.db
        .updateTable('contact_methods')
        .set({ flagged_at: NOW, flag_reason: '404 from Slack' })
        .execute();
      const { status, body } = await call('GET', '/api/v1/users', undefined, READ);
      expect(status).toBe(200);
      expect(body.users).toEqual([
        {
          origin: 'config',
          key: 'ana',
          name: 'Ana Pérez',
          time_zone: 'Europe/Berlin',
          contact_methods: [
            {
              key: 'chat',
              kind: 'slack',
              url: 'https://hooks.slack.com/services/T/B/X',
              secret: true,
              flagged_at: NOW,
              flag_reason: '404 from Slack',
            },
          ],
        },
        { origin: 'config', key: 'ben', name: 'Ben', time_zone: 'UTC', contact_methods: [] },
      ]);
      expect((await call('GET', '/api/v1/users/nobody', undefined, READ)).status).toBe(404);
    },
  );

  it.skipIf(!dialect.available)(
    'creates, replaces and deletes a user, keeping a secret sent back as true',
    async () => {
      const before = changes;
      const dan = {
        time_zone: 'UTC',
        contact_methods: [
          { key: 'hook', kind: 'webhook', url: 'https://hooks.example.org/dan', secret: 'abc' },
        ],
      };
      const created = await call('PUT', '/api/v1/users/dan', dan);
      expect(created.status).toBe(200);
      expect(created.body.user).toMatchObject({
        origin: 'api',
        key: 'dan',
        contact_methods: [{ secret: true }],
      });

      const shown = (await call('GET', '/api/v1/users/dan')).body.user as Record<string, unknown>;
      const replaced = await call('PUT', '/api/v1/users/dan', { ...shown, name: 'Dan' });
      expect(replaced.status).toBe(200);
      const [row] = await database.db
        .selectFrom('contact_methods')
        .select('secret')
        .where('key', '=', 'hook')
        .execute();
      expect(row!.secret).toBe('abc');

      expect((await call('DELETE', '/api/v1/users/dan')).body).toEqual({ deleted: 'dan' });
      expect((await call('DELETE', '/api/v1/users/dan')).status).toBe(404);
      expect(changes - before).toBe(3);
    },
  );

  it.skipIf(!dialect.available)('refuses to change what the config file owns (409)', async () => {
    const put = await call('PUT', '/api/v1/users/ana', { time_zone: 'UTC' });
    expect(put.status).toBe(409);
    expect(put.body.error.message).toBe(
      'user "ana" is managed by config as code (firewatch apply) — change it in the config file, or use another key',
    );
    expect((await call('DELETE', '/api/v1/schedules/primary')).status).toBe(409);
    const policy = { steps: [{ targets: [{ user: 'ben' }], escalate_after: '5m' }] };
    expect((await call('PUT', '/api/v1/escalation-policies/default', policy)).status).toBe(409);
  });

  it.skipIf(!dialect.available)('names the field of a bad value or an unknown reference (400)', async () => {
    const zone = await call('PUT', '/api/v1/users/eve', { time_zone: 'Europe/Berlim' });
    expect([zone.status, zone.body.error.field]).toEqual([400, 'time_zone']);
    expect(zone.body.error.message).toBe(
      'user field time_zone: unknown time zone "Europe/Berlim" — use an IANA name such as Europe/Berlin',
    );
    const participant = await call('PUT', '/api/v1/schedules/backup', {
      time_zone: 'UTC',
      layers: [{ name: 'all', rotation: 'weekly', start: '2026-06-01', participants: ['ana', 'zed'] }],
    });
    expect(participant.status).toBe(400);
    expect(participant.body.error).toEqual({
      code: 'invalid_request',
      message: 'schedule field layers[0].participants[1]: unknown user "zed"',
      field: 'layers[0].participants[1]',
      hint: 'create it first (PUT /api/v1/users/<key>); known: ana, ben',
    });
    const method = await call('PUT', '/api/v1/users/eve', {
      time_zone: 'UTC',
      notification_rules: [{ method: 'sms' }],
    });
    expect(method.body.error.field).toBe('notification_rules[0].method');
    const target = await call('PUT', '/api/v1/escalation-policies/p', {
      steps: [{ targets: [{ schedule: 'nope' }], escalate_after: '5m' }],
    });
    expect([target.status, target.body.error.field]).toEqual([400, 'steps[0].targets[0].schedule']);
    const overrides = await call('PUT', '/api/v1/schedules/backup', { time_zone: 'UTC', overrides: [] });
    expect([overrides.status, overrides.body.error.field]).toEqual([400, 'overrides']);
  });

  it.skipIf(!dialect.available)('refuses to delete a schedule a policy still pages (409)', async () => {
    const schedule = {
      time_zone: 'UTC',
      layers: [{ name: 'all', rotation: 'daily', start: '2026-06-01', participants: ['ben'] }],
    };
    expect((await call('PUT', '/api/v1/schedules/backup', schedule)).status).toBe(200);
    const policy = { steps: [{ targets: [{ schedule: 'backup' }], escalate_after: '5m' }] };
    expect((await call('PUT', '/api/v1/escalation-policies/backup', policy)).status).toBe(200);
    const refused = await call('DELETE', '/api/v1/schedules/backup');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      'schedule "backup" is still used by the steps of escalation policy "backup"',
    );
    expect((await call('DELETE', '/api/v1/escalation-policies/backup')).status).toBe(200);
    expect((await call('DELETE', '/api/v1/schedules/backup')).status).toBe(200);
  });

  it.skipIf(!dialect.available)(
    "adds overrides to the file's schedule and deletes only its own",
    async () => {
      const added = await call('POST', '/api/v1/schedules/primary/overrides', {
        kind: 'replace',
        user: 'ben',
        start: '2026-06-03T10:00',
        end: '2026-06-03T16:00:00+02:00',
      });
      expect(added.status).toBe(201);
      const override = added.body.override as Record<string, unknown>;
      expect(override).toMatchObject({
        origin: 'api',
        author: 'writer',
        kind: 'replace',
        user: 'ben',
        start: '2026-06-03T10:00',
        end: '2026-06-03T14:00',
      });
      const shown = (await call('GET', '/api/v1/schedules/primary')).body.schedule as {
        overrides: { id: string }[];
      };
      expect(shown.overrides.map((o) => o.id)).toEqual(['cfg-primary-0', override.id]);

      const oncall = await call('GET', '/api/v1/schedules/primary/oncall', undefined, READ);
      expect(oncall.body).toEqual({
        schedule: 'primary',
        now: {
          users: ['ben'],
          from: Date.parse('2026-06-03T10:00:00Z'),
          until: Date.parse('2026-06-03T14:00:00Z'),
        },
        next: {
          users: ['ana'],
          from: Date.parse('2026-06-03T14:00:00Z'),
          until: Date.parse('2026-06-04T09:00:00Z'),
        },
      });

      const past = await call('POST', '/api/v1/schedules/primary/overrides', {
        kind: 'add',
        user: 'ben',
        start: '2026-06-01T00:00',
        end: '2026-06-02T00:00',
      });
      expect([past.status, past.body.error.field]).toEqual([400, 'end']);
      const unknown = await call('POST', '/api/v1/schedules/primary/overrides', {
        kind: 'add',
        user: 'zed',
        start: '2026-07-01T00:00',
        end: '2026-07-02T00:00',
      });
      expect([unknown.status, unknown.body.error.field]).toEqual([400, 'user']);
      expect((await call('DELETE', '/api/v1/schedules/primary/overrides/cfg-primary-0')).status).toBe(409);
      expect((await call('DELETE', `/api/v1/schedules/primary/overrides/${override.id}`)).status).toBe(200);
      expect((await call('DELETE', `/api/v1/schedules/primary/overrides/${override.id}`)).status).toBe(404);
    },
  );

  it.skipIf(!dialect.available)('tells who is on call now and next', async () => {
    const { status, body } = await call('GET', '/api/v1/schedules/primary/oncall', undefined, READ);
    expect(status).toBe(200);
    expect(body).toEqual({
      schedule: 'primary',
      now: {
        users: ['ana'],
        from: Date.parse('2026-06-03T09:00:00Z'),
        until: Date.parse('2026-06-04T09:00:00Z'),
      },
      next: {
        users: ['ben'],
        from: Date.parse('2026-06-04T09:00:00Z'),
        until: Date.parse('2026-06-05T09:00:00Z'),
      },
    });
  });

  it.skipIf(!dialect.available)('serves calendar feeds to a token in the URL, not without one', async () => {
    const feed = await app.inject({ url: `/api/v1/schedules/primary.ics?token=${READ}` });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(feed.body).toContain('X-WR-CALNAME:Primary');
    expect(feed.body).toContain('DESCRIPTION:Ana Pérez (ana)');
    expect(feed.body).toContain('DTSTART:20260603T090000Z');

    const mine = await app.inject({
      url: '/api/v1/users/ben/shifts.ics',
      headers: { authorization: `Bearer ${READ}` },
    });
    expect(mine.statusCode).toBe(200);
    // Ben's days, and the file's override adding him from midnight joined to his shift after it.
    expect(mine.body).toContain('DTSTART:20260604T090000Z\r\nDTEND:20260605T090000Z');
    expect(mine.body).toContain('DTSTART:20260620T000000Z\r\nDTEND:20260621T090000Z');
    expect(mine.body).not.toContain('Ana');

    expect((await app.inject({ url: '/api/v1/schedules/primary.ics' })).statusCode).toBe(401);
    expect((await app.inject({ url: `/api/v1/schedules/primary.ics?token=fw_wrong` })).statusCode).toBe(401);
    expect((await app.inject({ url: `/api/v1/users?token=${READ}` })).statusCode).toBe(401);
  });

  it.skipIf(!dialect.available)('needs the write scope to change anything (403)', async () => {
    const refused = await call('PUT', '/api/v1/users/zoe', { time_zone: 'UTC' }, READ);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    expect(
      (await call('GET', '/api/v1/escalation-policies', undefined, READ)).body.escalation_policies,
    ).toEqual([
      {
        origin: 'config',
        key: 'default',
        steps: [{ targets: [{ schedule: 'primary' }], escalate_after: '5m' }],
      },
    ]);
  });
});
