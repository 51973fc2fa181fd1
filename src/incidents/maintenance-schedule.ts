import { Cron } from 'croner';
import { type MaintenanceWindow, type Occurrence, occurrencesBetween } from './maintenance-occurrences.js';

const EXAMPLE = 'e.g. "0 2 * * 0" for Sundays at 02:00 UTC';
const DAY = 86_400_000;

/**
 * Why `expression` cannot repeat a maintenance whose occurrences last `lengthMs`, or null when it can:
 * it must be a 5-field cron expression (UTC) that croner reads, that matches some time, and whose
 * occurrences would not overlap. The message says what to write instead.
 */
export function repeatProblem(expression: string, lengthMs: number, from: number): string | null {
  const fields = expression
    .trim()
    .split(/\s+/)
    .filter((f) => f !== '');
  if (fields.length !== 5 && !expression.trim().startsWith('@')) {
    return `use 5 fields (minute hour day-of-month month day-of-week, in UTC), got ${fields.length} — ${EXAMPLE}`;
  }
  let cron: Cron;
  try {
    cron = new Cron(expression, { timezone: 'Etc/UTC', paused: true, mode: '5-part' });
  } catch (error) {
    const reason = (error as Error).message.replace(/^CronPattern: /, '');
    return `invalid cron expression ${JSON.stringify(expression)}: ${reason} — ${EXAMPLE}`;
  }
  const runs = cron.nextRuns(20, new Date(from)).map((d) => d.getTime());
  if (runs.length === 0)
    return `the cron expression ${JSON.stringify(expression)} never matches — ${EXAMPLE}`;
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < runs.length; i++) gap = Math.min(gap, (runs[i] as number) - (runs[i - 1] as number));
  if (lengthMs > gap) {
    return (
      `each occurrence lasts ${minutes(lengthMs)} but ${JSON.stringify(expression)} starts one every ` +
      `${minutes(gap)}: occurrences would overlap — shorten the duration or repeat less often`
    );
  }
  return null;
}

/** The first time `expression` (UTC cron) matches after `after`, or null when it never does. */
export function firstRunAfter(expression: string, after: number): number | null {
  const cron = new Cron(expression, { timezone: 'Etc/UTC', paused: true });
  return cron.nextRun(new Date(after))?.getTime() ?? null;
}

/**
 * The occurrence of window running at `now`, else the next one to start; null when none is left.
 * Looks ahead in growing steps so a window that repeats every minute costs no more than a yearly one.
 */
export function nextOccurrence(window: MaintenanceWindow, now: number): Occurrence | null {
  if (window.repeat === null) {
    return window.endsAt > now && window.endsAt > window.startsAt
      ? { start: window.startsAt, end: window.endsAt }
      : null;
  }
  for (const ahead of [DAY, 32 * DAY, 367 * DAY, 5 * 366 * DAY]) {
    const found = occurrencesBetween(window, now, now + ahead)[0];
    if (found) return found;
  }
  return null;
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m % 1440 === 0) return `${m / 1440}d`;
  if (m % 60 === 0) return `${m / 60}h`;
  return `${m}m`;
}
