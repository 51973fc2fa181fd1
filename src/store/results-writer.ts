import { type Kysely, sql } from 'kysely';
import type { CheckOutcome } from '../checks/check-outcome.js';
import type { MonitorState } from '../rules/monitor-state.js';
import type { Capabilities } from './capabilities.js';
import { rollupRows } from './rollup-rows.js';
import type { NewCheckResult, Schema } from './schema.js';

/** One finished check, with the monitor's rule state after it. */
export interface ResultRecord {
  readonly monitorId: string;
  readonly startedAt: number;
  readonly location: string;
  readonly outcome: CheckOutcome;
  /** Probe runs behind this result (confirmation retries add to it). */
  readonly attempts?: number;
  readonly state: MonitorState;
  readonly reason: string | null;
}

export interface ResultsWriterOptions {
  readonly db: Kysely<Schema>;
  readonly capabilities: Capabilities;
  /** Flush at least this often (ms). */
  readonly flushIntervalMs?: number;
  /** Flush early once this many results are buffered. */
  readonly maxBuffered?: number;
  readonly onError?: (error: Error) => void;
}

/**
 * Buffers check results and writes them in batches: the raw rows, the day rollups
 * (added to, never recomputed) and each monitor's latest rule counters, in one
 * transaction per batch. Status transitions are not written here; they go through
 * recordTransition() at once.
 */
export class ResultsWriter {
  readonly #options: ResultsWriterOptions;
  #buffer: ResultRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(options: ResultsWriterOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.flush(), this.#options.flushIntervalMs ?? 1_000);
    this.#timer.unref?.();
  }

  add(record: ResultRecord): void {
    this.#buffer.push(record);
    if (this.#buffer.length >= (this.#options.maxBuffered ?? 2_000)) void this.flush();
  }

  /** Writes everything buffered so far; resolves when it is stored. */
  flush(): Promise<void> {
    const batch = this.#buffer;
    this.#buffer = [];
    this.#flushing = this.#flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await writeBatch(this.#options.db, this.#options.capabilities, batch);
      } catch (error) {
        this.#options.onError?.(new Error(`write ${batch.length} check results`, { cause: error }));
      }
    });
    return this.#flushing;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.flush();
  }
}

async function writeBatch(db: Kysely<Schema>, capabilities: Capabilities, batch: readonly ResultRecord[]) {
  const rows: NewCheckResult[] = batch.map((r) => ({
    monitor_id: r.monitorId,
    started_at: r.startedAt,
    duration_ms: Math.round(r.outcome.durationMs),
    ok: r.outcome.ok ? 1 : 0,
    slow: r.outcome.slow ? 1 : 0,
    reason: r.outcome.reason,
    location: r.location,
    attempts: r.attempts ?? 1,
  }));
  const rollups = rollupRows(
    batch.map((r) => ({
      monitorId: r.monitorId,
      startedAt: r.startedAt,
      ok: r.outcome.ok,
      durationMs: r.outcome.durationMs,
    })),
  );
  const latestState = new Map<string, ResultRecord>();
  for (const r of batch) latestState.set(`${r.monitorId}|${r.location}`, r);

  const chunk = Math.floor(capabilities.maxParameters / 8);
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += chunk) {
      await tx
        .insertInto('check_results')
        .values(rows.slice(i, i + chunk))
        .execute();
    }
    for (let i = 0; i < rollups.length; i += chunk) {
      await tx
        .insertInto('check_rollups')
        .values(rollups.slice(i, i + chunk))
        .onConflict((oc) =>
          oc.columns(['monitor_id', 'granularity', 'bucket']).doUpdateSet((eb) => ({
            checks: eb('check_rollups.checks', '+', eb.ref('excluded.checks')),
            failures: eb('check_rollups.failures', '+', eb.ref('excluded.failures')),
            latency_sum_ms: eb('check_rollups.latency_sum_ms', '+', eb.ref('excluded.latency_sum_ms')),
            // CASE rather than LEAST/GREATEST or MIN/MAX: the one spelling both dialects share.
            latency_min_ms: sql<number>`case when excluded.latency_min_ms < check_rollups.latency_min_ms then excluded.latency_min_ms else check_rollups.latency_min_ms end`,
            latency_max_ms: sql<number>`case when excluded.latency_max_ms > check_rollups.latency_max_ms then excluded.latency_max_ms else check_rollups.latency_max_ms end`,
          })),
        )
        .execute();
    }
    const stateRows = [...latestState.values()].map((r) => ({
      monitor_id: r.monitorId,
      location: r.location,
      status: r.state.status,
      consecutive_failures: r.state.consecutiveFailures,
      consecutive_successes: r.state.consecutiveSuccesses,
      last_checked_at: r.startedAt,
      last_reason: r.reason,
      updated_at: r.state.since ?? r.startedAt,
    }));
    for (let i = 0; i < stateRows.length; i += chunk) {
      await tx
        .insertInto('monitor_states')
        .values(stateRows.slice(i, i + chunk))
        .onConflict((oc) =>
          oc.columns(['monitor_id', 'location']).doUpdateSet((eb) => ({
            status: eb.ref('excluded.status'),
            consecutive_failures: eb.ref('excluded.consecutive_failures'),
            consecutive_successes: eb.ref('excluded.consecutive_successes'),
            last_checked_at: eb.ref('excluded.last_checked_at'),
            last_reason: eb.ref('excluded.last_reason'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  });
}
