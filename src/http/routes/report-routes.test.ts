import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDialects } from '../../../test/support/databases.js';
import { api, startTestFirewatch, type TestFirewatch } from '../../../test/support/test-firewatch.js';
import { declareIncident, getIncident, loadIncidentSettings } from '../../store/incident-repository.js';
import { createToken } from '../../store/token-repository.js';

const TOKEN = 'fw_report-routes-admin-token-0123456789';
const READ = 'fw_report-routes-read-token-0123456789';
const T0 = Date.parse('2026-06-01T12:00:00Z');
const HOUR = 3_600_000;
const MIN = 60_000;
const CONFIG = `version: 1
communities:
  - slug: alpha
    name: Alpha Hub
    depends_on: [cluster]
    components:
      - { key: hub, name: Hub }
  - slug: beta
    name: Beta Forum
    components:
      - { key: forum, name: Forum }
shared_components:
  - { key: cluster, name: East cluster }
`;

interface ApiReport {
  readonly id: string;
  readonly state: string;
  readonly community: string | null;
  readonly component: string | null;
  readonly incident_id: string | null;
  readonly triage_note: string | null;
  readonly description: string;
}

describe.each(testDialects())('community report routes on $name', (dialect) => {
  let app: TestFirewatch;
  const clock = { now: T0 };

  beforeAll(async () => {
    if (!dialect.available) return;
    app = await startTestFirewatch(CONFIG, { dialect, token: TOKEN, name: 'reports', now: () => clock.now });
    await createToken(app.database.db, { name: 'reader', scopes: ['read'], now: T0, token: READ });
  });

  afterAll(async () => {
    await app?.close();
  });

  // Every test posts from 127.0.0.1: two hours apart, each starts with a fresh per-address allowance.
  beforeEach(() => {
    clock.now += 2 * HOUR;
  });

  const url = (path: string) => `${app.firewatch.url}${path}`;
  const postForm = (slug: string, fields: Record<string, string>) =>
    fetch(url(`/c/${slug}/report`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
  const postJson = (slug: string, body: unknown) =>
    fetch(url(`/c/${slug}/report`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const triage = (path: string, body: unknown, token = TOKEN) =>
    fetch(url(`/api/v1/reports/${path}`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const storedCount = async () =>
    (await app.database.db.selectFrom('community_reports').select('id').execute()).length;
  const inbox = async (state = 'new') =>
    ((await (await api(app, `/api/v1/reports?state=${state}`)).json()) as { reports: ApiReport[] }).reports;
  const resolve = (id: string) =>
    app.database.db.updateTable('incidents').set({ status: 'resolved' }).where('id', '=', id).execute();
  const declare = async (detectedAt: number, refs: readonly string[]) => {
    const settings = await loadIncidentSettings(app.database.db);
    const result = await declareIncident(
      app.database,
      {
        title: 'Hub down',
        impact: 'major',
        components: refs.map((ref) => ({ ref, status: 'major_outage' as const })),
        message: null,
        draft: false,
        origin: 'alert',
        detectionSource: 'monitoring',
        detectedAt,
        actor: 'automation',
      },
      settings,
      clock.now,
    );
    if (!('incident' in result)) throw new Error(`unknown ${result.unknown.join(', ')}`);
    return result.incident;
  };

  it.skipIf(!dialect.available)(
    'serves the report form without JavaScript, and 404 for an unknown community',
    async () => {
      const page = await fetch(url('/c/alpha/report'));
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<form method="post" action="/c/alpha/report"');
      expect(html).toContain('<option value="alpha/hub">Hub</option>');
      expect(html).toContain('<option value="shared/cluster">East cluster</option>');
      expect(html).toContain('name="website" tabindex="-1"');
      expect(html).not.toContain('<script');
      expect((await fetch(url('/c/nope/report'))).status).toBe(404);
    },
  );

  it.skipIf(!dialect.available)(
    'thanks a form post with an HTML page linking back, and keeps the report new in the inbox',
    async () => {
      const response = await postForm('alpha', {
        description: 'Login says Community Not Found',
        component: 'alpha/hub',
        contact: 'ana@example.org',
        website: '',
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/c/alpha/report/thanks');
      const thanks = await fetch(url('/c/alpha/report/thanks'));
      expect(thanks.headers.get('content-type')).toContain('text/html');
      const html = await thanks.text();
      expect(html).toContain('your report reached the team');
      expect(html).toContain('<a href="/c/alpha">Back to Alpha Hub</a>');
      const [report] = await inbox();
      expect(report).toMatchObject({
        state: 'new',
        community: 'alpha',
        component: 'alpha/hub',
        description: 'Login says Community Not Found',
      });
      expect(JSON.stringify(report)).not.toContain('127.0.0.1');
    },
  );

  it.skipIf(!dialect.available)('answers a JSON post with its id and state', async () => {
    const response = await postJson('beta', { description: 'Forum is slow' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; state: string };
    expect(body.state).toBe('new');
    expect((await inbox()).some((r) => r.id === body.id && r.community === 'beta')).toBe(true);
  });

  it.skipIf(!dialect.available)(
    'names the wrong field: an HTML page for forms, an error with field for JSON',
    async () => {
      const form = await postForm('alpha', { description: '  ', contact: 'keep me' });
      expect(form.status).toBe(400);
      const html = await form.text();
      expect(html).toContain('Your report was not sent');
      expect(html).toContain('What is not working: describe what is not working.');
      expect(html).toContain('value="keep me"');
      const other = await postForm('alpha', { description: 'x', component: 'beta/forum' });
      expect(await other.text()).toContain('no component &quot;beta/forum&quot;');
      const hostile = await postForm('alpha', {
        description: '</textarea><script>x()</script>',
        component: '<b>',
      });
      const hostileHtml = await hostile.text();
      expect(hostileHtml).not.toContain('<script>');
      expect(hostileHtml).toContain('&lt;/textarea&gt;&lt;script&gt;x()&lt;/script&gt;</textarea>');
      const json = await postJson('alpha', { description: 'x'.repeat(2001) });
      expect(json.status).toBe(400);
      expect(((await json.json()) as { error: { field: string } }).error.field).toBe('description');
      expect((await postJson('nope', { description: 'x' })).status).toBe(404);
      expect((await postForm('nope', { description: 'x' })).headers.get('content-type')).toContain(
        'text/html',
      );
    },
  );

  it.skipIf(!dialect.available)(
    'answers a filled honeypot exactly like success and stores nothing',
    async () => {
      const before = await storedCount();
      const form = await postForm('alpha', { description: 'Buy now', website: 'http://spam.example' });
      expect(form.status).toBe(303);
      expect(form.headers.get('location')).toBe('/c/alpha/report/thanks');
      const json = await postJson('alpha', { description: 'Buy now', website: 'http://spam.example' });
      expect(json.status).toBe(201);
      expect((await json.json()) as object).toMatchObject({
        state: 'new',
        id: expect.stringMatching(/^rpt_/),
      });
      expect(await storedCount()).toBe(before);
    },
  );

  it.skipIf(!dialect.available)(
    'refuses the sixth report in an hour from one address with 429 and Retry-After',
    async () => {
      for (let i = 0; i < 5; i++) {
        expect((await postJson('alpha', { description: `report ${i}` })).status).toBe(201);
        clock.now += MIN;
      }
      const form = await postForm('alpha', { description: 'one more' });
      expect(form.status).toBe(429);
      expect(form.headers.get('retry-after')).toBe(String(55 * 60));
      expect(await form.text()).toContain(
        'as many as we take from one address. Please try again in 55 minutes.',
      );
      const json = await postJson('alpha', { description: 'one more' });
      expect(json.status).toBe(429);
      expect(((await json.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    },
  );

  it.skipIf(!dialect.available)('refuses a too large form body with an HTML page', async () => {
    const response = await postForm('alpha', { description: 'x'.repeat(40_000) });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('the report is too long');
  });

  it.skipIf(!dialect.available)(
    'keeps the inbox behind a token: 401 without, 403 to act with read only',
    async () => {
      expect((await fetch(url('/api/v1/reports'))).status).toBe(401);
      expect(
        (await fetch(url('/api/v1/reports'), { headers: { authorization: `Bearer ${READ}` } })).status,
      ).toBe(200);
      const [report] = await inbox('all');
      expect((await triage(`${report?.id}/dismiss`, {}, READ)).status).toBe(403);
      expect((await fetch(url(`/api/v1/reports/${report?.id}/dismiss`), { method: 'POST' })).status).toBe(
        401,
      );
    },
  );

  it.skipIf(!dialect.available)(
    'links a new report to an incident: first report and lead time on the incident',
    async () => {
      const reported = (await (await postJson('beta', { description: 'Forum 500s' })).json()) as {
        id: string;
      };
      const incident = await declare(clock.now - 10 * MIN, ['beta/forum']);
      clock.now += MIN;
      const linked = await triage(`${reported.id}/link`, { incident_id: incident.id });
      expect(linked.status).toBe(200);
      expect(((await linked.json()) as { report: ApiReport }).report).toMatchObject({
        state: 'linked',
        incident_id: incident.id,
      });
      const after = await getIncident(app.database.db, incident.id);
      expect(after).toMatchObject({
        detectionSource: 'monitoring',
        firstReportAt: clock.now - MIN,
        leadTimeMs: 10 * MIN,
      });
      expect(after?.timeline.some((e) => e.kind === 'report_linked')).toBe(true);
      const again = await triage(`${reported.id}/link`, { incident_id: incident.id });
      expect(again.status).toBe(409);
      expect((await triage('rpt_nope/link', { incident_id: incident.id })).status).toBe(404);
      await resolve(incident.id); // later beta reports must not join it
    },
  );

  it.skipIf(!dialect.available)(
    'auto-links a report to the open incident affecting the community',
    async () => {
      const incident = await declare(clock.now - 5 * MIN, ['shared/cluster']);
      const response = await postForm('alpha', { description: 'Servers do not start' });
      expect(response.headers.get('location')).toBe('/c/alpha/report/thanks?known=1');
      expect(await (await fetch(url('/c/alpha/report/thanks?known=1'))).text()).toContain(
        'already working on',
      );
      const after = await getIncident(app.database.db, incident.id);
      expect(after).toMatchObject({ firstReportAt: clock.now, leadTimeMs: 5 * MIN });
      await app.database.db
        .updateTable('incidents')
        .set({ status: 'resolved' })
        .where('id', '=', incident.id)
        .execute();
    },
  );

  it.skipIf(!dialect.available)(
    'opens an incident from a report, detected by the community when it was reported',
    async () => {
      const reported = (await (
        await postJson('alpha', { description: 'Hub login loops', component: 'alpha/hub' })
      ).json()) as {
        id: string;
        state: string;
      };
      expect(reported.state).toBe('new');
      const reportedAt = clock.now;
      clock.now += 7 * MIN;
      const response = await triage(`${reported.id}/incident`, { draft: true });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        report: ApiReport;
        incident: { id: string; published: boolean };
      };
      expect(body.report).toMatchObject({ state: 'linked', incident_id: body.incident.id });
      expect(body.incident.published).toBe(false);
      const incident = await getIncident(app.database.db, body.incident.id);
      expect(incident).toMatchObject({
        title: 'Alpha Hub: problems reported with Hub',
        impact: 'minor',
        origin: 'report',
        detectionSource: 'community',
        detectedAt: reportedAt,
        firstReportAt: reportedAt,
        leadTimeMs: null,
        reportIds: [reported.id],
      });
      expect(incident?.components.map((c) => [c.ref, c.status])).toEqual([['alpha/hub', 'partial_outage']]);
    },
  );

  it.skipIf(!dialect.available)('dismisses a report with a reason, once', async () => {
    const reported = (await (await postJson('beta', { description: 'test please ignore' })).json()) as {
      id: string;
    };
    const dismissed = await triage(`${reported.id}/dismiss`, { reason: 'a test post' });
    expect(((await dismissed.json()) as { report: ApiReport }).report).toMatchObject({
      state: 'dismissed',
      triage_note: 'a test post',
    });
    expect((await triage(`${reported.id}/dismiss`, {})).status).toBe(409);
    expect((await inbox()).some((r) => r.id === reported.id)).toBe(false);
    expect((await inbox('dismissed')).some((r) => r.id === reported.id)).toBe(true);
  });
});
