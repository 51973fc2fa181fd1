import { fromNaiveMs, localOf, localToInstant, naiveMs } from './local-time.js';
import { type TimeWindow, WEEKDAYS, type Weekday } from './schedule.js';

/*
 * A window occurs on each of its `days`, starting that day at `from` and ending at `to` the same day,
 * or the next day when `to` ≤ `from` ("22:00"–"06:00"; "00:00"–"00:00" is the whole day). Around DST
 * changes: an ambiguous start takes the first occurrence and an ambiguous end the last, so a window
 * never loses time it names; a start or end inside the spring-forward gap is the end of the gap.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const DST_MARGIN = 3 * 60 * MINUTE;
const CLOCK = /^(\d{2}):(\d{2})$/;

/** True when `at` is inside one of `windows` (local times read in `zone`); no windows = always. */
export function inWindows(windows: readonly TimeWindow[], zone: string, at: number): boolean {
  if (windows.length === 0) return true;
  const local = localOf(at, zone);
  const naiveAt = naiveMs(local);
  const today = naiveMs({ ...local, hour: 0, minute: 0 });
  // An occurrence lasts at most a day (plus a DST hour), so it started today or yesterday.
  for (const day of [today, today - DAY]) {
    for (const window of windows) {
      const span = naiveSpan(window, day);
      // Cheap test on wall-clock time first; the margin covers any DST shift of the real instants.
      if (span === null || naiveAt < span.start - DST_MARGIN || naiveAt >= span.end + DST_MARGIN) continue;
      const occurrence = toInstants(span, zone);
      if (occurrence.start <= at && at < occurrence.end) return true;
    }
  }
  return false;
}

/**
 * Instants in [from, to] where membership of `windows` may change (every start and end of an
 * occurrence), sorted, without repeats.
 */
export function windowEdges(
  windows: readonly TimeWindow[],
  zone: string,
  from: number,
  to: number,
): number[] {
  if (windows.length === 0 || to < from) return [];
  const edges = new Set<number>();
  const last = localDay(to, zone);
  for (let day = localDay(from, zone) - DAY; day <= last; day += DAY) {
    for (const window of windows) {
      const span = naiveSpan(window, day);
      if (span === null) continue;
      const occurrence = toInstants(span, zone);
      for (const edge of [occurrence.start, occurrence.end]) {
        if (edge >= from && edge <= to) edges.add(edge);
      }
    }
  }
  return [...edges].sort((a, b) => a - b);
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/** The occurrence of `window` that starts on local day `day` (naive ms of its midnight), in naive ms. */
function naiveSpan(window: TimeWindow, day: number): Span | null {
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  if (!window.days.includes(weekdayOf(day))) return null;
  const endDay = to <= from ? day + DAY : day;
  return { start: day + from * MINUTE, end: endDay + to * MINUTE };
}

function toInstants(span: Span, zone: string): Span {
  return {
    start: localToInstant(fromNaiveMs(span.start), zone, 'first'),
    end: localToInstant(fromNaiveMs(span.end), zone, 'last'),
  };
}

/** Naive ms of local midnight of the day `at` falls on in `zone`. */
function localDay(at: number, zone: string): number {
  const local = localOf(at, zone);
  return naiveMs({ ...local, hour: 0, minute: 0 });
}

function weekdayOf(day: number): Weekday {
  // getUTCDay: 0 = Sunday; WEEKDAYS starts on Monday.
  return WEEKDAYS[(new Date(day).getUTCDay() + 6) % 7] as Weekday;
}

function minutesOf(clock: string): number {
  const match = CLOCK.exec(clock);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || hours > 23 || minutes > 59) {
    throw new Error(`time window: "${clock}" is not a time of day HH:MM between 00:00 and 23:59`);
  }
  return hours * 60 + minutes;
}
