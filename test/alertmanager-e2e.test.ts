import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from './support/databases.js';
import { api, startTestFirewatch, type TestFirewatch } from './support/test-firewatch.js';
import { waitFor } from './support/wait-for.js';

const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const INSTALLED = existsSync(ALERTMANAGER);
const REQUIRED = Boolean(process.env.CI);
if (!INSTALLED && !REQUIRED) {
  console.warn(
    `\n!! ${ALERTMANAGER} is missing: the Alertmanager end-to-end test is SKIPPED. ` +
      'Install it with `apt-get install prometheus-alertmanager` (.ci/run does).\n',
  );
}

const TOKEN = 'fw_alertmanager-e2e-token-0123456789';
const CONFIG = `version: 1
communities:
  - slug: pangeo
    name: Pangeo
integrations:
  - { key: alertmanager, kind: alertmanager }
`;
const HUB_DOWN = { alertname: 'HubDown', community: 'pangeo', severity: 'critical' };
// Same group (alertname, community), another fingerprint: adding it makes Alertmanager send the group again.
const HUB_DEGRADED = { ...HUB_DOWN, severity: 'warning' };

interface ApiAlert {
  readonly id: string;
  readonly status: string;
  readonly severity: string;
  readonly summary: string;
  readonly source: string;
  readonly community: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly repeat_count: number;
}

/** A running Alertmanager child process, its URL and everything it logged (for failure messages). */
interface RunningAlertmanager {
  readonly url: string;
  readonly child: ChildProcess;
  readonly log: () => string;
}

// One Alertmanager per dialect costs about 2 s; the webhook path is the same on both.
describe.skipIf(!INSTALLED && !REQUIRED).each(testDialects())(
  'a real Prometheus Alertmanager delivering to Firewatch on $name',
  (dialect) => {
    let app: TestFirewatch;
    let alertmanager: RunningAlertmanager | undefined;

    beforeAll(async () => {
      if (!INSTALLED) {
        throw new Error(
          `${ALERTMANAGER} is missing and this test is required under CI — install the Debian package ` +
            'prometheus-alertmanager (.ci/run does)',
        );
      }
      if (!dialect.available) return;
      app = await startTestFirewatch(CONFIG, { dialect, token: TOKEN, name: 'alertmanager' });
      alertmanager = await startAlertmanager(app.dir, await webhookUrl());
    });

    afterAll(async () => {
      await stopAlertmanager(alertmanager);
      await app?.close();
    });

    async function webhookUrl(): Promise<string> {
      const response = await api(app, '/api/v1/integrations');
      expect(response.status).toBe(200);
      const body = (await response.json()) as { integrations: { key: string; kind: string; url: string }[] };
      const integration = body.integrations.find((i) => i.key === 'alertmanager');
      expect(integration?.kind).toBe('alertmanager');
      if (!integration) throw new Error('GET /api/v1/integrations lists no alertmanager integration');
      return integration.url;
    }

    async function firewatchAlerts(): Promise<ApiAlert[]> {
      const response = await api(
        app,
        '/api/v1/alerts?status=firing,acknowledged,resolved&source=alertmanager&limit=500',
      );
      if (response.status !== 200) throw new Error(`GET /api/v1/alerts answered ${response.status}`);
      return ((await response.json()) as { alerts: ApiAlert[] }).alerts;
    }

    /** Firewatch's HubDown alerts of this severity (critical is P1, warning P3), once `ready` holds for them. */
    function hubAlerts(severity: 'P1' | 'P3', ready: (alerts: ApiAlert[]) => boolean) {
      return async () => {
        const alerts = (await firewatchAlerts()).filter(
          (a) => a.labels.alertname === 'HubDown' && a.severity === severity,
        );
        return ready(alerts) ? alerts : undefined;
      };
    }

    /** Posts alerts to Alertmanager as Prometheus does; `endsAt` in the past resolves them. */
    async function postToAlertmanager(
      alerts: readonly { labels: Record<string, string>; summary: string; endsAt?: string }[],
    ): Promise<void> {
      const startsAt = new Date(Date.now() - 60_000).toISOString();
      const response = await fetch(`${alertmanager?.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          alerts.map((a) => ({
            labels: a.labels,
            annotations: { summary: a.summary },
            startsAt,
            ...(a.endsAt ? { endsAt: a.endsAt } : {}),
          })),
        ),
      });
      expect(response.status, await response.text()).toBe(200);
    }

    function failureContext(): string {
      return `\n--- alertmanager log ---\n${alertmanager?.log() ?? '(not started)'}`;
    }

    /** waitFor, with Alertmanager's log as it is when the wait fails. */
    async function waitForAlerts(what: string, probe: () => Promise<ApiAlert[] | undefined>) {
      try {
        return (await waitFor(what, probe, 30_000)).value;
      } catch (error) {
        throw new Error(`${(error as Error).message}${failureContext()}`, { cause: error });
      }
    }

    it.skipIf(!dialect.available)(
      'turns a firing alert into one P1 alert, keeps it one through re-sends, and resolves it',
      async () => {
        await postToAlertmanager([{ labels: HUB_DOWN, summary: 'Hub is down' }]);
        const fired = await waitForAlerts(
          'a firing HubDown alert in Firewatch',
          hubAlerts('P1', (alerts) => alerts.some((a) => a.status === 'firing')),
        );
        expect(fired).toHaveLength(1);
        expect(fired[0]).toMatchObject({
          status: 'firing',
          source: 'alertmanager',
          severity: 'P1',
          community: 'pangeo',
          summary: 'Hub is down',
        });
        const id = fired[0]?.id;

        // A second alert joins the group: Alertmanager sends the whole group again, HubDown included.
        await postToAlertmanager([
          { labels: HUB_DOWN, summary: 'Hub is down' },
          { labels: HUB_DEGRADED, summary: 'Hub is degraded' },
        ]);
        await waitForAlerts(
          'the re-sent group to reach Firewatch',
          hubAlerts('P3', (alerts) => alerts.some((a) => a.status === 'firing')),
        );
        const afterResend = (await hubAlerts('P1', () => true)()) ?? [];
        expect(afterResend.map((a) => [a.id, a.status])).toEqual([[id, 'firing']]);
        expect(afterResend[0]?.repeat_count).toBeGreaterThanOrEqual(1);

        await postToAlertmanager([
          { labels: HUB_DOWN, summary: 'Hub is down', endsAt: new Date().toISOString() },
        ]);
        const resolved = await waitForAlerts(
          'HubDown to be resolved in Firewatch',
          hubAlerts('P1', (alerts) => alerts.some((a) => a.status === 'resolved')),
        );
        expect(resolved.map((a) => [a.id, a.status])).toEqual([[id, 'resolved']]);

        const sent = await webhookNotifications(alertmanager?.url ?? '');
        expect(sent.total, 'notifications Alertmanager sent to the webhook').toBeGreaterThanOrEqual(3);
        expect(sent.failed, `failed webhook notifications${failureContext()}`).toBe(0);
        const all = await firewatchAlerts();
        expect(all.filter((a) => a.labels.alertname === 'HubDown' && a.severity === 'P1')).toHaveLength(1);
        expect(all.filter((a) => a.labels.alertname === 'HubDown')).toHaveLength(2);
      },
      120_000,
    );
  },
);

/** A port free on 127.0.0.1 right now (Alertmanager binds it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port from listen(0)');
  return address.port;
}

/** Writes alertmanager.yml routing everything to `webhook`, starts Alertmanager and waits until /-/ready. */
async function startAlertmanager(dir: string, webhook: string): Promise<RunningAlertmanager> {
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(
    configFile,
    `route:
  receiver: firewatch
  group_by: [alertname, community]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: firewatch
    webhook_configs:
      - url: ${JSON.stringify(webhook)}
        send_resolved: true
`,
  );
  const storage = join(dir, 'alertmanager-data');
  mkdirSync(storage);
  const port = await freePort();
  const child = spawn(
    ALERTMANAGER,
    [
      `--config.file=${configFile}`,
      `--storage.path=${storage}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=debug',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const running: RunningAlertmanager = { url: `http://127.0.0.1:${port}`, child, log: () => log };
  try {
    await waitFor(
      'Alertmanager to answer /-/ready',
      async () => {
        if (child.exitCode !== null) throw new Error(`Alertmanager exited with ${child.exitCode}: ${log}`);
        return (await fetch(`${running.url}/-/ready`)).status === 200 ? true : undefined;
      },
      15_000,
      100,
    );
  } catch (error) {
    await stopAlertmanager(running);
    throw new Error(`start Alertmanager on port ${port}\n${log}`, { cause: error });
  }
  return running;
}

/** Stops Alertmanager by its PID: SIGTERM, then SIGKILL after 5 s. */
async function stopAlertmanager(alertmanager: RunningAlertmanager | undefined): Promise<void> {
  const child = alertmanager?.child;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Alertmanager's own count of webhook notifications sent and failed (its /metrics). */
async function webhookNotifications(url: string): Promise<{ total: number; failed: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sum = (name: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) && line.includes('integration="webhook"'))
      .reduce((total, line) => total + Number(line.split(' ').at(-1)), 0);
  return {
    total: sum('alertmanager_notifications_total'),
    failed: sum('alertmanager_notifications_failed_total'),
  };
}
