import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from './support/databases.js';
import { api, startTestFirewatch, type TestFirewatch } from './support/test-firewatch.js';

const TOKEN = 'fw_alert-api-e2e-token-0123456789';
const CONFIG = `version: 1
communities:
  - slug: pangeo
    name: Pangeo
    components:
      - { key: hub, name: Hub }
integrations:
  - { key: events, kind: generic }
`;

interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

describe.each(testDialects())('silences, maintenances and time boxes over HTTP on $name', (dialect) => {
  let app: TestFirewatch;
  let ingestUrl = '';

  beforeAll(async () => {
    if (!dialect.available) return;
    app = await startTestFirewatch(CONFIG, { dialect, token: TOKEN, name: 'alert-api' });
    const listed = (await (await api(app, '/api/v1/integrations')).json()) as {
      integrations: { key: string; url: string }[];
    };
    ingestUrl = listed.integrations.find((i) => i.key === 'events')?.url ?? '';
  });

  afterAll(async () => {
    await app?.close();
  });

  const post = (path: string, body: unknown) =>
    api(app, path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  it.skipIf(!dialect.available)(
    'creates a silence for a duration, mutes a matching alert, and ends early',
    async () => {
      const bad = await post('/api/v1/silences', {
        matchers: ['community="pangeo"'],
        reason: 'x',
        duration: 'soon',
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as ErrorBody).error.field).toBe('duration');
      const badMatcher = await post('/api/v1/silences', {
        matchers: ['pangeo'],
        reason: 'x',
        duration: '1h',
      });
      expect(badMatcher.status).toBe(400);
      expect(((await badMatcher.json()) as ErrorBody).error.field).toBe('matchers[0]');

      const created = await post('/api/v1/silences', {
        matchers: ['community="pangeo"', 'type=~"disk.*"'],
        reason: 'resizing the volume',
        duration: '2h',
      });
      expect(created.status).toBe(201);
      const { silence } = (await created.json()) as {
        silence: { id: string; state: string; author: string };
      };
      expect(silence).toMatchObject({ state: 'active', author: 'admin (FIREWATCH_ADMIN_TOKEN)' });

      await fetch(ingestUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'disk_full', community: 'pangeo', dedup_key: 'disk:pangeo' }),
      });
      const alerts = (await (await api(app, '/api/v1/alerts?q=disk_full')).json()) as {
        alerts: { muted_by: string | null }[];
      };
      expect(alerts.alerts.map((a) => a.muted_by)).toEqual([`silence:${silence.id}`]);

      const ended = await api(app, `/api/v1/silences/${silence.id}`, { method: 'DELETE' });
      expect(((await ended.json()) as { silence: { state: string } }).silence.state).toBe('expired');
    },
  );

  it.skipIf(!dialect.available)(
    'refuses a maintenance on an unknown component and creates one on a known',
    async () => {
      const unknown = await post('/api/v1/maintenances', {
        title: 'x',
        components: ['pangeo/nope'],
        duration: '1h',
      });
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as ErrorBody).error.message).toContain('pangeo/nope');
      const created = await post('/api/v1/maintenances', {
        title: 'Upgrade',
        components: ['pangeo/hub'],
        duration: '1h',
      });
      expect(created.status).toBe(201);
      const listed = (await (await api(app, '/api/v1/maintenances')).json()) as {
        maintenances: { title: string; components: string[] }[];
      };
      expect(listed.maintenances).toEqual([
        expect.objectContaining({ title: 'Upgrade', components: ['pangeo/hub'] }),
      ]);
    },
  );

  it.skipIf(!dialect.available)('extends a P3 time box by a bounded length with a reason', async () => {
    await fetch(ingestUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'slow_spawn',
        community: 'pangeo',
        dedup_key: 'slow:pangeo',
        severity: 'warning',
      }),
    });
    const { alerts } = (await (await api(app, '/api/v1/alerts?q=slow_spawn')).json()) as {
      alerts: { id: string }[];
    };
    const id = alerts[0]?.id ?? '';
    const acked = (await (await post(`/api/v1/alerts/${id}/acknowledge`, { owner: 'ana' })).json()) as {
      alert: { time_box: { state: string; ends_at: number } | null };
    };
    expect(acked.alert.time_box?.state).toBe('running');

    const tooLong = await post(`/api/v1/alerts/${id}/extend`, { by: '2d', reason: 'need more' });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as ErrorBody).error.field).toBe('by');
    const noReason = await post(`/api/v1/alerts/${id}/extend`, { by: '15m' });
    expect(noReason.status).toBe(400);

    const extended = (await (
      await post(`/api/v1/alerts/${id}/extend`, { by: '15m', reason: 'log review' })
    ).json()) as {
      alert: { time_box: { ends_at: number } };
    };
    expect(extended.alert.time_box.ends_at - (acked.alert.time_box?.ends_at ?? 0)).toBe(15 * 60_000);
  });
});
