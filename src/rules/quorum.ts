import type { MonitorStatus } from './monitor-state.js';

/**
 * A monitor's status across locations: failing only when at least `quorum` locations
 * see it failing (down or degraded), so one location's network trouble moves nothing.
 * Down when at least `quorum` locations say down, else degraded. Up when any location
 * has a verdict and the failing ones are too few; unknown when no location has one.
 */
export function quorumStatus(statuses: readonly MonitorStatus[], quorum: number): MonitorStatus {
  const down = statuses.filter((s) => s === 'down').length;
  const failing = down + statuses.filter((s) => s === 'degraded').length;
  if (failing >= quorum) return down >= quorum ? 'down' : 'degraded';
  return statuses.some((s) => s !== 'unknown') ? 'up' : 'unknown';
}
