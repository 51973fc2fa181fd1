import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../../test/support/databases.js';
import { v2Documents } from '../../../test/support/statuspage-v2-schema.js';
import { startTestFirewatch, type TestFirewatch } from '../../../test/support/test-firewatch.js';
import type { Schema } from '../../store/schema.js';

const TOKEN = 'fw_public-api-routes-token-0123456789';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CONFIG = `version: 1
shared_components:
  - { key: east, name: East cluster }
communities:
  - slug: alpha
    name: Alpha Hub
    depends_on: [east]
    components:
      - { key: hub, name: Hub }
      - { key: login, name: Login }
  - slug: beta
    name: Beta Forum
    components:
      - { key: hub, name: Hub }
`;
const HOSTILE = '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))';

/**
 * Writes incidents and maintenances as the incident code would: alpha's open hub outage (with an
 * internal note and a draft update that must stay private), beta's resolved incident, an unpublished
 * draft incident, and a maintenance in progress on beta plus one upcoming on alpha.
 */
async function seedIncidents(db: Kysely<Schema>, componentIds: Map<string, string>, now: number) {
  const id = (ref: string) => componentIds.get(ref) ?? `missing ${ref}`;
  const incident = (
    incidentId: string,
    title: string,
    status: string,
    impact: string,
    publishedAt: number | null,
    resolvedAt: number | null = null,
  ) => ({
    id: incidentId,
    title,
    status,
    impact,
    severity: 'P2',
    detection_source: 'monitoring',
    origin: 'manual',
    detected_at: now - 2 * HOUR,
    published_at: publishedAt,
    resolved_at: resolvedAt,
    created_at: publishedAt ?? now,
    updated_at: resolvedAt ?? now - HOUR,
  });
  await db
    .insertInto('incidents')
    .values([
      incident('inc-alpha', 'Alpha hub down', 'investigating', 'major', now - 2 * HOUR),
      incident('inc-beta', 'Beta forum errors', 'resolved', 'minor', now - 3 * DAY, now - 3 * DAY + HOUR),
      incident('inc-draft', 'Secret draft incident', 'investigating', 'critical', null),
    ])
    .execute();
  const link = (incidentId: string, ref: string, status: string) => ({
    incident_id: incidentId,
    component_id: id(ref),
    status,
    added_at: now - 3 * DAY,
  });
  await db
    .insertInto('incident_components')
    .values([
      link('inc-alpha', 'alpha/hub', 'major_outage'),
      link('inc-beta', 'beta/hub', 'operational'),
      link('inc-draft', 'beta/hub', 'major_outage'),
    ])
    .execute();
  const affected = JSON.stringify([
    { component_id: id('alpha/hub'), name: 'Hub', old_status: 'operational', new_status: 'major_outage' },
  ]);
  const row = (
    updateId: string,
    incidentId: string,
    kind: string,
    state: string,
    body: string,
    at: number | null,
  ) => ({
    id: updateId,
    incident_id: incidentId,
    kind,
    status: incidentId === 'inc-beta' ? 'resolved' : 'investigating',
    body,
    affected: incidentId === 'inc-alpha' ? affected : '[]',
    author: 'ana',
    state,
    created_at: at ?? now,
    published_at: at,
  });
  await db
    .insertInto('incident_updates')
    .values([
      row('upd-alpha-1', 'inc-alpha', 'public', 'published', HOSTILE, now - 2 * HOUR),
      row('upd-alpha-note', 'inc-alpha', 'internal', 'published', 'internal note words', now - HOUR),
      row('upd-alpha-draft', 'inc-alpha', 'public', 'draft', 'draft update words', null),
      row('upd-beta-1', 'inc-beta', 'public', 'published', 'Fixed.', now - 3 * DAY + HOUR),
    ])
    .execute();
  const window = (windowId: string, title: string, startsAt: number) => ({
    id: windowId,
    title,
    starts_at: startsAt,
    ends_at: startsAt + 2 * HOUR,
    author: 'ana',
    created_at: now - DAY,
    cancelled_at: null,
  });
  await db
    .insertInto('maintenances')
    .values([
      window('mnt-beta', 'Beta database move', now - HOUR),
      window('mnt-alpha', 'Alpha login upgrade', now + 2 * DAY),
    ])
    .execute();
  await db
    .insertInto('maintenance_components')
    .values([
      { maintenance_id: 'mnt-beta', component_id: id('beta/hub') },
      { maintenance_id: 'mnt-alpha', component_id: id('alpha/login') },
    ])
    .execute();
}

interface Listed {
  incidents?: { id: string; incident_updates: { body: string }[] }[];
  scheduled_maintenances?: { name: string; status: string }[];
}

describe.each(testDialects())('public JSON, feeds and badges over HTTP on $name', (dialect) => {
  let app: TestFirewatch;
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${app.firewatch.url}${path}`, { headers });
  const json = async (path: string) => (await (await get(path)).json()) as Listed;

  beforeAll(async () => {
    if (!dialect.available) return;
    app = await startTestFirewatch(CONFIG, { dialect, token: TOKEN, name: 'public-api' });
    const db = app.database.db;
    const components = await db.selectFrom('components').select(['id', 'ref']).execute();
    await seedIncidents(db, new Map(components.map((c) => [c.ref, c.id])), Date.now());
    await app.firewatch.snapshots.build();
  });

  afterAll(async () => {
    await app?.close();
  });

  it.skipIf(!dialect.available)(
    'serves every v2 document fleet-wide and per community in Statuspage shape',
    async () => {
      for (const prefix of ['', '/c/alpha', '/c/beta']) {
        for (const [path, schema] of Object.entries(v2Documents)) {
          const response = await get(`${prefix}/api/v2/${path}`);
          expect(response.status, `${prefix}/api/v2/${path}`).toBe(200);
          expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
          const parsed = schema.safeParse(await response.json());
          expect(parsed.error, `${prefix}/api/v2/${path}`).toBeUndefined();
        }
      }
    },
  );

  it.skipIf(!dialect.available)(
    'lists published incidents only, with public published updates only',
    async () => {
      const ids = (l: Listed) => (l.incidents ?? []).map((i) => i.id);
      expect(ids(await json('/api/v2/summary.json'))).toEqual(['inc-alpha']);
      expect(ids(await json('/api/v2/incidents/unresolved.json'))).toEqual(['inc-alpha']);
      expect(ids(await json('/api/v2/incidents.json'))).toEqual(['inc-alpha', 'inc-beta']);
      expect(ids(await json('/c/alpha/api/v2/incidents.json'))).toEqual(['inc-alpha']);
      expect(ids(await json('/c/beta/api/v2/incidents.json'))).toEqual(['inc-beta']);
      const alpha = (await json('/api/v2/incidents.json')).incidents?.[0];
      expect(alpha?.incident_updates.map((u) => u.body)).toEqual([HOSTILE]);
      for (const path of [
        '/api/v2/incidents.json',
        '/history.rss',
        '/history.atom',
        '/c/alpha/history.atom',
      ]) {
        const text = await (await get(path)).text();
        expect(text, path).not.toMatch(/internal note words|draft update words|Secret draft incident/);
      }
    },
  );

  it.skipIf(!dialect.available)(
    'splits maintenances into active and upcoming, per community too',
    async () => {
      const names = (l: Listed) => (l.scheduled_maintenances ?? []).map((m) => `${m.name}:${m.status}`);
      expect(names(await json('/api/v2/scheduled-maintenances/active.json'))).toEqual([
        'Beta database move:in_progress',
      ]);
      expect(names(await json('/api/v2/scheduled-maintenances/upcoming.json'))).toEqual([
        'Alpha login upgrade:scheduled',
      ]);
      expect(names(await json('/api/v2/summary.json'))).toEqual([
        'Beta database move:in_progress',
        'Alpha login upgrade:scheduled',
      ]);
      expect(names(await json('/c/alpha/api/v2/scheduled-maintenances.json'))).toEqual([
        'Alpha login upgrade:scheduled',
      ]);
    },
  );

  it.skipIf(!dialect.available)(
    'serves RSS and Atom with their content types, hostile bodies escaped',
    async () => {
      for (const [path, type] of [
        ['/history.rss', 'application/rss+xml; charset=utf-8'],
        ['/history.atom', 'application/atom+xml; charset=utf-8'],
        ['/c/alpha/history.rss', 'application/rss+xml; charset=utf-8'],
        ['/c/beta/history.atom', 'application/atom+xml; charset=utf-8'],
      ] as const) {
        const response = await get(path);
        expect(response.status, path).toBe(200);
        expect(response.headers.get('content-type')).toBe(type);
        const text = await response.text();
        expect(text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>/);
        expect(text).not.toMatch(/<script|<img|CDATA/i);
      }
      const rss = await (await get('/history.rss')).text();
      expect(rss).toContain('<guid isPermaLink="false">inc-alpha</guid>');
      expect(rss).toContain(`<link>${app.firewatch.url}/incidents/inc-alpha</link>`);
      expect(rss).toContain('&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;');
      const beta = await (await get('/c/beta/history.atom')).text();
      expect(beta).toContain('<title type="text">Beta forum errors</title>');
      expect(beta).not.toContain('Alpha hub down');
    },
  );

  it.skipIf(!dialect.available)('draws status and uptime badges in words', async () => {
    const fleet = await get('/badge.svg');
    expect(fleet.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(await fleet.text()).toMatch(/role="img" aria-label="[^"]+: major outage"/);
    expect(await (await get('/c/alpha/badge.svg')).text()).toContain(
      '<title>Alpha Hub: major outage</title>',
    );
    expect(await (await get('/c/beta/badge.svg')).text()).toContain(
      '<title>Beta Forum: under maintenance</title>',
    );
    expect(await (await get('/c/alpha/uptime.svg')).text()).toContain(
      '<title>Alpha Hub uptime: no data</title>',
    );
  });

  it.skipIf(!dialect.available)(
    'answers 304 to a matching ETag and 404 to unknown documents and communities',
    async () => {
      for (const path of [
        '/api/v2/incidents/unresolved.json',
        '/c/alpha/history.atom',
        '/c/beta/uptime.svg',
      ]) {
        const first = await get(path);
        const etag = first.headers.get('etag');
        expect(etag, path).toMatch(/^W\/"fw-\d+"$/);
        expect((await get(path, { 'if-none-match': etag ?? '' })).status, path).toBe(304);
      }
      for (const path of [
        '/api/v2/nope.json',
        '/api/v2/incidents/nope.json',
        '/api/v2/constructor',
        '/c/nope/api/v2/summary.json',
        '/c/alpha/api/v2/__proto__',
        '/c/nope/history.rss',
        '/c/nope/badge.svg',
        '/c/nope/uptime.svg',
      ]) {
        expect((await get(path)).status, path).toBe(404);
      }
    },
  );
});
