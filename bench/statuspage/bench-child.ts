import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ServerStats } from './server-stats.js';

const START_TIMEOUT_MS = 60_000;

/** A bench server in a child process: its URL, its IPC channel, and how to stop it. */
export interface BenchChild {
  readonly pid: number;
  readonly url: string;
  /** Sends an IPC message (serve-firewatch.ts understands flip, reset and stats). */
  send(message: object): void;
  /** Asks for the child's figures since the last reset (serve-firewatch.ts only). */
  stats(): Promise<ServerStats>;
  /** Disconnects (the child closes and exits), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/**
 * Forks `script` (a file in bench/statuspage, run through tsx) with `env` and resolves once it printed
 * `BENCH_URL <url>`. Its stderr goes to ours.
 */
export async function startBenchChild(script: string, env: NodeJS.ProcessEnv): Promise<BenchChild> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const compiled = import.meta.url.endsWith('.js');
  const child: ChildProcess = fork(compiled ? path.replace(/\.ts$/, '.js') : path, [], {
    env: { ...process.env, ...env },
    execArgv: compiled ? [] : ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`fork ${script}: no pid`);
  const exited = once(child, 'exit');
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${script}: no URL within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const found = /^BENCH_URL (\S+)$/.exec(line);
        if (found?.[1]) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited with ${code} before serving`));
      });
    });
    return {
      pid,
      url,
      send: (message) => child.send(message),
      stats: async () => {
        const reply = once(child, 'message') as Promise<[{ type: string; stats: ServerStats }]>;
        child.send({ type: 'stats' });
        const [message] = await reply;
        return message.stats;
      },
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const killer = setTimeout(() => process.kill(pid, 'SIGKILL'), 10_000);
        child.disconnect();
        await exited;
        clearTimeout(killer);
      },
    };
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(pid, 'SIGKILL');
      await exited;
    }
    throw error;
  }
}
