import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/wait-for.js';

// Runs the compiled CLI exactly as the README tells a newcomer to (`npm test` builds first).
const BIN = join(import.meta.dirname, '..', 'bin', 'firewatch.js');
const run = promisify(execFile);

describe('firewatch demo (the compiled CLI)', () => {
  let dir: string;
  let child: ChildProcess;
  let url: string;
  let pager: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firewatch-cli-'));
    env = {
      ...process.env,
      FIREWATCH_DATA_DIR: dir,
      DATABASE_URL: `sqlite:${dir}/firewatch.db`,
      FIREWATCH_LOG_LEVEL: 'warn',
    };
    child = spawn(
      process.execPath,
      [BIN, 'demo', '--port', '0', '--simulator-port', '0', '--interval', '1'],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      const timer = setTimeout(() => reject(new Error(`demo did not start: ${out}`)), 20_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = out.match(/Status page: (http:\/\/\S+?)\/?\s/);
        pager = out.match(/Pages sent: +(http:\/\/\S+)/)?.[1] ?? '';
        if (match?.[1] && pager) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${out}`)));
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function hubStatus(): Promise<string | undefined> {
    const summary = (await (await fetch(`${url}/api/v2/summary.json`)).json()) as {
      components: { id: string; name: string; status: string; group: boolean; group_id: string | null }[];
    };
    const group = summary.components.find((c) => c.group && c.name === 'Pangeo Hub');
    return summary.components.find((c) => c.group_id === group?.id && c.name === 'Hub')?.status;
  }

  async function eventually(expected: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if ((await hubStatus()) === expected) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`pangeo hub never became ${expected} (last: ${await hubStatus()})`);
  }

  it('serves the status page, writes an admin token, and breaks and repairs a community from the command line', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Pangeo Hub');
    const token = readFileSync(join(dir, 'admin-token'), 'utf8').trim();
    expect(
      (await fetch(`${url}/api/v1/monitors`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    await eventually('operational');

    const broke = await run(process.execPath, [BIN, 'demo', 'break', 'pangeo', '--mode', 'error'], { env });
    expect(broke.stdout).toContain('pangeo is now error');
    await eventually('major_outage');
    // The outage pages whoever the demo schedule has on call, at the simulator's demo pager.
    await waitFor(
      'a page at the demo pager',
      async () => ((await (await fetch(pager)).text()).includes('pangeo') ? true : undefined),
      15_000,
    );

    await run(process.execPath, [BIN, 'demo', 'repair', 'pangeo'], { env });
    await eventually('operational');
  });

  it('rejects an unknown failure mode with the list of modes and exit code 2', async () => {
    const failed = await run(process.execPath, [BIN, 'demo', 'break', 'pangeo', '--mode', 'melting'], {
      env,
    }).catch((error: { code: number; stderr: string }) => error);
    expect('code' in failed && failed.code).toBe(2);
    expect('stderr' in failed && failed.stderr).toContain('down, error, slow, not-found');
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });
});
