import type { StatusInputs } from './status-inputs.js';
import { type SnapshotIncident, UPTIME_DAYS, type UptimeDay } from './status-snapshot.js';

const DAY_MS = 86_400_000;
const PAST_DAYS = UPTIME_DAYS - 1;
const NO_INCIDENTS: UptimeDay['incidents'] = Object.freeze([]);

/** One component's uptime bar before today: PAST_DAYS days, oldest first, and their totals. */
export interface PastBar {
  readonly days: readonly UptimeDay[];
  readonly checks: number;
  readonly failures: number;
}

/**
 * Every component's bar before the UTC day `today`. Past days do not change between snapshot rebuilds,
 * so this is built once (per UTC day, or when the history is read again) and every rebuild adds only
 * today's counts and the incidents of each day.
 */
export interface PastUptime {
  readonly today: number;
  readonly bars: ReadonlyMap<string, PastBar>;
  /** The bar of a component without rollups: every day without checks. */
  readonly empty: PastBar;
}

/**
 * Builds PastUptime from day rollups; rows of today or outside the bar are ignored. Days without failures
 * are shared between components with the same counts (values are readonly): most fleets are mostly
 * green, so 2,000 components need a few thousand day objects instead of 180,000.
 */
export function pastUptime(rows: StatusInputs['uptime'], today: number): PastUptime {
  const firstDay = today - PAST_DAYS * DAY_MS;
  const counts = new Map<string, Float64Array>();
  // Rows usually arrive grouped by component: skip the map lookup while the component stays the same.
  let lastId: string | undefined;
  let current: Float64Array | undefined;
  for (const u of rows) {
    if (u.day < firstDay || u.day >= today) continue;
    const i = Math.floor((u.day - firstDay) / DAY_MS);
    if (u.componentId !== lastId || current === undefined) {
      lastId = u.componentId;
      current = counts.get(u.componentId);
      if (current === undefined) {
        current = new Float64Array(2 * PAST_DAYS);
        counts.set(u.componentId, current);
      }
    }
    current[2 * i] = (current[2 * i] ?? 0) + u.checks;
    current[2 * i + 1] = (current[2 * i + 1] ?? 0) + u.failures;
  }

  const pools: Map<number, UptimeDay>[] = Array.from({ length: PAST_DAYS }, () => new Map());
  const day = (i: number, checks: number, failures: number): UptimeDay => {
    const at = firstDay + i * DAY_MS;
    if (failures !== 0) return { day: at, checks, failures, incidents: NO_INCIDENTS };
    const pool = pools[i] as Map<number, UptimeDay>;
    let shared = pool.get(checks);
    if (shared === undefined) {
      shared = { day: at, checks, failures: 0, incidents: NO_INCIDENTS };
      pool.set(checks, shared);
    }
    return shared;
  };
  const bars = new Map<string, PastBar>();
  for (const [componentId, c] of counts) {
    const days: UptimeDay[] = new Array(PAST_DAYS);
    let checks = 0;
    let failures = 0;
    for (let i = 0; i < PAST_DAYS; i++) {
      const dayChecks = c[2 * i] ?? 0;
      const dayFailures = c[2 * i + 1] ?? 0;
      days[i] = day(i, dayChecks, dayFailures);
      checks += dayChecks;
      failures += dayFailures;
    }
    bars.set(componentId, { days, checks, failures });
  }
  const empty = { days: Array.from({ length: PAST_DAYS }, (_, i) => day(i, 0, 0)), checks: 0, failures: 0 };
  return { today, bars, empty };
}

/** Checks and failures per component on the UTC day `today`, from day rollups (other days ignored). */
export function countsOn(
  rows: StatusInputs['uptime'],
  today: number,
): Map<string, { checks: number; failures: number }> {
  const out = new Map<string, { checks: number; failures: number }>();
  for (const u of rows) {
    if (u.day !== today) continue;
    const counts = out.get(u.componentId);
    if (counts === undefined) out.set(u.componentId, { checks: u.checks, failures: u.failures });
    else {
      counts.checks += u.checks;
      counts.failures += u.failures;
    }
  }
  return out;
}

/**
 * One component's full bar: its past days, today, and on each day the incidents that affected it
 * (`dayIncidents[i]` for day i of the bar, sparse). Returns the bar and its uptime ratio (null without checks).
 */
export function uptimeBar(
  past: PastBar,
  today: number,
  todayCounts: { readonly checks: number; readonly failures: number } | undefined,
  dayIncidents: readonly (readonly SnapshotIncident[] | undefined)[] | undefined,
): { readonly uptime: UptimeDay[]; readonly uptimeRatio: number | null } {
  const todayChecks = todayCounts?.checks ?? 0;
  const todayFailures = todayCounts?.failures ?? 0;
  const uptime = [
    ...past.days,
    { day: today, checks: todayChecks, failures: todayFailures, incidents: NO_INCIDENTS },
  ];
  if (dayIncidents !== undefined) {
    dayIncidents.forEach((listed, i) => {
      const day = uptime[i];
      if (listed === undefined || day === undefined) return;
      const incidents = listed.map((x) => ({ id: x.id, title: x.title, impact: x.impact }));
      uptime[i] = { day: day.day, checks: day.checks, failures: day.failures, incidents };
    });
  }
  const checks = past.checks + todayChecks;
  const failures = past.failures + todayFailures;
  return { uptime, uptimeRatio: checks === 0 ? null : (checks - failures) / checks };
}
