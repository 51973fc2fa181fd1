import type { Shift } from './schedule.js';

/** What goes into an on-call calendar; filter `shifts` to one user for that user's own calendar. */
export interface ScheduleCalendarInput {
  /** Calendar name, also in every event's summary ("On call: <name>"). */
  readonly name: string;
  readonly prodId?: string;
  readonly shifts: readonly Shift[];
  /** Text for the event description of a user's shift, e.g. "Ada Lovelace (ada)". */
  readonly describe: (user: string) => string;
  /** Makes UIDs unique per calendar source, e.g. "schedule-primary". */
  readonly uidPrefix: string;
  /** Instant the calendar is produced (DTSTAMP). */
  readonly now: number;
}

const DEFAULT_PRODID = '-//Firewatch//On-call schedules//EN';
const CRLF = '\r\n';
const encoder = new TextEncoder();

/**
 * An RFC 5545 calendar with one event per (shift, user) pair, shifts with nobody skipped. Times are
 * UTC; UIDs are stable (`<uidPrefix>-<start ms>-<user>@firewatch`) so a re-fetched calendar updates
 * events rather than duplicating them. CRLF line endings, text escaped, lines folded at 75 octets.
 */
export function scheduleCalendar(input: ScheduleCalendarInput): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${escapeText(input.prodId ?? DEFAULT_PRODID)}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(input.name)}`,
    // Hints for subscribed calendars: fetch again every hour.
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  const stamp = utcStamp(input.now);
  for (const shift of input.shifts) {
    if (shift.end <= shift.start) continue;
    for (const user of shift.users) {
      lines.push(
        'BEGIN:VEVENT',
        `UID:${escapeText(`${input.uidPrefix}-${shift.start}-${user}@firewatch`)}`,
        `DTSTAMP:${stamp}`,
        `DTSTART:${utcStamp(shift.start)}`,
        `DTEND:${utcStamp(shift.end)}`,
        `SUMMARY:${escapeText(`On call: ${input.name}`)}`,
        `DESCRIPTION:${escapeText(input.describe(user))}`,
        'TRANSP:TRANSPARENT',
        'END:VEVENT',
      );
    }
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join(CRLF) + CRLF;
}

/** RFC 5545 TEXT escaping: backslash, semicolon, comma, and line breaks as \n. */
function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** "20260308T070000Z" (whole seconds). */
function utcStamp(instant: number): string {
  return new Date(instant)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Folds a content line so no line exceeds 75 octets, never splitting a UTF-8 character. */
function fold(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // Continuation lines start with a space, which counts towards their 75 octets.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}
