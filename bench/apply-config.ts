// Times `firewatch apply -f FILE` for a fleet of N HTTP monitors, end to end through
// the CLI (read, validate, plan, write in one transaction), on SQLite and PostgreSQL.
// Usage: node_modules/.bin/tsx bench/apply-config.ts [monitors=10000] [runs=3]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { main } from '../src/cli/main.js';
import { openIsolatedPostgres } from '../test/support/databases.js';

const monitors = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 3);
const PER_COMPONENT = 25;
const components = Math.ceil(monitors / PER_COMPONENT);
const communities = Math.ceil(components / 2);

/** Monitors on component number `index` (0-based): full components, then the remainder. */
function monitorsOn(index: number): number {
  return Math.max(0, Math.min(PER_COMPONENT, monitors - index * PER_COMPONENT));
}

function fleetYaml(): string {
  return stringify({
    version: 1,
    communities: Array.from({ length: communities }, (_, c) => ({
      slug: `community-${c}`,
      name: `Community ${c}`,
      components: ['hub', 'login'].map((key, k) => ({
        key,
        name: key,
        monitors: Array.from({ length: monitorsOn(2 * c + k) }, (_, m) => ({
          key: `m${m}`,
          type: 'http',
          url: `http://127.0.0.1:9/community-${c}/${key}/${m}`,
          interval: '30s',
          expect: { body_contains: ['Welcome'], body_not_contains: ['Community Not Found'] },
        })),
      })),
    })),
  });
}

const quiet = {
  out: () => {},
  err: (t: string) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
};

async function timeApply(databaseUrl: string, file: string): Promise<number> {
  const started = performance.now();
  const code = await main(['apply', '-f', file, '--database', databaseUrl], quiet);
  if (code !== 0) throw new Error(`apply exited with ${code}`);
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'firewatch-bench-apply-'));
const file = join(dir, 'fleet.yaml');
writeFileSync(file, fleetYaml());
console.log(
  `apply-config: ${monitors} monitors (${communities} communities, ${components} components), ${runs} runs each`,
);

const targets: { name: string; url: () => Promise<{ url: string; done: () => Promise<void> }> }[] = [
  {
    name: 'sqlite',
    url: async () => ({ url: `sqlite:${dir}/bench-${Math.random()}.db`, done: async () => {} }),
  },
];
const pgUrl = process.env.FIREWATCH_TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
targets.push({
  name: 'postgres',
  url: async () => {
    // A fresh schema per run; the CLI reaches it through search_path in the URL options.
    const db = await openIsolatedPostgres(pgUrl);
    const schema = (db.description.match(/schema (\w+)/) ?? [])[1]!;
    await db.db.destroy().catch(() => {});
    const url = `${pgUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    return { url, done: () => db.close().catch(() => {}) };
  },
});

for (const target of targets) {
  const first: number[] = [];
  const noop: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { url, done } = await target.url();
    try {
      first.push(await timeApply(url, file));
      noop.push(await timeApply(url, file));
    } finally {
      await done();
    }
  }
  console.log(
    `${target.name.padEnd(9)} first apply median ${(median(first) / 1000).toFixed(2)} s, ` +
      `re-apply (no changes) median ${(median(noop) / 1000).toFixed(2)} s  [target: under 10 s]`,
  );
}
rmSync(dir, { recursive: true, force: true });
