import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from './support/databases.js';
import { api as fetchApi, startTestFirewatch, type TestFirewatch } from './support/test-firewatch.js';

const TOKEN = 'fw_ingest-e2e-token-0123456789';
const CONFIG = `version: 1
communities:
  - slug: pangeo
    name: Pangeo
integrations:
  - { key: alertmanager, kind: alertmanager }
  - { key: events, kind: generic }
  - { key: small, kind: generic, max_body: 1KiB }
alert_rules:
  - key: server-start-failures
    kind: events_in_window
    match: { types: [server_start_failed] }
    count: 2
    window: 30m
    consecutive: true
    reset_types: [server_start_succeeded]
    severity: P2
`;
const MINUTE = 60_000;

interface ApiAlert {
  readonly id: string;
  readonly status: string;
  readonly severity: string;
  readonly summary: string;
  readonly source: string;
  readonly community: string | null;
  readonly owner: string | null;
  readonly repeat_count: number;
}

interface IngestAnswer {
  readonly duplicate: boolean;
  readonly signals: number;
  readonly alerts: readonly { readonly id: string; readonly action: string }[];
}

interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

/** An Alertmanager webhook (payload version 4) with one firing alert named `alertname`. */
function alertmanagerBody(alertname: string): Record<string, unknown> {
  return {
    version: '4',
    groupKey: `{}:{alertname="${alertname}"}`,
    status: 'firing',
    receiver: 'firewatch',
    groupLabels: { alertname },
    commonLabels: { alertname, community: 'pangeo', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: [
      {
        status: 'firing',
        labels: { alertname, community: 'pangeo', severity: 'critical' },
        annotations: { summary: `${alertname} is down` },
        startsAt: new Date(Date.now() - MINUTE).toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example:9090/graph',
        fingerprint: randomBytes(8).toString('hex'),
      },
    ],
  };
}

describe.each(testDialects())('webhook ingest over HTTP on $name', (dialect) => {
  let app: TestFirewatch;
  const urls = new Map<string, string>();

  beforeAll(async () => {
    if (!dialect.available) return;
    app = await startTestFirewatch(CONFIG, { dialect, token: TOKEN, name: 'ingest' });
    const listed = await api<{ integrations: { key: string; url: string }[] }>('GET', '/api/v1/integrations');
    for (const integration of listed.body.integrations) urls.set(integration.key, integration.url);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetchApi(
      app,
      path,
      body === undefined
        ? { method }
        : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    return { status: response.status, body: (await response.json()) as T };
  }

  /** POSTs `body` (text as is, anything else as JSON) to an integration's webhook URL. */
  async function ingest<T = IngestAnswer>(
    integration: string,
    body: unknown,
  ): Promise<{ status: number; body: T }> {
    const url = urls.get(integration);
    if (!url) throw new Error(`GET /api/v1/integrations listed no ${integration} integration`);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function alerts(query = ''): Promise<ApiAlert[]> {
    const listed = await api<{ alerts: ApiAlert[] }>('GET', `/api/v1/alerts?limit=500${query}`);
    expect(listed.status).toBe(200);
    return listed.body.alerts;
  }

  it.skipIf(!dialect.available)('lists one webhook URL per integration of the config', () => {
    expect([...urls.keys()]).toEqual(['alertmanager', 'events', 'small']);
    for (const url of urls.values()) expect(url).toMatch(/\/ingest\/[A-Za-z0-9_-]{16,128}$/);
  });

  it.skipIf(!dialect.available)(
    'takes the same Alertmanager delivery sent 100 times (25 at once) as one alert',
    async () => {
      const body = alertmanagerBody('HubDown');
      const answers: { status: number; body: IngestAnswer }[] = [];
      for (let round = 0; round < 4; round++) {
        answers.push(...(await Promise.all(Array.from({ length: 25 }, () => ingest('alertmanager', body)))));
      }
      expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
      expect(answers.filter((a) => a.body.duplicate)).toHaveLength(99);
      const first = answers.find((a) => !a.body.duplicate);
      expect(first?.body.alerts).toEqual([expect.objectContaining({ action: 'created' })]);

      const stored = (await alerts('&source=alertmanager')).filter((a) => a.summary === 'HubDown is down');
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        status: 'firing',
        severity: 'P1',
        community: 'pangeo',
        repeat_count: 0,
      });
      expect(stored[0]?.id).toBe(first?.body.alerts[0]?.id);
    },
  );

  it.skipIf(!dialect.available)(
    'raises one P2 alert for two server_start_failed events 29 minutes apart',
    async () => {
      const second = Date.now();
      const event = (community: string, at: number) => ({
        type: 'server_start_failed',
        community,
        occurred_at: new Date(at).toISOString(),
      });
      const one = await ingest('events', event('pangeo', second - 29 * MINUTE));
      expect(one).toMatchObject({ status: 200, body: { duplicate: false, signals: 1, alerts: [] } });
      const two = await ingest('events', event('pangeo', second));
      expect(two.status).toBe(200);
      expect(two.body.alerts).toEqual([expect.objectContaining({ action: 'created' })]);
      // A control: 31 minutes apart is outside the 30 m window.
      await ingest('events', event('elsewhere', second - 31 * MINUTE));
      expect((await ingest('events', event('elsewhere', second))).body.alerts).toEqual([]);

      const raised = await alerts('&rule=server-start-failures');
      expect(raised).toHaveLength(1);
      expect(raised[0]).toMatchObject({ id: two.body.alerts[0]?.id, status: 'firing', severity: 'P2' });
      expect(raised[0]?.community).toBe('pangeo');
      expect(raised[0]?.summary).toMatch(/pangeo/);
    },
  );

  it.skipIf(!dialect.available)(
    'answers bad deliveries with 401, 400 or 413 naming the problem, and keeps stored alerts',
    async () => {
      await ingest('alertmanager', alertmanagerBody('BadInputWitness'));
      const before = await alerts();
      expect(before.some((a) => a.summary === 'BadInputWitness is down')).toBe(true);

      const unknown = await fetch(`${app.firewatch.url}/ingest/${'x'.repeat(32)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alertmanagerBody('NeverStored')),
      });
      expect(unknown.status).toBe(401);
      expect(unknown.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await unknown.json()) as ApiErrorBody).error.code).toBe('unauthorized');

      const notJson = await ingest<ApiErrorBody>('events', '{"type": "server_start_failed",');
      expect(notJson.status).toBe(400);
      expect(notJson.body.error).toMatchObject({ code: 'invalid_request' });
      expect(notJson.body.error.message).toMatch(/not valid JSON/);

      const version3 = await ingest<ApiErrorBody>('alertmanager', {
        ...alertmanagerBody('NeverStored'),
        version: '3',
      });
      expect(version3.status).toBe(400);
      expect(version3.body.error).toMatchObject({ code: 'invalid_request', field: 'version' });
      expect(version3.body.error.message).toMatch(/"3" is not supported/);

      const large = await ingest<ApiErrorBody>('small', {
        type: 'server_start_failed',
        community: 'pangeo',
        summary: 'x'.repeat(2000),
      });
      expect(large.status).toBe(413);
      expect(large.body.error.code).toBe('payload_too_large');
      expect(large.body.error.message).toMatch(/at most 1024/);

      const after = await alerts();
      expect(after.map((a) => [a.id, a.status])).toEqual(before.map((a) => [a.id, a.status]));
      expect(after.some((a) => a.summary.includes('NeverStored'))).toBe(false);
    },
  );

  it.skipIf(!dialect.available)('refuses the alert list without an API token', async () => {
    const response = await fetch(`${app.firewatch.url}/api/v1/alerts`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as ApiErrorBody).error.code).toBe('unauthorized');
  });

  it.skipIf(!dialect.available)(
    'gives an alert one owner: a second acknowledge conflicts, a reassign moves it',
    async () => {
      const created = await ingest('alertmanager', alertmanagerBody('OwnerTest'));
      const id = created.body.alerts[0]?.id;
      expect(id).toBeDefined();

      const acked = await api<{ alert: ApiAlert }>('POST', `/api/v1/alerts/${id}/acknowledge`, {
        owner: 'ana',
      });
      expect(acked.status).toBe(200);
      expect(acked.body.alert).toMatchObject({ id, status: 'acknowledged', owner: 'ana' });

      const again = await api<ApiErrorBody>('POST', `/api/v1/alerts/${id}/acknowledge`, { owner: 'bo' });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('conflict');
      expect(again.body.error.message).toMatch(/already acknowledged by ana/);

      const moved = await api<{ alert: ApiAlert }>('POST', `/api/v1/alerts/${id}/reassign`, { owner: 'bo' });
      expect(moved.status).toBe(200);
      expect(moved.body.alert).toMatchObject({ id, status: 'acknowledged', owner: 'bo' });
      const listed = await alerts('&owner=bo');
      expect(listed.map((a) => a.id)).toEqual([id]);
    },
  );
});
