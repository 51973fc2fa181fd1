import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedOneMonitor } from '../../../test/support/seed.js';
import { SnapshotCache } from '../../app/snapshot-cache.js';
import { STATUS_SCRIPT, STATUS_SCRIPT_URL } from '../../statuspage/status-script.js';
import { type Database, openDatabase } from '../../store/database.js';
import type { Schema } from '../../store/schema.js';
import { registerPublicStatusRoutes, STATUS_PAGE_CSP } from './public-status-routes.js';
import { registerStatusEvents } from './status-events-route.js';

const NOW = Date.UTC(2026, 10, 21, 15);

async function seedIncident(db: import('kysely').Kysely<Schema>, id: string, publishedAt: number | null) {
  await db
    .insertInto('incidents')
    .values({
      id,
      title: `Incident ${id}`,
      status: 'investigating',
      impact: 'major',
      severity: 'P2',
      detection_source: 'monitoring',
      origin: 'automation',
      detected_at: NOW - 60_000,
      first_report_at: null,
      lead_time_ms: null,
      commander: null,
      communications: null,
      published_at: publishedAt,
      recovered_at: null,
      monitoring_at: null,
      resolved_at: null,
      postmortem_at: null,
      next_update_due_at: null,
      created_at: NOW - 60_000,
      updated_at: NOW - 60_000,
    })
    .execute();
  await db
    .insertInto('incident_components')
    .values({ incident_id: id, component_id: 'cmp_1', status: 'major_outage', added_at: NOW - 60_000 })
    .execute();
}

describe('public status routes', () => {
  let database: Database;
  let snapshots: SnapshotCache;
  let app: FastifyInstance;
  let base: string;

  beforeEach(async () => {
    database = await openDatabase({ url: ':memory:' });
    await seedOneMonitor(database.db);
    await seedIncident(database.db, 'inc_live', NOW - 60_000);
    await seedIncident(database.db, 'inc_draft', null);
    snapshots = new SnapshotCache({
      database,
      page: { pageName: 'Fleet status', pageUrl: 'http://status.test' },
      now: () => NOW,
      onError: (error) => {
        throw error;
      },
    });
    await snapshots.build();
    app = Fastify();
    registerPublicStatusRoutes(app, snapshots);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterEach(async () => {
    await app.close();
    await database.close();
  });

  it('sends the content security policy on every HTML page, 404s included', async () => {
    for (const path of [
      '/',
      '/c/alpha',
      '/c/alpha/history',
      '/history',
      '/incidents/inc_live',
      '/incidents/nope',
    ]) {
      const response = await fetch(`${base}${path}`);
      expect(response.headers.get('content-security-policy'), path).toBe(STATUS_PAGE_CSP);
      expect(response.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    expect(STATUS_PAGE_CSP).toContain("script-src 'self'");
    expect(STATUS_PAGE_CSP).toContain("frame-ancestors 'none'");
  });

  it('serves a published incident page and 404s unknown and draft incidents alike', async () => {
    const live = await fetch(`${base}/incidents/inc_live`);
    expect(live.status).toBe(200);
    expect(await live.text()).toContain('<h1 id="incident-title">Incident inc_live</h1>');
    for (const id of ['inc_draft', 'nope']) {
      const missing = await fetch(`${base}/incidents/${id}`);
      expect(missing.status).toBe(404);
      const text = await missing.text();
      expect(text).toContain('<h1>Incident not found</h1>');
      expect(text).not.toContain('Incident inc_draft');
    }
  });

  it('shows the open incident on the community page and answers 304 to a matching ETag', async () => {
    const first = await fetch(`${base}/c/alpha`);
    const page = await first.text();
    expect(page).toContain('<a href="/incidents/inc_live">Incident inc_live</a>');
    expect(page).toContain('data-status="major_outage"');
    const again = await fetch(`${base}/c/alpha`, {
      headers: { 'if-none-match': first.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect((await fetch(`${base}/c/nope/history`)).status).toBe(404);
  });

  it('serves the live script from a constant with a year-long cache and an ETag', async () => {
    const response = await fetch(`${base}${STATUS_SCRIPT_URL}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await response.text()).toBe(STATUS_SCRIPT);
    const etag = response.headers.get('etag')!;
    expect((await fetch(`${base}/static/status.js`, { headers: { 'if-none-match': etag } })).status).toBe(
      304,
    );
  });

  it('streams the snapshot version on connect and again after the snapshot is rebuilt', async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const readUntil = async (needle: string) => {
      while (!received.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before "${needle}"; got ${received}`);
        received += value;
      }
    };
    const version = snapshots.version;
    await readUntil(`event: snapshot\ndata: ${version}\n\n`);
    snapshots.invalidate();
    await readUntil(`event: snapshot\ndata: ${version + 1}\n\n`);
    expect(received.startsWith('retry: 5000\n\n')).toBe(true);
    controller.abort();
  });

  it('sends a comment ping on an idle stream so proxies keep it open', async () => {
    const pinging = Fastify();
    registerStatusEvents(pinging, snapshots, { pingMs: 50 });
    const url = await pinging.listen({ port: 0, host: '127.0.0.1' });
    try {
      const response = await fetch(`${url}/events`);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let received = '';
      while (!received.includes(': ping\n\n')) received += (await reader.read()).value ?? '';
      expect(received).toContain(`event: snapshot\ndata: ${snapshots.version}\n\n`);
    } finally {
      await pinging.close();
    }
  });

  it('closes the server while a live stream is still open', async () => {
    const response = await fetch(`${base}/events`);
    const reader = response.body!.getReader();
    await reader.read();
    await app.close();
    const rest = await reader.read();
    expect(rest.done).toBe(true);
  });
});
