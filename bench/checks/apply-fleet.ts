import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

// Under tsx this file is .ts; compiled (see README, "Without tsx") it is .js and needs no loader.
const COMPILED = import.meta.url.endsWith('.js');
const MAIN = fileURLToPath(
  new URL(COMPILED ? '../../src/cli/main.js' : '../../src/cli/main.ts', import.meta.url),
);
const CHILD_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs `firewatch apply -f file --database url` through the real CLI and resolves to the seconds it took.
 * In this process by default; with `inChild` in a fresh node process, the way an operator
 * runs `firewatch apply` apart from `firewatch serve`, so its heap does not stay in the engine's process.
 */
export async function applyFleet(file: string, databaseUrl: string, inChild: boolean): Promise<number> {
  const args = ['apply', '-f', file, '--database', databaseUrl];
  const started = performance.now();
  const code = inChild ? await runInChild(args) : await main(args, quietIo());
  if (code !== 0) throw new Error(`firewatch ${args.join(' ')} exited with ${code}; see the message above`);
  return (performance.now() - started) / 1000;
}

function quietIo() {
  return { out: () => {}, err: (t: string) => process.stderr.write(t), env: {}, cwd: process.cwd() };
}

async function runInChild(args: readonly string[]): Promise<number> {
  const script = `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(process.argv.slice(1), { out: () => {}, err: (t) => process.stderr.write(t), env: {}, cwd: process.cwd() });`;
  const loader = COMPILED ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...loader, '--input-type=module', '-e', script, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const killer = setTimeout(
    () => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'),
    CHILD_TIMEOUT_MS,
  );
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(killer);
  return code ?? 1;
}
