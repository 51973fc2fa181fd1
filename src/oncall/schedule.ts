/** Days of the week as written in config (ISO order: mon = 1 … sun = 7). */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * A recurring window of local time, e.g. Mon–Fri 09:00–17:00. `to` ≤ `from` means the window
 * runs past midnight into the next day ("22:00"–"06:00"); `from` = `to` = "00:00" is the whole day.
 */
export interface TimeWindow {
  readonly days: readonly Weekday[];
  /** "HH:MM", local time of the zone it is used in. */
  readonly from: string;
  /** "HH:MM", local time of the zone it is used in. */
  readonly to: string;
}

export type RotationKind = 'hourly' | 'daily' | 'weekly' | 'custom';

/** One layer of a schedule: a rotation of participants, optionally restricted to windows. */
export interface Layer {
  readonly name: string;
  readonly rotation: RotationKind;
  /** Shift length for `custom` rotations, whole hours in ms; null for the others. */
  readonly shiftLengthMs: number | null;
  /** Local date-time in the schedule's zone when the first shift starts: "YYYY-MM-DDTHH:MM". */
  readonly start: string;
  /** Local date-time when the layer stops, or null. */
  readonly end: string | null;
  /** User keys in rotation order. */
  readonly participants: readonly string[];
  /** Windows in which this layer has someone; empty = always. */
  readonly restrictions: readonly TimeWindow[];
}

export type OverrideKind = 'replace' | 'add' | 'remove';

/** A change to who is on call between two instants (ms since epoch, end exclusive). */
export interface Override {
  readonly id: string;
  /** replace: only `user` is on call; add: `user` is on call too; remove: `user` is not on call. */
  readonly kind: OverrideKind;
  readonly user: string;
  readonly start: number;
  readonly end: number;
}

/** An on-call schedule: layers (later entries are higher and win where they have someone) and overrides. */
export interface Schedule {
  readonly key: string;
  readonly name: string;
  /** IANA time zone the layers' local times are read in. */
  readonly timeZone: string;
  readonly layers: readonly Layer[];
  readonly overrides: readonly Override[];
}

/** A stretch of time with the same people on call. */
export interface Shift {
  readonly start: number;
  readonly end: number;
  /** User keys on call, in order (empty = nobody). */
  readonly users: readonly string[];
  /** Layer that decided, or null when only overrides (or nobody) decided. */
  readonly layer: string | null;
}
