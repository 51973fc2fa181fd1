import { type Kysely, sql } from 'kysely';
import type { CheckOutcome } from '../checks/check-outcome.js';
import type { MonitorState } from '../rules/monitor-state.js';
import type { Capabilities } from './capabilities.js';
import type { NewCheckResult, Schema } from './schema.js';

const DAY_MS = 86_400_000;

/** One finished check, with the monitor's rule state after it. */
export interface ResultRecord {
  readonly monitorId: string;
  readonly startedAt: number;
  readonly location: string;
  readonly outcome: CheckOutcome;
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
  }));
  const rollups = new Map<
    string,
    {
      monitor_id: string;
      day: number;
      checks: number;
      failures: number;
      latency_sum_ms: number;
      latency_max_ms: number;
    }
  >();
  for (const r of batch) {
    const day = r.startedAt - (r.startedAt % DAY_MS);
    const key = `${r.monitorId}|${day}`;
    const latency = Math.round(r.outcome.durationMs);
    const current = rollups.get(key) ?? {
      monitor_id: r.monitorId,
      day,
      checks: 0,
      failures: 0,
      latency_sum_ms: 0,
      latency_max_ms: 0,
    };
    current.checks += 1;
    current.failures += r.outcome.ok ? 0 : 1;
    current.latency_sum_ms += latency;
    current.latency_max_ms = Math.max(current.latency_max_ms, latency);
    rollups.set(key, current);
  }
  const latestState = new Map<string, ResultRecord>();
  for (const r of batch) latestState.set(r.monitorId, r);

  const chunk = Math.floor(capabilities.maxParameters / 8);
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += chunk) {
      await tx
        .insertInto('check_results')
        .values(rows.slice(i, i + chunk))
        .execute();
    }
    const rollupRows = [...rollups.values()];
    for (let i = 0; i < rollupRows.length; i += chunk) {
      await tx
        .insertInto('check_rollups_day')
        .values(rollupRows.slice(i, i + chunk))
        .onConflict((oc) =>
          oc.columns(['monitor_id', 'day']).doUpdateSet((eb) => ({
            checks: eb('check_rollups_day.checks', '+', eb.ref('excluded.checks')),
            failures: eb('check_rollups_day.failures', '+', eb.ref('excluded.failures')),
            latency_sum_ms: eb('check_rollups_day.latency_sum_ms', '+', eb.ref('excluded.latency_sum_ms')),
            // CASE rather than GREATEST/MAX: the one spelling both dialects share.
            latency_max_ms: sql<number>`case when excluded.latency_max_ms > check_rollups_day.latency_max_ms then excluded.latency_max_ms else check_rollups_day.latency_max_ms end`,
          })),
        )
        .execute();
    }
    const stateRows = [...latestState.values()].map((r) => ({
      monitor_id: r.monitorId,
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
          oc.column('monitor_id').doUpdateSet((eb) => ({
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
