import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../../test/support/databases.js';
import { api, startTestFirewatch, type TestFirewatch } from '../../../test/support/test-firewatch.js';
import { createToken } from '../../store/token-repository.js';

const TOKEN = 'fw_incident-routes-admin-token-0123456789';
const READ = 'fw_incident-routes-read-token-01234567890';
const CONFIG = `version: 1
communities:
  - slug: pangeo
    name: Pangeo
    components:
      - { key: hub, name: Hub }
      - { key: login, name: Login }
integrations:
  - { key: events, kind: generic }
`;

interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

interface IncidentBody {
  readonly incident: {
    readonly id: string;
    readonly status: string;
    readonly impact: string;
    readonly severity: string;
    readonly published: boolean;
    readonly version: number;
    readonly origin: string;
    readonly detection_source: string;
    readonly commander: string | null;
    readonly held: boolean;
    readonly resolved_at: number | null;
    readonly next_update_due_at: number | null;
    readonly components: readonly { ref: string; status: string }[];
    readonly updates: readonly {
      kind: string;
      status: string;
      state: string;
      body: string;
      author: string;
    }[];
    readonly timeline: readonly { kind: string; source: string; summary: string }[];
    readonly alert_ids: readonly string[];
  };
  readonly declared?: boolean;
}

describe.each(testDialects())('incident API on $name', (dialect) => {
  let app: TestFirewatch;

  beforeAll(async () => {
    if (!dialect.available) return;
    app = await startTestFirewatch(CONFIG, { dialect, token: TOKEN, name: 'incident-routes' });
    await createToken(app.database.db, { name: 'reader', scopes: ['read'], now: Date.now(), token: READ });
  });

  afterAll(async () => {
    await app?.close();
  });

  const send = (method: string, path: string, body: unknown) =>
    api(app, path, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const declare = (body: unknown) => send('POST', '/api/v1/incidents', body);

  it.skipIf(!dialect.available)('needs a token to read and the write scope to change', async () => {
    const anonymous = await fetch(`${app.firewatch.url}/api/v1/incidents`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as ErrorBody).error.code).toBe('unauthorized');
    const anonymousPost = await fetch(`${app.firewatch.url}/api/v1/incidents`, { method: 'POST' });
    expect(anonymousPost.status).toBe(401);
    const reader = { authorization: `Bearer ${READ}`, 'content-type': 'application/json' };
    expect((await fetch(`${app.firewatch.url}/api/v1/incidents`, { headers: reader })).status).toBe(200);
    const refused = await fetch(`${app.firewatch.url}/api/v1/incidents`, {
      method: 'POST',
      headers: reader,
      body: JSON.stringify({ title: 'x', impact: 'minor' }),
    });
    expect(refused.status).toBe(403);
  });

  it.skipIf(!dialect.available)('declares, updates and resolves an incident', async () => {
    const created = await declare({
      title: 'Hub errors',
      impact: 'major',
      components: [{ component: 'pangeo/hub', status: 'partial_outage' }],
      commander: 'ana',
    });
    expect(created.status).toBe(201);
    const { incident } = (await created.json()) as IncidentBody;
    expect(incident).toMatchObject({
      status: 'investigating',
      severity: 'P2',
      published: true,
      origin: 'manual',
      detection_source: 'manual',
      commander: 'ana',
      components: [{ ref: 'pangeo/hub', status: 'partial_outage' }],
    });
    expect(incident.updates[0]?.body).toContain(
      'We are investigating reports of problems with Hub (Pangeo).',
    );
    expect(incident.updates[0]?.author).toBe('admin (FIREWATCH_ADMIN_TOKEN)');

    const note = await send('POST', `/api/v1/incidents/${incident.id}/updates`, {
      kind: 'internal',
      message: 'Disk is at 100%.',
      as: 'ben',
    });
    expect(note.status).toBe(201);
    const identified = await send('POST', `/api/v1/incidents/${incident.id}/updates`, {
      message: 'We found a full disk and are freeing space.',
      status: 'identified',
      components: [{ component: 'pangeo/login', status: 'degraded_performance' }],
    });
    const afterIdentified = (await identified.json()) as IncidentBody;
    expect(afterIdentified.incident.status).toBe('identified');
    expect(afterIdentified.incident.components.map((c) => c.ref)).toEqual(['pangeo/hub', 'pangeo/login']);

    const held = await send('PATCH', `/api/v1/incidents/${incident.id}`, {
      held: true,
      version: afterIdentified.incident.version,
    });
    expect(((await held.json()) as IncidentBody).incident.held).toBe(true);
    const stale = await send('PATCH', `/api/v1/incidents/${incident.id}`, {
      title: 'Late rename',
      version: afterIdentified.incident.version,
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ErrorBody).error.field).toBe('version');

    const resolved = await send('POST', `/api/v1/incidents/${incident.id}/updates`, {
      message: 'Space is freed and the hub works again.',
      status: 'resolved',
    });
    const final = ((await resolved.json()) as IncidentBody).incident;
    expect(final).toMatchObject({ status: 'resolved', next_update_due_at: null });
    expect(final.components.every((c) => c.status === 'operational')).toBe(true);
    expect(final.updates.map((u) => [u.kind, u.status])).toEqual([
      ['public', 'resolved'],
      ['public', 'identified'],
      ['internal', 'investigating'],
      ['public', 'investigating'],
    ]);

    const refused = await send('POST', `/api/v1/incidents/${incident.id}/updates`, {
      message: 'Back to monitoring?',
      status: 'monitoring',
    });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as ErrorBody).error.message).toContain('reopen it as investigating');

    const open = (await (await api(app, '/api/v1/incidents')).json()) as { incidents: { id: string }[] };
    expect(open.incidents.map((i) => i.id)).not.toContain(incident.id);
    const resolvedList = (await (await api(app, '/api/v1/incidents?state=resolved')).json()) as {
      incidents: { id: string }[];
    };
    expect(resolvedList.incidents.map((i) => i.id)).toContain(incident.id);
    const read = (await (await api(app, `/api/v1/incidents/${incident.id}`)).json()) as IncidentBody;
    expect(read.incident.timeline.map((e) => e.kind)).toContain('held');
  });

  it.skipIf(!dialect.available)('refuses what it cannot understand, naming the field', async () => {
    const unknown = await declare({
      title: 'x',
      impact: 'minor',
      components: [
        { component: 'pangeo/hub', status: 'degraded_performance' },
        { component: 'pangeo/ghost', status: 'major_outage' },
      ],
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrorBody).error).toMatchObject({
      message: 'unknown component "pangeo/ghost"',
      field: 'components[1].component',
    });
    const impact = await declare({ title: 'x', impact: 'huge' });
    expect(impact.status).toBe(400);
    expect(((await impact.json()) as ErrorBody).error.field).toBe('impact');
    const empty = await send('PATCH', '/api/v1/incidents/inc_nope', {});
    expect(empty.status).toBe(400);
    const missing = await send('PATCH', '/api/v1/incidents/inc_nope', { title: 'x' });
    expect(missing.status).toBe(404);
    expect((await api(app, '/api/v1/incidents/inc_nope')).status).toBe(404);
    // PostgreSQL refuses NUL in text: still the client's mistake, not a 500.
    expect([400, 404]).toContain((await api(app, '/api/v1/incidents/inc%00nope')).status);
    const nul = await declare({
      title: 'x',
      impact: 'minor',
      components: [{ component: 'a\u0000b', status: 'major_outage' }],
    });
    expect(nul.status).toBe(400);
  });

  it.skipIf(!dialect.available)('keeps a draft off the record until it is published', async () => {
    const created = await declare({
      title: 'Maybe slow',
      impact: 'minor',
      draft: true,
      message: 'Checking.',
    });
    const { incident } = (await created.json()) as IncidentBody;
    expect(incident).toMatchObject({ published: false, next_update_due_at: null });
    expect(incident.updates[0]?.state).toBe('draft');
    const published = await send('POST', `/api/v1/incidents/${incident.id}/publish`, {});
    const after = ((await published.json()) as IncidentBody).incident;
    expect(after.published).toBe(true);
    expect(after.updates[0]?.state).toBe('published');
  });

  it.skipIf(!dialect.available)('declares an incident from an alert once, then links to it', async () => {
    const listed = (await (await api(app, '/api/v1/integrations')).json()) as {
      integrations: { key: string; url: string }[];
    };
    const ingestUrl = listed.integrations.find((i) => i.key === 'events')?.url ?? '';
    await fetch(ingestUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'hub_down',
        summary: 'Hub returns 500',
        community: 'pangeo',
        component: 'pangeo/hub',
        dedup_key: 'hub:pangeo',
        severity: 'P1',
      }),
    });
    const { alerts } = (await (await api(app, '/api/v1/alerts?q=Hub%20returns')).json()) as {
      alerts: { id: string; summary: string }[];
    };
    const alert = alerts[0]!;
    const first = await send('POST', `/api/v1/alerts/${alert.id}/incident`, {});
    expect(first.status).toBe(201);
    const declared = (await first.json()) as IncidentBody;
    expect(declared).toMatchObject({
      declared: true,
      incident: {
        title: alert.summary,
        impact: 'critical',
        origin: 'alert',
        detection_source: 'monitoring',
        alert_ids: [alert.id],
        components: [{ ref: 'pangeo/hub', status: 'major_outage' }],
      },
    });
    const second = await send('POST', `/api/v1/alerts/${alert.id}/incident`, {});
    expect(second.status).toBe(200);
    expect((await second.json()) as IncidentBody).toMatchObject({
      declared: false,
      incident: { id: declared.incident.id },
    });
    const noAlert = await send('POST', '/api/v1/alerts/alr_nope/incident', {});
    expect(noAlert.status).toBe(404);

    await fetch(ingestUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'slow_login',
        summary: 'Login is slow',
        community: 'pangeo',
        component: 'pangeo/login',
        dedup_key: 'login:pangeo',
        severity: 'P3',
      }),
    });
    const slow = (await (await api(app, '/api/v1/alerts?q=Login%20is%20slow')).json()) as {
      alerts: { id: string }[];
    };
    const slowId = slow.alerts[0]!.id;
    await send('POST', `/api/v1/alerts/${slowId}/acknowledge`, { owner: 'ana' });
    const badLink = await send('POST', `/api/v1/alerts/${slowId}/decide`, {
      decision: 'incident',
      note: 'same outage',
      incident_id: 'inc_nope',
    });
    expect(badLink.status).toBe(404);
    const decided = await send('POST', `/api/v1/alerts/${slowId}/decide`, {
      decision: 'incident',
      note: 'same outage',
      incident_id: declared.incident.id,
    });
    expect(decided.status).toBe(200);
    const joined = (await (
      await api(app, `/api/v1/incidents/${declared.incident.id}`)
    ).json()) as IncidentBody;
    expect(joined.incident.alert_ids).toEqual([alert.id, slowId]);
    expect(joined.incident.timeline.filter((e) => e.source === 'alert').map((e) => e.kind)).toContain(
      'timebox_decided',
    );
  });
});
