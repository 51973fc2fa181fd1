import { z } from 'zod';
import { isTimeZone, type LocalDateTime, parseLocalDateTime } from '../oncall/local-time.js';
import { type TimeWindow, WEEKDAYS } from '../oncall/schedule.js';
import { describeValue } from './schema-parts.js';

// Time zones, times of day, weekly windows and local date-times, shared by users and schedules.

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

/** An IANA time zone name that this runtime knows (`Europe/Berlin`, `UTC`). */
export const timeZone = z.string().refine(isTimeZone, {
  error: (issue) =>
    `unknown time zone ${describeValue(issue.input)} — use an IANA name such as Europe/Berlin`,
});

/** A time of day, `HH:MM` on a 24-hour clock. */
const clock = z.string().refine((value) => CLOCK.test(value), {
  error: (issue) =>
    `invalid time of day ${describeValue(issue.input)} — write HH:MM on a 24-hour clock, e.g. "09:00" or "17:30"`,
});

/** `{ days, from, to }`: a weekly window of local time (see TimeWindow for windows past midnight). */
export const timeWindowSchema = z
  .strictObject({
    days: z.array(z.enum(WEEKDAYS as readonly [string, ...string[]])),
    from: clock,
    to: clock,
  })
  .transform((w, ctx): TimeWindow => {
    if (w.days.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['days'],
        message: `the list of days is empty — name at least one of ${WEEKDAYS.join(', ')}`,
      });
    }
    w.days.forEach((day, i) => {
      if (w.days.indexOf(day) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['days', i],
          message: `day "${day}" is listed twice — list each day once`,
        });
      }
    });
    // Kept in week order, so the same days written in another order are the same window.
    const days = WEEKDAYS.filter((day) => w.days.includes(day));
    return { days, from: w.from, to: w.to };
  });

/** A window as its YAML map; timeWindowSchema reads it back to an equal one. */
export function timeWindowToFile(window: TimeWindow): Record<string, unknown> {
  return { days: [...window.days], from: window.from, to: window.to };
}

/**
 * A local date-time without offset, `YYYY-MM-DDTHH:MM` (or just the date, meaning midnight), as
 * `YYYY-MM-DDTHH:MM`: the instant it names depends on the schedule's time zone.
 */
export const localDateTime = z.string().transform((text, ctx): string => {
  const local = parseLocalDateTime(text);
  if (local === null) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid local time ${describeValue(text)} — write YYYY-MM-DDTHH:MM, e.g. "2026-01-05T09:00" (no offset: it is read in the schedule's time zone)`,
    });
    return z.NEVER;
  }
  return formatLocal(local);
});

/** `2026-01-05T09:00`. */
export function formatLocal(local: LocalDateTime): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${local.year}-${two(local.month)}-${two(local.day)}T${two(local.hour)}:${two(local.minute)}`;
}
