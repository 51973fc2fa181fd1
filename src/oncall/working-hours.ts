import type { TimeWindow } from './schedule.js';
import { inWindows, windowEdges } from './time-window.js';

const SEARCH_MS = 8 * 24 * 3_600_000;

/**
 * When a low-urgency notification may reach someone whose working hours are `windows` (their `zone`):
 * `at` itself when inside a window (or when there are no windows), else the start of the next window.
 * Looks at most 8 days ahead (windows repeat weekly); when no window opens by then (no days set, say)
 * it answers `at`, so a misconfigured person is notified rather than never.
 */
export function nextWorkingMoment(windows: readonly TimeWindow[], zone: string, at: number): number {
  if (inWindows(windows, zone, at)) return at;
  for (const edge of windowEdges(windows, zone, at, at + SEARCH_MS)) {
    if (edge > at && inWindows(windows, zone, edge)) return edge;
  }
  return at;
}
