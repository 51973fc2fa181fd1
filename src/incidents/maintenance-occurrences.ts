import { Cron } from 'croner';

/** A maintenance window as stored: one-off, or recurring with a cron expression for each start. */
export interface MaintenanceWindow {
  readonly startsAt: number;
  readonly endsAt: number;
  /** Null = one-off. Else a 5-field cron expression in UTC; each occurrence lasts endsAt - startsAt. */
  readonly repeat: string | null;
  /** Last instant an occurrence may start (recurring only); null = no end. */
  readonly repeatUntil: number | null;
}

/** One occurrence of a window. */
export interface Occurrence {
  readonly start: number;
  readonly end: number;
}

/** Safety bound: a window that repeats every minute must not make a page build loop forever. */
const MAX_OCCURRENCES = 500;

/**
 * The occurrences of window that overlap [from, to), oldest first. A recurring window's first
 * occurrence is at startsAt itself, later ones at each cron match after it. Pure.
 */
export function occurrencesBetween(window: MaintenanceWindow, from: number, to: number): Occurrence[] {
  const length = window.endsAt - window.startsAt;
  if (length <= 0 || to <= from) return [];
  if (window.repeat === null) {
    return window.startsAt < to && window.endsAt > from
      ? [{ start: window.startsAt, end: window.endsAt }]
      : [];
  }
  const out: Occurrence[] = [];
  const last = Math.min(to, window.repeatUntil === null ? Number.POSITIVE_INFINITY : window.repeatUntil + 1);
  const cron = new Cron(window.repeat, { timezone: 'Etc/UTC', paused: true });
  // Start looking one occurrence-length early: one that began before `from` may still run.
  let start = window.startsAt >= from - length ? window.startsAt : nextRun(cron, from - length - 1);
  while (start !== null && start < last && out.length < MAX_OCCURRENCES) {
    if (start + length > from && start >= window.startsAt) out.push({ start, end: start + length });
    start = nextRun(cron, start);
  }
  return out;
}

/** The occurrence running at `at`, if any. */
export function occurrenceAt(window: MaintenanceWindow, at: number): Occurrence | null {
  return occurrencesBetween(window, at, at + 1)[0] ?? null;
}

function nextRun(cron: Cron, after: number): number | null {
  return cron.nextRun(new Date(after))?.getTime() ?? null;
}
