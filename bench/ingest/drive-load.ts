import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';

/** How hard and how long to push. */
export interface LoadOptions {
  readonly ingestUrl: string;
  readonly connections: number;
  readonly warmupS: number;
  readonly durationS: number;
  /** The next request body (one event). */
  readonly nextBody: () => string;
}

/** What the measured window saw, from the client's side. */
export interface LoadResult {
  readonly windowS: number;
  /** Requests that started and finished inside the window, with 200. */
  readonly ok: number;
  readonly errors: number;
  /** Statuses other than 200, and network errors, by what happened. */
  readonly errorKinds: Readonly<Record<string, number>>;
  /** Latency of each ok request in the window, ms, sorted. */
  readonly latenciesMs: Float64Array;
  /** Ok requests completed in each whole second of the window. */
  readonly perSecond: readonly number[];
  /** Alert actions the responses reported in the window (created, repeated, resolved, reopened). */
  readonly actions: Readonly<Record<string, number>>;
  /** Window start and end, epoch ms (to match the server's received_at). */
  readonly windowStartMs: number;
  readonly windowEndMs: number;
}

interface IngestResponse {
  readonly alerts?: readonly { readonly action: string }[];
}

/**
 * Keeps `connections` requests in flight (one per pooled keep-alive connection) for warm-up plus
 * window, and records only requests that start at or after the window's start and finish before its end.
 */
export async function driveLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.ingestUrl);
  const pool = new Pool(target.origin, { connections: options.connections, pipelining: 1 });
  const path = target.pathname;
  const started = performance.now();
  const windowStart = started + options.warmupS * 1000;
  const windowEnd = windowStart + options.durationS * 1000;
  const latencies: number[] = [];
  const perSecond = new Array<number>(Math.ceil(options.durationS)).fill(0);
  const errorKinds: Record<string, number> = {};
  const actions: Record<string, number> = {};
  let errors = 0;
  const epochOffset = Date.now() - performance.now();

  const worker = async () => {
    while (performance.now() < windowEnd) {
      const body = options.nextBody();
      const t0 = performance.now();
      let kind: string | null = null;
      let parsed: IngestResponse | null = null;
      try {
        const response = await pool.request({
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const text = await response.body.text();
        if (response.statusCode === 200) parsed = JSON.parse(text) as IngestResponse;
        else kind = `HTTP ${response.statusCode}: ${text.slice(0, 200)}`;
      } catch (error) {
        kind = (error as Error).message;
        await sleep(10); // a refused connection must not spin
      }
      const t1 = performance.now();
      if (t0 < windowStart || t1 > windowEnd) continue;
      if (kind !== null) {
        errors++;
        errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
        continue;
      }
      latencies.push(t1 - t0);
      const second = Math.floor((t1 - windowStart) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
      for (const alert of parsed?.alerts ?? []) actions[alert.action] = (actions[alert.action] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  await pool.close();
  const sorted = Float64Array.from(latencies).sort();
  return {
    windowS: options.durationS,
    ok: latencies.length,
    errors,
    errorKinds,
    latenciesMs: sorted,
    perSecond,
    actions,
    windowStartMs: Math.round(windowStart + epochOffset),
    windowEndMs: Math.round(windowEnd + epochOffset),
  };
}

/** Nearest-rank percentile of sorted values (NaN when empty). */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
