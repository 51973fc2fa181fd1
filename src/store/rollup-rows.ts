import { GRANULARITIES, type Granularity, type RollupRow } from './schema.js';

/** The part of a check result a rollup needs. */
export interface RollupInput {
  readonly monitorId: string;
  readonly startedAt: number;
  readonly ok: boolean;
  readonly durationMs: number;
}

/**
 * Aggregates results into minute, hour and day rows (one per monitor and bucket).
 * Pure; the writer adds these to stored rows (sums add, min/max combine).
 */
export function rollupRows(results: readonly RollupInput[]): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  for (const r of results) {
    const latency = Math.round(r.durationMs);
    for (const granularity of Object.keys(GRANULARITIES) as Granularity[]) {
      const size = GRANULARITIES[granularity];
      const bucket = r.startedAt - (r.startedAt % size);
      const key = `${r.monitorId}|${granularity}|${bucket}`;
      const row = rows.get(key);
      if (row) {
        row.checks += 1;
        row.failures += r.ok ? 0 : 1;
        row.latency_sum_ms += latency;
        row.latency_min_ms = Math.min(row.latency_min_ms, latency);
        row.latency_max_ms = Math.max(row.latency_max_ms, latency);
      } else {
        rows.set(key, {
          monitor_id: r.monitorId,
          granularity,
          bucket,
          checks: 1,
          failures: r.ok ? 0 : 1,
          latency_sum_ms: latency,
          latency_min_ms: latency,
          latency_max_ms: latency,
        });
      }
    }
  }
  return [...rows.values()];
}
