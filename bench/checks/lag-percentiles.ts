import type { Histogram } from 'prom-client';
import { nextDue } from '../../src/checks/scheduler.js';

/**
 * Exact scheduling lag of stored results, in ms: a result's `started_at` minus the due time that
 * triggered it. The scheduler puts a monitor's runs on a fixed grid (`nextDue`: a stable phase plus
 * whole intervals), so the due time is the last grid point at or before `started_at`. Valid while lags
 * stay under one interval (a later start would alias; the histogram's top buckets would show it).
 */
export function exactLagsMs(
  rows: readonly { readonly monitor_id: string; readonly started_at: number }[],
  intervalMs: number,
): Float64Array {
  const lags = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    const due = nextDue({ id: row.monitor_id, intervalMs }, row.started_at - intervalMs + 1);
    lags[i] = row.started_at - due;
  });
  return lags.sort();
}

/** Nearest-rank percentile (0 < p ≤ 100) of values sorted ascending; NaN when empty. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Cumulative bucket counts of a prom-client histogram: upper bound (s) → observations at or below it. */
export type BucketCounts = ReadonlyMap<number, number>;

export async function bucketCounts(histogram: Histogram): Promise<BucketCounts> {
  const { values } = await histogram.get();
  const counts = new Map<number, number>();
  for (const v of values) {
    if (v.metricName?.endsWith('_bucket')) {
      const le = v.labels.le;
      counts.set(le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), v.value);
    }
  }
  return counts;
}

/** What the engine's own histogram says about the observations between two snapshots. */
export interface HistogramLag {
  readonly count: number;
  /** Upper bucket bound (s) holding each percentile: "p99 ≤ this". */
  readonly p50AtMostS: number;
  readonly p99AtMostS: number;
  /** Share of observations at or under 1 s (a bucket bound, so exact). */
  readonly shareUnder1s: number;
}

export function histogramLag(before: BucketCounts, after: BucketCounts): HistogramLag {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const cumulative = bounds.map((le) => (after.get(le) ?? 0) - (before.get(le) ?? 0));
  const count = cumulative.at(-1) ?? 0;
  const bound = (p: number) => bounds[cumulative.findIndex((c) => c >= (p / 100) * count)] ?? Number.NaN;
  const under1 = cumulative[bounds.indexOf(1)] ?? Number.NaN;
  return {
    count,
    p50AtMostS: bound(50),
    p99AtMostS: bound(99),
    shareUnder1s: count === 0 ? Number.NaN : under1 / count,
  };
}
