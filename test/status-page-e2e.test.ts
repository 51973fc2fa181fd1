import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/app/firewatch-config.js';
import { type RunningFirewatch, startFirewatch } from '../src/app/start-firewatch.js';
import { parseConfigFile } from '../src/config/parse-config-file.js';
import { demoConfigYaml } from '../src/demo/demo-config.js';
import { type Simulator, startSimulator } from '../src/demo/simulator.js';
import { applyFleetConfig } from '../src/store/config-repository.js';
import type { Database } from '../src/store/database.js';
import { openDatabase } from '../src/store/database.js';
import { testDialects } from './support/databases.js';
import { v2Documents, v2Summary } from './support/statuspage-v2-schema.js';
import { waitFor } from './support/wait-for.js';

const INTERVAL_SECONDS = 2;
/** The promise: within two check intervals plus 5 seconds. */
const DEADLINE_MS = 2 * INTERVAL_SECONDS * 1000 + 5_000;
const TOKEN = 'fw_e2e-test-token-0123456789';
const PANGEO = 'Pangeo Hub';

interface Summary {
  status: { indicator: string };
  components: {
    id: string;
    name: string;
    status: string;
    group: boolean;
    group_id: string | null;
    components?: string[];
  }[];
}

describe.each(testDialects())('demo fleet end to end on $name', (dialect) => {
  let simulator: Simulator;
  let firewatch: RunningFirewatch;
  let database: Database;
  let dir: string;

  beforeAll(async () => {
    if (!dialect.available) return;
    dir = mkdtempSync(join(tmpdir(), 'firewatch-e2e-'));
    simulator = await startSimulator({ port: 0, controlToken: 'control' });
    database =
      dialect.name === 'sqlite' ? await openDatabase({ url: `sqlite:${dir}/e2e.db` }) : await dialect.open();
    const parsed = parseConfigFile(
      demoConfigYaml(simulator.url, { intervalSeconds: INTERVAL_SECONDS }),
      'demo.yaml',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await applyFleetConfig(database.db, parsed.config, Date.now());
    firewatch = await startFirewatch(
      { ...configFromEnv({}), port: 0, dataDir: dir, adminToken: TOKEN, databaseUrl: 'unused' },
      { database, logger: pino({ level: 'silent' }) },
    );
  });

  afterAll(async () => {
    await firewatch?.stop();
    await simulator?.close();
    await database?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function summary(): Promise<Summary> {
    const response = await fetch(`${firewatch.url}/api/v2/summary.json`);
    expect(response.status).toBe(200);
    return (await response.json()) as Summary;
  }

  function hubStatus(s: Summary, communityName: string): string | undefined {
    const group = s.components.find((c) => c.group && c.name === communityName);
    return s.components.find((c) => c.group_id === group?.id && c.name === 'Hub')?.status;
  }

  async function communityPage(slug: string): Promise<string> {
    const response = await fetch(`${firewatch.url}/c/${slug}`);
    expect(response.status).toBe(200);
    return response.text();
  }

  it.skipIf(!dialect.available)(
    'lists every demo community as operational once the first checks pass',
    async () => {
      await waitFor(
        'every component operational after first checks',
        async () => {
          const s = await summary();
          const leaves = s.components.filter((c) => !c.group);
          return leaves.length > 0 &&
            leaves.every((c) => c.status === 'operational') &&
            s.status.indicator === 'none'
            ? true
            : undefined;
        },
        DEADLINE_MS,
      );
      const raw = await (await fetch(`${firewatch.url}/api/v2/summary.json`)).json();
      const parsed = v2Summary.parse(raw);
      expect(parsed.page.url).toBe(firewatch.url);
      for (const prefix of ['', '/c/pangeo']) {
        for (const [path, schema] of Object.entries(v2Documents)) {
          const document = await (await fetch(`${firewatch.url}${prefix}/api/v2/${path}`)).json();
          expect(schema.safeParse(document).error, `${prefix}/api/v2/${path}`).toBeUndefined();
        }
      }
      const html = await (await fetch(`${firewatch.url}/`)).text();
      expect(html).toContain(PANGEO);
      expect(html).not.toMatch(/data-status="(major_outage|partial_outage)"/);
    },
  );

  it.skipIf(!dialect.available)(
    'turns the hub red when the front page says Community Not Found while /api/health is 200, and back after repair',
    async () => {
      simulator.break('pangeo', 'not-found');
      const health = await fetch(`${simulator.url}/pangeo/api/health`);
      expect(health.status).toBe(200);

      const down = await waitFor(
        'pangeo hub major_outage in summary.json',
        async () => (hubStatus(await summary(), PANGEO) === 'major_outage' ? true : undefined),
        DEADLINE_MS,
      );
      expect(down.ms).toBeLessThanOrEqual(DEADLINE_MS);
      const s = await summary();
      expect(s.status.indicator).toBe('critical');
      const page = await communityPage('pangeo');
      expect(page.match(/data-component="pangeo\/hub"[\s\S]*?data-status="([a-z_]+)"/)?.[1]).toBe(
        'major_outage',
      );
      expect(page).toContain('Major outage');
      // Other communities are untouched.
      const other = await communityPage('openscapes');
      expect(other).not.toContain('data-status="major_outage"');

      simulator.repair('pangeo');
      await waitFor(
        'pangeo hub operational again',
        async () => (hubStatus(await summary(), PANGEO) === 'operational' ? true : undefined),
        DEADLINE_MS,
      );
      // The login page said "Community Not Found" too; its monitor recovers on its own schedule.
      await waitFor(
        'the whole page back to indicator none',
        async () => ((await summary()).status.indicator === 'none' ? true : undefined),
        DEADLINE_MS,
      );

      const changes = await fetch(`${firewatch.url}/api/v1/components`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(changes.status).toBe(200);

      // The status change raised one alert for the hub, resolved when it recovered.
      const hubAlerts = await waitFor(
        'the pangeo hub alert resolved',
        async () => {
          const response = await fetch(`${firewatch.url}/api/v1/alerts?community=pangeo`, {
            headers: { authorization: `Bearer ${TOKEN}` },
          });
          const body = (await response.json()) as {
            alerts: { dedup_key: string; status: string; severity: string; source: string }[];
          };
          const hub = body.alerts.filter((a) => a.dedup_key === 'component:pangeo/hub');
          return hub.length > 0 && hub.every((a) => a.status === 'resolved') ? hub : undefined;
        },
        DEADLINE_MS,
      );
      expect(hubAlerts.value).toHaveLength(1);
      expect(hubAlerts.value[0]).toMatchObject({ severity: 'P2', source: 'check' });
    },
  );

  it.skipIf(!dialect.available)('requires a token for everything that is not public', async () => {
    for (const path of [
      '/metrics',
      '/api/v1/communities',
      '/api/v1/monitors',
      '/api/v1/components',
      '/api/v1/alerts',
      '/api/v1/alert-groups',
      '/api/v1/silences',
      '/api/v1/maintenances',
      '/api/v1/alert-rules',
      '/api/v1/integrations',
    ]) {
      const anonymous = await fetch(`${firewatch.url}${path}`);
      expect(anonymous.status, path).toBe(401);
      const body = (await anonymous.json()) as { error: { code: string; hint: string } };
      expect(body.error.code).toBe('unauthorized');
      const wrong = await fetch(`${firewatch.url}${path}`, { headers: { authorization: 'Bearer fw_wrong' } });
      expect(wrong.status, path).toBe(401);
      const ok = await fetch(`${firewatch.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status, path).toBe(200);
    }
    const metrics = await (
      await fetch(`${firewatch.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text();
    expect(metrics).toMatch(/firewatch_checks_total\{type="http",result="ok"\} [1-9]/);
    expect(metrics).toContain('firewatch_check_scheduling_lag_seconds_bucket');
    for (const path of [
      '/',
      '/c/pangeo',
      '/api/v2/summary.json',
      '/api/v2/status.json',
      '/api/v2/components.json',
      '/api/v2/incidents.json',
      '/api/v2/scheduled-maintenances/upcoming.json',
      '/history.rss',
      '/c/pangeo/history.atom',
      '/badge.svg',
      '/c/pangeo/uptime.svg',
      '/healthz',
    ]) {
      expect((await fetch(`${firewatch.url}${path}`)).status, path).toBe(200);
    }
  });
});
