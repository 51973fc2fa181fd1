import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandIo } from '../command.js';
import { main } from '../main.js';

const GOOD = `version: 1
communities:
  - slug: alpha
    name: Alpha Hub
    depends_on: [east]
    components:
      - key: hub
        name: Hub
        monitors:
          - key: front-page
            type: http
            url: https://alpha.example.org/
            interval: 30s
            expect: { status: [200], body_contains: ["Welcome"] }
  - slug: beta
    name: Beta
shared_components:
  - key: east
    name: East cluster
`;

let dir: string;
let database: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'firewatch-apply-'));
  database = `sqlite:${join(dir, 'firewatch.db')}`;
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
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
  const code = await main(argv, io);
  return { code, out, err };
}

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

async function exported(): Promise<string> {
  const result = await run('export', '--database', database);
  expect(result.code).toBe(0);
  return result.out;
}

describe('firewatch apply', () => {
  it('applies a file, prints the plan, and applies nothing the second time', async () => {
    const first = await run('apply', '-f', file('fleet.yaml', GOOD), '--database', database);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toContain('+ community alpha\n');
    expect(first.out).toContain('+ monitor alpha/hub/front-page\n');
    expect(first.out).toMatch(/Applied: 5 created, 0 updated, 0 deleted in sqlite:/);

    const second = await run('apply', '-f', 'fleet.yaml', '--database', database);
    expect(second.out).toMatch(/^No changes\.\nApplied: 0 created/);
  });

  it('shows a dry run without changing anything', async () => {
    await run('apply', '-f', file('fleet.yaml', GOOD), '--database', database);
    const before = await exported();
    const changed = file('changed.yaml', GOOD.replace('interval: 30s', 'interval: 45s'));
    const dry = await run('apply', '-f', changed, '--dry-run', '--database', database);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('~ monitor alpha/hub/front-page (interval)\n');
    expect(dry.out).toContain('Plan: 0 to create, 1 to update, 0 to delete.\nDry run:');
    expect(await exported()).toBe(before);
  });

  it.each([
    [
      'an unknown field',
      GOOD.replace('interval: 30s', 'intervall: 30s'),
      13,
      /unknown field "intervall" — allowed: .*did you mean "interval"/,
    ],
    [
      'a wrong type',
      GOOD.replace('name: Beta', 'name: [Beta]'),
      16,
      /communities\[1\]\.name: expected text, got a list/,
    ],
    [
      'a duplicate slug',
      GOOD.replace('slug: beta', 'slug: alpha'),
      15,
      /duplicate community slug "alpha" \(first at line 3\)/,
    ],
    [
      'an invalid URL',
      GOOD.replace('https://alpha.example.org/', 'htp:/x'),
      12,
      /invalid URL "htp:\/x" — use an absolute http/,
    ],
  ])('rejects a file with %s, naming the line, and changes nothing', async (_, text, line, message) => {
    await run('apply', '-f', file('fleet.yaml', GOOD), '--database', database);
    const before = await exported();

    const result = await run('apply', '-f', file('bad.yaml', text), '--database', database);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toMatch(new RegExp(`^bad\\.yaml:${line}:\\d+ `));
    expect(result.err).toMatch(message);
    expect(result.err).toContain('nothing was changed');
    expect(await exported()).toBe(before);
  });

  it('exports a config that a dry run of apply finds unchanged', async () => {
    await run('apply', '-f', file('fleet.yaml', GOOD), '--database', database);
    const written = await run('export', '--database', database, '-o', 'exported.yaml');
    expect(written.out).toMatch(
      /^Exported 2 communities, 1 shared components and 1 monitors to exported\.yaml/,
    );
    const dry = await run('apply', '-f', 'exported.yaml', '--dry-run', '--database', database);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^No changes\.\n/);
  });

  it('asks for -f when no file is given', async () => {
    const result = await run('apply', '--database', database);
    expect(result.code).toBe(2);
    expect(result.err).toContain('missing -f FILE');
  });

  it('says which file it cannot read', async () => {
    const result = await run('apply', '-f', 'missing.yaml', '--database', database);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/cannot read missing\.yaml\n\s+caused by: ENOENT/);
  });
});
