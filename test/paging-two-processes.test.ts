import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { postgresConnection } from '../src/store/database.js';
import { startTestReceiver, type TestReceiver } from './support/test-receiver.js';
import { waitFor } from './support/wait-for.js';

// Two real `firewatch serve` processes (the compiled CLI; `npm test` builds first) on one
// PostgreSQL database: every page must reach the receiver exactly once.
const BIN = join(import.meta.dirname, '..', 'bin', 'firewatch.js');
const run = promisify(execFile);
const TOKEN = 'fw_two-processes-token-0123456789';
const ALERTS = 30;

const config = (receiver: string) => `version: 1
communities:
  - slug: pangeo
    name: Pangeo
    components:
      - { key: hub, name: Hub }
integrations:
  - { key: events, kind: generic }
users:
  - key: ana
    name: Ana
    time_zone: UTC
    contact_methods:
      - { key: hook, kind: webhook, url: "${receiver}/ana", secret: "shared-secret" }
escalation_policies:
  - key: default
    name: Default
    steps:
      - { targets: [{ user: ana }], escalate_after: 30m }
routing:
  default_policy: default
`;

const postgresUrl = inject('postgresUrl');

describe.skipIf(postgresUrl === '')('two Firewatch processes on one PostgreSQL database', () => {
  const database = `fw_two_${randomBytes(4).toString('hex')}`;
  const url = new URL(postgresUrl);
  url.pathname = `/${database}`;
  const dir = mkdtempSync(join(tmpdir(), 'firewatch-two-'));
  const children: ChildProcess[] = [];
  let receiver: TestReceiver;

  async function admin(sql: string): Promise<void> {
    const client = new pg.Client(postgresConnection(postgresUrl));
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  function serve(name: string): Promise<string> {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--no-checks'], {
      env: {
        ...process.env,
        DATABASE_URL: url.toString(),
        FIREWATCH_DATA_DIR: join(dir, name),
        FIREWATCH_ADMIN_TOKEN: TOKEN,
        FIREWATCH_LOG_LEVEL: 'warn',
        // Every page here goes to one address; the bundling of a rate limit is tested elsewhere.
        FIREWATCH_NOTIFY_RATE_LIMIT: '1000/1m',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`${name} did not start: ${out}`)), 20_000);
      child.stderr?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = out.match(/status page: (http:\/\/\S+?)\/?\s/);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${out}`)));
    });
  }

  beforeAll(async () => {
    // A slow receiver widens every window in which two senders could overlap.
    receiver = await startTestReceiver(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { status: 204 };
    });
    await admin(`CREATE DATABASE ${database}`);
    const file = join(dir, 'fleet.yaml');
    writeFileSync(file, config(receiver.origin));
    await run(process.execPath, [BIN, 'apply', '-f', file], {
      env: { ...process.env, DATABASE_URL: url.toString() },
    });
  });

  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
    await receiver?.close();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers each page exactly once, counted at the receiver', async () => {
    const [first, second] = await Promise.all([serve('one'), serve('two')]);
    const listed = (await (
      await fetch(`${first}/api/v1/integrations`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { integrations: { key: string; url: string }[] };
    const ingestPath = new URL(listed.integrations[0]!.url).pathname;

    // Alerts arrive at both processes; each is its own group, so each opens one page.
    await Promise.all(
      Array.from({ length: ALERTS }, (_, i) =>
        fetch(`${i % 2 === 0 ? first : second}${ingestPath}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'hub_down',
            dedup_key: `hub-${i}`,
            status: 'problem',
            severity: 'P1',
            community: 'pangeo',
            summary: `hub ${i} is down`,
          }),
        }).then((response) => expect(response.status).toBe(200)),
      ),
    );
    // The receiver counts notification ids, whether alone or inside a bundle.
    const delivered = () =>
      receiver.requests.flatMap((r) => {
        const body = JSON.parse(r.body) as { id: string; kind: string; data: { bundled?: { id: string }[] } };
        return body.kind === 'bundle' ? (body.data.bundled ?? []).map((b) => b.id) : [body.id];
      });
    await waitFor(
      'every page delivered',
      async () => (delivered().length >= ALERTS ? true : undefined),
      30_000,
    );
    // Both processes keep sweeping for a few more turns (every 2 s): nothing may come twice.
    await new Promise((resolve) => setTimeout(resolve, 5_000));

    const ids = delivered();
    expect(ids).toHaveLength(ALERTS);
    expect(new Set(ids).size).toBe(ALERTS);
    const deliveries = receiver.requests.map((r) => r.headers['x-firewatch-delivery']);
    expect(new Set(deliveries).size).toBe(deliveries.length);

    const client = new pg.Client(postgresConnection(url.toString()));
    await client.connect();
    try {
      const attempts = await client.query<{ result: string; count: string }>(
        'SELECT result, count(DISTINCT notification_id) AS count FROM notification_attempts GROUP BY result',
      );
      expect(attempts.rows.map((r) => [r.result, Number(r.count)])).toEqual([['sent', ALERTS]]);
      const processes = await client.query<{ process: string }>(
        'SELECT DISTINCT process FROM notification_attempts',
      );
      console.info(
        `deliveries by ${processes.rows.length} process(es), ${receiver.requests.length} requests`,
      );
      const pages = await client.query<{ count: string }>('SELECT count(*) FROM pages');
      expect(Number(pages.rows[0]?.count)).toBe(ALERTS);
    } finally {
      await client.end();
    }
  }, 90_000);
});
