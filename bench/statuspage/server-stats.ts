import { monitorEventLoopDelay } from 'node:perf_hooks';

/** What a bench server reports over IPC for one measured window (since the last `reset`). */
export interface ServerStats {
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** CPU time (user + system) the server process used, ms. */
  readonly cpuMs: number;
  readonly rssMb: number;
  /** Firewatch only (0 / null in the bare server): snapshot rebuilds and component flips. */
  readonly rebuilds: number;
  readonly flips: number;
  /** From a flip's invalidate() to the rebuilt snapshot (median, max), ms. */
  readonly flipToVisibleP50Ms: number | null;
  readonly flipToVisibleMaxMs: number | null;
}

type Extra = Pick<ServerStats, 'rebuilds' | 'flips' | 'flipToVisibleP50Ms' | 'flipToVisibleMaxMs'>;

/**
 * Answers the bench's IPC messages in a server child: `reset` starts a window (event-loop delay, CPU and
 * whatever `onReset` clears), `stats` replies with the window's figures plus `extra()`. Other messages go
 * to `onOther`.
 */
export function answerStats(options: {
  readonly extra?: () => Extra;
  readonly onReset?: () => void;
  readonly onOther?: (message: { type: string; everyMs?: number }) => void;
}): void {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let cpuAtReset = process.cpuUsage();
  process.on('message', (message: { type: string; everyMs?: number }) => {
    if (message.type === 'reset') {
      loop.reset();
      cpuAtReset = process.cpuUsage();
      options.onReset?.();
    } else if (message.type === 'stats') {
      const used = process.cpuUsage(cpuAtReset);
      const stats: ServerStats = {
        loopDelayP99Ms: loop.percentile(99) / 1e6,
        loopDelayMaxMs: loop.max / 1e6,
        cpuMs: (used.user + used.system) / 1_000,
        rssMb: process.memoryUsage().rss / 1_048_576,
        ...(options.extra?.() ?? {
          rebuilds: 0,
          flips: 0,
          flipToVisibleP50Ms: null,
          flipToVisibleMaxMs: null,
        }),
      };
      process.send?.({ type: 'stats', stats });
    } else {
      options.onOther?.(message);
    }
  });
}
