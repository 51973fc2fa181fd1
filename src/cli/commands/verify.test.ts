import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseConfigFile } from '../../config/parse-config-file.js';
import { demoConfigYaml } from '../../demo/demo-config.js';
import { type Simulator, startSimulator } from '../../demo/simulator.js';
import { applyFleetConfig } from '../../store/config-repository.js';
import { openDatabase } from '../../store/database.js';
import type { CommandIo } from '../command.js';
import { main } from '../main.js';

let dir: string;
let database: string;
let simulator: Simulator;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'firewatch-verify-'));
  database = `sqlite:${join(dir, 'firewatch.db')}`;
  simulator = await startSimulator({ port: 0, controlToken: 'verify-test-token' });
  await applyYaml(demoConfigYaml(simulator.url, { intervalSeconds: 10 }));
});

afterEach(async () => {
  await simulator.close();
  rmSync(dir, { recursive: true, force: true });
});

async function applyYaml(yaml: string): Promise<void> {
  const parsed = parseConfigFile(yaml, 'demo.yaml');
  if (!parsed.ok) throw new Error(`demo config is invalid: ${JSON.stringify(parsed.errors)}`);
  const db = await openDatabase({ url: database });
  try {
    await applyFleetConfig(db.db, parsed.config, Date.now());
  } finally {
    await db.close();
  }
}

async function verify(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CommandIo = {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    env: {},
    cwd: dir,
  };
  const code = await main(['verify', '--database', database, '--no-confirm', ...args], io);
  return { code, out, err };
}

/** The monitor refs of the result table on stdout, in table order. */
function tableRefs(out: string): string[] {
  return out
    .split('\n')
    .slice(1)
    .filter((line) => /^(ok|FAIL|SLOW) /.test(line))
    .map((line) => line.split(/\s+/)[1]!);
}

describe('firewatch verify', () => {
  it('passes a healthy fleet with exit 0 and a summary line CI can parse', async () => {
    const result = await verify();

    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^STATUS +MONITOR +DURATION +REASON\n/);
    expect(result.out.split('\n')).toContain('30 passed, 0 failed');
    expect(tableRefs(result.out)).toHaveLength(30);
    expect(result.err).toMatch(/^\[ ?\d+\/30\] ✓ [a-z0-9-]+\/hub\/front-page \d+ ms$/m);
    expect(result.err).toContain('[30/30] ✓ ');
  });

  it('fails with exit 1 and lists the broken community first when it answers 500', async () => {
    simulator.break('pangeo', 'error');

    const result = await verify('--junit', 'report.xml');

    expect(result.code).toBe(1);
    expect(result.out.split('\n')).toContain('27 passed, 3 failed');
    expect(tableRefs(result.out).slice(0, 3)).toEqual([
      'pangeo/hub/front-page',
      'pangeo/hub/health',
      'pangeo/login/login-page',
    ]);
    expect(result.out).toMatch(/^FAIL +pangeo\/hub\/health +\d+ ms +expected status 200, got 500/m);
    expect(result.err).toMatch(/\] ✗ pangeo\/hub\/front-page \d+ ms — expected status 200, got 500/);
    expect(result.err).toContain('JUnit report written to report.xml');

    const xml = readFileSync(join(dir, 'report.xml'), 'utf8');
    expect(xml).toContain('<testsuite name="firewatch verify" tests="30" failures="3" errors="0"');
    expect(xml).toMatch(
      /<testcase classname="pangeo" name="pangeo\/hub\/health" time="\d+\.\d{3}">\n +<failure /,
    );
    expect(xml.match(/<failure /g)).toHaveLength(3);
    expect(xml).toMatch(
      /<testcase classname="climate-lab" name="climate-lab\/hub\/front-page" time="[\d.]+"\/>/,
    );
  });

  it('runs only the named community with --community', async () => {
    simulator.break('climate-lab', 'down');

    const result = await verify('--community', 'pangeo');

    expect(result.code).toBe(0);
    expect(tableRefs(result.out).sort()).toEqual([
      'pangeo/hub/front-page',
      'pangeo/hub/health',
      'pangeo/login/login-page',
    ]);
    expect(result.out.split('\n')).toContain('3 passed, 0 failed');
  });

  /** The demo fleet plus a tagged pangeo monitor and a tagged monitor on the shared cluster pangeo runs on. */
  async function applyTaggedFleet(): Promise<string> {
    const file = parse(demoConfigYaml(simulator.url, { intervalSeconds: 10 }));
    const [pangeo] = file.communities;
    pangeo.components[0].monitors[1].tags = ['upgrade-smoke'];
    const cluster = file.shared_components.find((s: { key: string }) => s.key === pangeo.depends_on[0]);
    cluster.monitors = [
      {
        key: 'ingress',
        type: 'http',
        url: `${simulator.url}/`,
        interval: '10s',
        allow_private_targets: true,
        tags: ['upgrade-smoke'],
      },
    ];
    await applyYaml(stringify(file));
    return `shared/${cluster.key}/ingress`;
  }

  it('includes the shared components a community depends on', async () => {
    const ingress = await applyTaggedFleet();

    const result = await verify('--community', 'pangeo');

    expect(result.code).toBe(0);
    expect(tableRefs(result.out).sort()).toEqual([
      'pangeo/hub/front-page',
      'pangeo/hub/health',
      'pangeo/login/login-page',
      ingress,
    ]);
  });

  it('runs only the tagged monitors of a community with --tag', async () => {
    const ingress = await applyTaggedFleet();

    const result = await verify('--community', 'pangeo', '--tag', 'upgrade-smoke');

    expect(result.code).toBe(0);
    expect(tableRefs(result.out).sort()).toEqual(['pangeo/hub/health', ingress]);
    expect(result.out.split('\n')).toContain('2 passed, 0 failed');
  });

  it('refuses a tag no monitor has with exit 2 and says what to do', async () => {
    const result = await verify('--tag', 'upgrade-smoke', '--junit', 'report.xml');

    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain('no enabled monitor in the fleet has the tag "upgrade-smoke"');
    expect(result.err).toContain('add `tags: [...]` to monitors in the config');
    expect(result.err).toContain('usage: firewatch verify');
  });

  it('refuses an unknown community with exit 2 and lists the known ones', async () => {
    const result = await verify('--community', 'pangeo', '--community', 'pangaea');

    expect(result.code).toBe(2);
    expect(result.err).toContain('unknown community "pangaea" — use one of: pangeo, climate-lab,');
    expect(result.err).toContain(`(fleet read from ${database}`);
    expect(result.out).toBe('');
  });

  it('refuses an empty fleet with exit 2 instead of passing nothing', async () => {
    const result = await verify('--database', `sqlite:${join(dir, 'other.db')}`);

    expect(result.code).toBe(2);
    expect(result.err).toContain('no enabled monitors in the fleet');
  });

  it('refuses a bad --concurrency or an unknown flag with exit 2', async () => {
    expect((await verify('--concurrency', '0')).code).toBe(2);
    expect((await verify('--concurrency', 'lots')).err).toContain(
      '--concurrency "lots" must be a whole number',
    );
    expect((await verify('--communty', 'pangeo')).code).toBe(2);
  });

  it('judges heartbeat monitors from their stored pings', async () => {
    const fleet = parse(demoConfigYaml(simulator.url, { intervalSeconds: 10 }));
    fleet.shared_components[0].monitors = [{ key: 'nightly-backup', type: 'heartbeat', period: '1h' }];
    await applyYaml(stringify(fleet));
    expect((await verify('--community', 'pangeo')).code).toBe(0);

    // Created two hours ago and never pinged: late.
    const db = await openDatabase({ url: database });
    try {
      await db.db
        .updateTable('monitors')
        .set({ created_at: Date.now() - 2 * 3_600_000 })
        .where('type', '=', 'heartbeat')
        .execute();
    } finally {
      await db.close();
    }
    const late = await verify();
    expect(late.code).toBe(1);
    expect(late.out).toMatch(
      /FAIL +shared\/cluster-east\/nightly-backup .*late: missed a ping every 1h, grace 5m; no ping yet/,
    );
  });
});
