import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/app/firewatch-config.js';
import { type RunningFirewatch, startFirewatch } from '../src/app/start-firewatch.js';
import { parseConfigFile } from '../src/config/parse-config-file.js';
import { applyFleetConfig } from '../src/store/config-repository.js';
import { type Database, openDatabase } from '../src/store/database.js';
import { testDialects } from './support/databases.js';
import { waitFor } from './support/wait-for.js';

const TOKEN = 'fw_heartbeat-e2e-token-0123456789';
const CONFIG = `version: 1
communities:
  - slug: alpha
    name: Alpha
    components:
      - key: backups
        name: Nightly backups
        monitors:
          - { key: backup-job, type: heartbeat, period: 2s, grace: 1s, interval: 1s }
`;

describe.each(testDialects())('heartbeat monitors end to end on $name', (dialect) => {
  let firewatch: RunningFirewatch;
  let database: Database;
  let dir: string;

  beforeAll(async () => {
    if (!dialect.available) return;
    dir = mkdtempSync(join(tmpdir(), 'firewatch-heartbeat-'));
    database =
      dialect.name === 'sqlite' ? await openDatabase({ url: `sqlite:${dir}/hb.db` }) : await dialect.open();
    const parsed = parseConfigFile(CONFIG, 'heartbeat.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await applyFleetConfig(database.db, parsed.config, Date.now());
    firewatch = await startFirewatch(
      { ...configFromEnv({}), port: 0, dataDir: dir, adminToken: TOKEN, databaseUrl: 'unused' },
      { database, logger: pino({ level: 'silent' }) },
    );
  });

  afterAll(async () => {
    await firewatch?.stop();
    await database?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function pingUrl(): Promise<string> {
    const response = await fetch(`${firewatch.url}/api/v1/monitors`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const body = (await response.json()) as { monitors: { ref: string; ping_url?: string }[] };
    const url = body.monitors.find((m) => m.ref === 'alpha/backups/backup-job')?.ping_url;
    if (!url) throw new Error('no ping_url listed for the heartbeat monitor');
    return url;
  }

  async function backupsStatus(): Promise<string | undefined> {
    const summary = (await (await fetch(`${firewatch.url}/api/v2/components.json`)).json()) as {
      components: { name: string; status: string }[];
    };
    return summary.components.find((c) => c.name === 'Nightly backups')?.status;
  }

  it.skipIf(!dialect.available)(
    'goes down when pings stop, at once on /fail, and recovers on the next ping',
    async () => {
      const url = await pingUrl();
      expect(url).toMatch(/\/ping\/[A-Za-z0-9_-]{16,}$/);
      expect((await fetch(url)).status).toBe(200);
      expect(await backupsStatus()).toBe('operational');

      // No ping for period + grace (3 s): late.
      const lateAfter = Date.now();
      await waitFor(
        'late heartbeat to turn the component red',
        async () => ((await backupsStatus()) === 'major_outage' ? true : undefined),
        8_000,
        100,
      );
      expect(Date.now() - lateAfter).toBeGreaterThanOrEqual(2_500);

      expect(
        (await fetch(url, { method: 'POST', body: 'backup ok', headers: { 'content-type': 'text/plain' } }))
          .status,
      ).toBe(200);
      await waitFor(
        'a ping to bring it back',
        async () => ((await backupsStatus()) === 'operational' ? true : undefined),
        3_000,
        100,
      );

      expect((await fetch(`${url}/fail`, { method: 'POST' })).status).toBe(200);
      await waitFor(
        'a /fail ping to turn it red at once',
        async () => ((await backupsStatus()) === 'major_outage' ? true : undefined),
        1_500,
        100,
      );
      const changes = await database.db
        .selectFrom('component_status_changes')
        .select(['to_status', 'reason'])
        .orderBy('id')
        .execute();
      expect(changes.map((c) => c.to_status)).toEqual(['major_outage', 'operational', 'major_outage']);
      expect(changes[0]?.reason).toMatch(/late: missed a ping every 2s, grace 1s/);
      expect(changes[2]?.reason).toMatch(/the job reported failure/);
    },
  );

  it.skipIf(!dialect.available)('answers 404 with a hint for an unknown ping token', async () => {
    const response = await fetch(`${firewatch.url}/ping/this-token-does-not-exist`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; hint: string } };
    expect(body.error.code).toBe('not_found');
    expect(body.error.hint).toMatch(/ping_url/);
  });
});
