import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';

/** How hard and how long to push. */
export interface LoadOptions {
  readonly ingestUrl: string;
  readonly connections: number;
  readonly warmupS: number;
  readonly durationS: number;
  /**
   * Null: closed loop, each connection sends its next event as soon as the previous one is answered
   * (the most the server takes). A number: open loop, events are sent at this rate whatever the answers,
   * and latency counts from when each was due (so a server that falls behind shows it, and queueing in
   * the client counts against the server).
   */
  readonly rate: number | null;
  /** The next request body (one event). */
  readonly nextBody: () => string;
}

/** What the measured window saw, from the client's side. */
export interface LoadResult {
  readonly windowS: number;
  /** Answers with 200 that arrived inside the window (whenever sent): the sustained rate × window. */
  readonly completed: number;
  /** Requests due (open loop) or sent (closed loop) inside the window that were answered with 200. */
  readonly ok: number;
  /** Requests of the window that failed, plus (open loop) those still unanswered at its end. */
  readonly errors: number;
  readonly errorKinds: Readonly<Record<string, number>>;
  /** Latency of each ok request, ms, sorted. */
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
 * Sends generic events to the ingest URL over an undici Pool of `connections` keep-alive connections
 * for warm-up plus window, and records the requests of the window (see LoadOptions.rate).
 */
export async function driveLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.ingestUrl);
  const pool = new Pool(target.origin, { connections: options.connections, pipelining: 1 });
  const started = performance.now();
  const windowStart = started + options.warmupS * 1000;
  const windowEnd = windowStart + options.durationS * 1000;
  const epochOffset = Date.now() - performance.now();
  const latencies: number[] = [];
  const perSecond = new Array<number>(Math.ceil(options.durationS)).fill(0);
  const errorKinds: Record<string, number> = {};
  const actions: Record<string, number> = {};
  let errors = 0;
  let unanswered = 0;
  let completed = 0;
  let closed = false;

  /** Sends one event and says whether it was answered with 200; `from` is when it was due or sent. */
  const send = async (from: number): Promise<boolean> => {
    const inWindow = from >= windowStart && from < windowEnd;
    if (inWindow) unanswered++;
    let failure: string | null = null;
    let answer: IngestResponse | null = null;
    try {
      const response = await pool.request({
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: options.nextBody(),
      });
      const text = await response.body.text();
      if (response.statusCode === 200) answer = JSON.parse(text) as IngestResponse;
      else failure = `HTTP ${response.statusCode}: ${text.slice(0, 200)}`;
    } catch (error) {
      failure = (error as Error).message;
    }
    const done = performance.now();
    if (closed) return false; // answered (or cut off) after the result was taken
    if (failure === null && done >= windowStart && done < windowEnd) {
      completed++;
      const second = Math.floor((done - windowStart) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    }
    if (!inWindow) return failure === null;
    unanswered--;
    if (failure !== null) {
      errors++;
      errorKinds[failure] = (errorKinds[failure] ?? 0) + 1;
      return false;
    }
    latencies.push(done - from);
    for (const alert of answer?.alerts ?? []) actions[alert.action] = (actions[alert.action] ?? 0) + 1;
    return true;
  };

  if (options.rate === null) {
    const connection = async () => {
      while (performance.now() < windowEnd) {
        if (!(await send(performance.now()))) await sleep(10); // a refused connection must not spin
      }
    };
    await Promise.all(Array.from({ length: options.connections }, connection));
  } else {
    const intervalMs = 1000 / options.rate;
    const inFlight = new Set<Promise<boolean>>();
    for (let i = 0; ; i++) {
      const due = started + i * intervalMs;
      if (due >= windowEnd) break;
      const wait = due - performance.now();
      if (wait > 1) await sleep(Math.floor(wait));
      const request = send(due).finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    // What is still unanswered 5 s after the window counts as failed.
    await Promise.race([Promise.all(inFlight), sleep(5_000)]);
  }
  closed = true;
  if (unanswered > 0) {
    errors += unanswered;
    errorKinds['no answer within 5 s after the window'] = unanswered;
  }
  await pool.destroy();
  return {
    windowS: options.durationS,
    completed,
    ok: latencies.length,
    errors,
    errorKinds,
    latenciesMs: Float64Array.from(latencies).sort(),
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
