import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfigYaml } from '../src/demo/demo-config.js';
import { type Simulator, startSimulator } from '../src/demo/simulator.js';
import { testDialects } from './support/databases.js';
import { v2Summary } from './support/statuspage-v2-schema.js';
import { api, startTestFirewatch, type TestFirewatch } from './support/test-firewatch.js';
import { startTestReceiver, type TestReceiver } from './support/test-receiver.js';
import { waitFor } from './support/wait-for.js';

// The whole path, with real checks against the demo simulator: a community breaks → checks
// confirm it → rules move its component to major outage → automation opens an incident and publishes a
// templated first update → the page, summary.json, incidents/unresolved.json, the RSS feed and a webhook
// subscriber all show it → repair → monitoring → resolved after the quiet period.

const INTERVAL_SECONDS = 2;
/** One check interval plus confirmation (fail_after 2 = a second check), plus a few seconds of slack. */
const DEADLINE_MS = 2 * INTERVAL_SECONDS * 1000 + 5_000;
const QUIET = '10s';
const TOKEN = 'fw_incident-e2e-token-0123456789';

interface Incident {
  id: string;
  name: string;
  status: string;
  impact: string;
  incident_updates: { status: string; body: string }[];
}

describe.each(testDialects())('incident from a broken demo community, end to end, on $name', (dialect) => {
  let simulator: Simulator;
  let fw: TestFirewatch;
  let receiver: TestReceiver;

  beforeAll(async () => {
    if (!dialect.available) return;
    simulator = await startSimulator({ port: 0, controlToken: 'control' });
    receiver = await startTestReceiver();
    fw = await startTestFirewatch(
      demoConfigYaml(simulator.url, { intervalSeconds: INTERVAL_SECONDS, quietPeriod: QUIET }),
      { dialect, token: TOKEN, name: `incident-e2e-${dialect.name}`, runChecks: true },
    );
    const subscribed = await api(fw, '/api/v1/subscribers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'webhook',
        url: `${receiver.origin}/statuspage-hook`,
        communities: ['pangeo'],
      }),
    });
    expect(subscribed.status).toBe(201);
  });

  afterAll(async () => {
    await fw?.close();
    await simulator?.close();
    await receiver?.close();
  });

  async function json<T>(path: string): Promise<T> {
    const response = await fetch(`${fw.firewatch.url}${path}`);
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  }

  it.skipIf(!dialect.available)(
    'opens an incident with a published first update, shows it everywhere, and resolves it after repair',
    async () => {
      await waitFor(
        'first checks pass',
        async () => {
          const s = await json<{ status: { indicator: string }; components: { status: string }[] }>(
            '/api/v2/summary.json',
          );
          return s.components.length > 0 && s.status.indicator === 'none' ? true : undefined;
        },
        DEADLINE_MS,
      );

      simulator.break('pangeo', 'not-found');
      const opened = await waitFor(
        'an unresolved incident with a first update in incidents/unresolved.json',
        async () => {
          const doc = await json<{ incidents: Incident[] }>('/api/v2/incidents/unresolved.json');
          const incident = doc.incidents.find((i) => i.name.includes('Pangeo'));
          return incident && incident.incident_updates.length > 0 ? incident : undefined;
        },
        DEADLINE_MS,
        100,
      );
      expect(opened.ms).toBeLessThanOrEqual(DEADLINE_MS);
      const incident = opened.value;
      expect(incident.status).toBe('investigating');
      // Login (partial outage → minor) and the hub (major outage → major) fail within a check of each
      // other; whichever is confirmed first opens the incident, the other joins and sets the impact.
      await waitFor(
        'the incident at major impact',
        async () => {
          const doc = await json<{ incidents: Incident[] }>('/api/v2/incidents/unresolved.json');
          return doc.incidents.find((i) => i.id === incident.id)?.impact === 'major' ? true : undefined;
        },
        DEADLINE_MS,
      );
      expect(incident.incident_updates[0]?.body).toContain('Hub');

      const summary = v2Summary.parse(await json('/api/v2/summary.json'));
      expect(summary.incidents.map((i) => i.id)).toContain(incident.id);
      const communitySummary = await json<{ incidents: { id: string }[] }>('/c/pangeo/api/v2/summary.json');
      expect(communitySummary.incidents.map((i) => i.id)).toEqual([incident.id]);
      const otherSummary = await json<{ incidents: { id: string }[] }>('/c/openscapes/api/v2/summary.json');
      expect(otherSummary.incidents).toEqual([]);

      const page = await (await fetch(`${fw.firewatch.url}/c/pangeo`)).text();
      expect(page).toContain(incident.name);
      expect(page).toContain('Posted');
      const rss = await (await fetch(`${fw.firewatch.url}/history.rss`)).text();
      expect(rss).toContain(`<guid isPermaLink="false">${incident.id}</guid>`);

      const hook = await waitFor(
        'the webhook subscriber got the first update',
        async () =>
          receiver.requests.find((r) => r.path === '/statuspage-hook' && r.body.includes(incident.id)),
        10_000,
      );
      const payload = JSON.parse(hook.value.body) as {
        page: { status_indicator: string };
        incident: { id: string; status: string; incident_updates: unknown[] };
      };
      expect(payload.incident).toMatchObject({ id: incident.id, status: 'investigating' });
      expect(payload.incident.incident_updates.length).toBeGreaterThan(0);
      expect(hook.value.headers['x-firewatch-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

      // The incident's timeline in the API: declared by automation, linked to the component's alert.
      const detail = await waitFor(
        "the component's alert linked to the incident",
        async () => {
          const body = (await (await api(fw, `/api/v1/incidents/${incident.id}`)).json()) as {
            incident: {
              origin: string;
              detection_source: string;
              alert_ids: string[];
              timeline: { kind: string }[];
            };
          };
          return body.incident.alert_ids.length > 0 ? body.incident : undefined;
        },
        10_000,
      );
      expect(detail.value).toMatchObject({ origin: 'automation', detection_source: 'monitoring' });
      expect(detail.value.timeline.map((e) => e.kind)).toEqual(
        expect.arrayContaining(['declared', 'alert_linked']),
      );

      simulator.repair('pangeo');
      await waitFor(
        'the incident moves to monitoring',
        async () => {
          const doc = await json<{ incidents: Incident[] }>('/api/v2/incidents/unresolved.json');
          return doc.incidents.find((i) => i.id === incident.id)?.status === 'monitoring' ? true : undefined;
        },
        DEADLINE_MS,
      );
      const resolved = await waitFor(
        'the incident is resolved after the quiet period',
        async () => {
          const doc = await json<{ incidents: Incident[] }>('/api/v2/incidents.json');
          const found = doc.incidents.find((i) => i.id === incident.id);
          return found?.status === 'resolved' ? found : undefined;
        },
        10_000 + DEADLINE_MS,
      );
      expect(resolved.value.incident_updates.map((u) => u.status)).toEqual([
        'resolved',
        'monitoring',
        'investigating',
      ]);
      const unresolved = await json<{ incidents: Incident[] }>('/api/v2/incidents/unresolved.json');
      expect(unresolved.incidents.map((i) => i.id)).not.toContain(incident.id);
      await waitFor(
        'the subscriber got the resolution',
        async () =>
          receiver.requests.some(
            (r) => r.body.includes(incident.id) && r.body.includes('"status":"resolved"'),
          )
            ? true
            : undefined,
        10_000,
      );
    },
    90_000,
  );
});
