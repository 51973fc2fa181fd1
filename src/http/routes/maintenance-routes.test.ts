import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../../test/support/databases.js';
import { parseConfigFile } from '../../config/parse-config-file.js';
import { applyFleetConfig } from '../../store/config-repository.js';
import type { Database } from '../../store/database.js';
import { createToken } from '../../store/token-repository.js';
import { ApiError } from '../errors.js';
import { registerMaintenanceRoutes } from './maintenance-routes.js';

const NOW = Date.parse('2026-11-18T12:00:00Z'); // a Wednesday
const WRITE = 'fw_maintenance-routes-write-token-0123';
const FLEET = `version: 1
communities:
  - { slug: pangeo, name: Pangeo, components: [{ key: hub, name: Hub }] }
`;

describe.each(testDialects())('maintenance routes on $name', (dialect) => {
  let database: Database;
  let app: FastifyInstance;
  const headers = { authorization: `Bearer ${WRITE}` };
  const create = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/v1/maintenances', headers, payload });

  beforeAll(async () => {
    if (!dialect.available) return;
    database = await dialect.open();
    const parsed = parseConfigFile(FLEET, 'fleet.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await applyFleetConfig(database.db, parsed.config, NOW);
    await createToken(database.db, { name: 'writer', scopes: ['read', 'write'], now: NOW, token: WRITE });
    app = Fastify();
    app.setErrorHandler((error, _request, reply) => {
      if (error instanceof ApiError) return reply.code(error.status).send(error.toJSON());
      return reply.code(500).send(String(error));
    });
    registerMaintenanceRoutes(app, database, () => NOW);
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it.skipIf(!dialect.available)('needs a token', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/maintenances' })).statusCode).toBe(401);
  });

  it.skipIf(!dialect.available)('refuses wrong input with a message naming the field', async () => {
    const base = { title: 'Upgrade', components: ['pangeo/hub'], duration: '2h' };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...base, repeat: '0 2 * *' }, 'repeat', /use 5 fields .* got 4/],
      [{ ...base, repeat: '0 25 * * *' }, 'repeat', /invalid cron expression "0 25 \* \* \*": .*hour/],
      [{ ...base, repeat: '0 * * * *' }, 'repeat', /occurrences would overlap/],
      [{ ...base, repeat_until: '2027-01-01T00:00:00Z' }, 'repeat_until', /repeat_until needs repeat/],
      [
        { ...base, repeat: '0 2 * * 0', repeat_until: '2026-11-01T00:00:00Z' },
        'repeat_until',
        /before the first occurrence/,
      ],
      [{ ...base, notify_before: 'soon' }, 'notify_before', /invalid duration "soon".*or write off/],
      [{ ...base, components: ['pangeo/nope'] }, 'components', /unknown components: pangeo\/nope/],
      [{ title: 'Upgrade', components: ['pangeo/hub'] }, 'ends_at', /say when it ends/],
      [{ ...base, starts_at: '2026-11-01T00:00:00Z', duration: '1h' }, 'ends_at', /already over/],
    ];
    for (const [payload, field, message] of cases) {
      const response = await create(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      const { error } = response.json() as { error: { field: string; message: string } };
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
    }
  });

  it.skipIf(!dialect.available)(
    'a repeating maintenance starts at the next match and lists its next occurrence',
    async () => {
      const created = await create({
        title: 'Weekly upgrade',
        description: 'Rolling **upgrade**.',
        components: ['pangeo/hub'],
        repeat: '0 2 * * 0',
        duration: '2h',
        notify_before: 'off',
      });
      expect(created.statusCode).toBe(201);
      const { maintenance } = created.json() as { maintenance: Record<string, unknown> & { id: string } };
      expect(maintenance).toMatchObject({
        startsAt: Date.parse('2026-11-22T02:00:00Z'),
        endsAt: Date.parse('2026-11-22T04:00:00Z'),
        repeat: '0 2 * * 0',
        repeatUntil: null,
        notifyBeforeMs: 0,
        description: 'Rolling **upgrade**.',
        state: 'scheduled',
        nextOccurrence: {
          start: Date.parse('2026-11-22T02:00:00Z'),
          end: Date.parse('2026-11-22T04:00:00Z'),
        },
      });
      const one = await app.inject({ method: 'GET', url: `/api/v1/maintenances/${maintenance.id}`, headers });
      expect(one.json()).toMatchObject({ maintenance: { id: maintenance.id, components: ['pangeo/hub'] } });
      const listed = await app.inject({ method: 'GET', url: '/api/v1/maintenances', headers });
      expect((listed.json() as { maintenances: { id: string }[] }).maintenances.map((m) => m.id)).toContain(
        maintenance.id,
      );

      expect(
        (
          await app.inject({ method: 'DELETE', url: `/api/v1/maintenances/${maintenance.id}`, headers })
        ).json(),
      ).toEqual({
        cancelled: maintenance.id,
      });
      const after = await app.inject({
        method: 'GET',
        url: `/api/v1/maintenances/${maintenance.id}`,
        headers,
      });
      expect(after.json()).toMatchObject({ maintenance: { state: 'cancelled', nextOccurrence: null } });
      const active = await app.inject({ method: 'GET', url: '/api/v1/maintenances', headers });
      expect(
        (active.json() as { maintenances: { id: string }[] }).maintenances.map((m) => m.id),
      ).not.toContain(maintenance.id);
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/maintenances/mnt_nope', headers })).statusCode,
      ).toBe(404);
    },
  );

  it.skipIf(!dialect.available)('a one-off maintenance defaults to a notice a day ahead', async () => {
    const created = await create({
      title: 'Storage move',
      components: ['pangeo/hub'],
      starts_at: '2026-11-20T10:00:00Z',
      ends_at: '2026-11-20T11:00:00Z',
    });
    expect(created.json()).toMatchObject({
      maintenance: { notifyBeforeMs: 86_400_000, state: 'scheduled', repeat: null },
    });
  });
});
