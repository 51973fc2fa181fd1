import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TargetStats } from './target-server.js';

/** A running target-server process (see target-server.ts). */
export interface Target {
  readonly port: number;
  readonly pid: number;
  /** The target's own counters right now. */
  stats(): Promise<TargetStats>;
  /** Disconnects (the target exits on disconnect) and waits for it to exit; SIGKILL after 5 s. */
  stop(): Promise<void>;
}

// Under tsx this file is .ts; compiled (see README, "Without tsx") it is .js and needs no loader.
const COMPILED = import.meta.url.endsWith('.js');
const SCRIPT = fileURLToPath(
  new URL(COMPILED ? './target-server.js' : './target-server.ts', import.meta.url),
);
const START_TIMEOUT_MS = 15_000;

/** Forks target-server.ts (under tsx unless compiled) and resolves once it reports its port. */
export async function startTarget(): Promise<Target> {
  const child = fork(SCRIPT, [], {
    execArgv: COMPILED ? [] : ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('start the bench target: fork returned no pid');
  let port: number;
  try {
    port = await readPort(child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error('start the bench target (bench/checks/target-server.ts)', { cause: error });
  }
  const exited = once(child, 'exit');
  return {
    port,
    pid,
    async stats() {
      const reply = once(child, 'message') as Promise<[TargetStats]>;
      child.send({ type: 'stats' });
      return (await withTimeout(reply, 5_000, 'target stats'))[0];
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.disconnect();
      try {
        await withTimeout(exited, 5_000, 'target exit');
      } catch {
        process.kill(pid, 'SIGKILL');
        await exited;
      }
    },
  };
}

async function readPort(child: ChildProcess): Promise<number> {
  const lines = createInterface({ input: child.stdout! });
  const first = withTimeout(once(lines, 'line') as Promise<[string]>, START_TIMEOUT_MS, 'target port');
  const exit = once(child, 'exit').then(([code]) => {
    throw new Error(`target exited with ${code} before reporting its port`);
  });
  const [line] = await Promise.race([first, exit]);
  const port = (JSON.parse(line) as { port?: unknown }).port;
  if (typeof port !== 'number')
    throw new Error(`target printed ${JSON.stringify(line)}, expected {"port":N}`);
  // Keep draining stdout so the target never blocks on a full pipe.
  lines.on('line', () => {});
  return port;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
