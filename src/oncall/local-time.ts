import { DateTime, IANAZone } from 'luxon';

/**
 * How a local wall-clock time that a DST change makes ambiguous (autumn: it happens twice) is read:
 * `first` = the earlier occurrence (used for starts), `last` = the later one (used for ends).
 * A local time inside a spring-forward gap does not exist: it is read as the first instant after
 * the gap (02:30 on a night that jumps from 02:00 to 03:00 → 03:00), whichever is preferred.
 */
export type AmbiguityPreference = 'first' | 'last';

/** Local wall-clock fields, as written: "2026-03-08T02:30" → {year: 2026, month: 3, day: 8, hour: 2, minute: 30}. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/;

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (no offset); null when malformed or not a real date. */
export function parseLocalDateTime(text: string): LocalDateTime | null {
  const match = LOCAL_PATTERN.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match;
  const local = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
  };
  const check = DateTime.fromObject(local, { zone: 'UTC' });
  if (!check.isValid || check.day !== local.day || local.hour > 23 || local.minute > 59) return null;
  return local;
}

/** Offset of `zone` from UTC at `instant`, in ms. */
export function offsetAt(zone: string, instant: number): number {
  return DateTime.fromMillis(instant, { zone }).offset * 60_000;
}

/** The local wall-clock fields of `instant` in `zone`. */
export function localOf(instant: number, zone: string): LocalDateTime {
  const t = DateTime.fromMillis(instant, { zone });
  return { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute };
}

/** The local time as if it were UTC, in ms: plain arithmetic on wall-clock time. */
export function naiveMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
}

/** Inverse of naiveMs. */
export function fromNaiveMs(naive: number): LocalDateTime {
  const d = new Date(naive);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

/**
 * The instant a local wall-clock time in `zone` names, with the DST rules above: ambiguous →
 * `prefer`, non-existent → the end of the gap.
 */
export function localToInstant(local: LocalDateTime, zone: string, prefer: AmbiguityPreference): number {
  const naive = naiveMs(local);
  // Every offset the zone uses within a day of this time; a candidate is valid when the zone
  // really has that offset at the candidate instant.
  const offsets = new Set([
    offsetAt(zone, naive - 86_400_000),
    offsetAt(zone, naive),
    offsetAt(zone, naive + 86_400_000),
  ]);
  const valid = [...offsets]
    .map((offset) => naive - offset)
    .filter((instant) => offsetAt(zone, instant) === naive - instant)
    .sort((a, b) => a - b);
  if (valid.length > 0) return (prefer === 'first' ? valid[0] : valid[valid.length - 1]) as number;
  // In a gap: find the transition (the first instant whose local time is past `local`).
  let low = naive - Math.max(...offsets);
  let high = naive - Math.min(...offsets);
  if (low > high) [low, high] = [high, low];
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (mid + offsetAt(zone, mid) > naive) high = mid;
    else low = mid;
  }
  return high;
}

/** Reads "YYYY-MM-DDTHH:MM" in `zone`, or an ISO instant with an offset ("…Z", "…+02:00"); null when malformed. */
export function readTime(text: string, zone: string, prefer: AmbiguityPreference): number | null {
  const local = parseLocalDateTime(text);
  if (local) return localToInstant(local, zone, prefer);
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) return null;
  const instant = DateTime.fromISO(text, { setZone: true });
  return instant.isValid ? instant.toMillis() : null;
}
