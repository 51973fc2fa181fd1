import { fromNaiveMs, localToInstant, naiveMs, offsetAt, parseLocalDateTime } from './local-time.js';
import type { Layer } from './schedule.js';

/*
 * How a layer's shifts are laid out (see docs/oncall-schedules.md):
 *
 * - Shift length: hourly = 1 h, daily = 1 day, weekly = 7 days, custom = `shiftLengthMs` (whole hours).
 * - Rotations of 2 hours or more hand off at wall-clock times in the schedule's zone: boundary k is
 *   `layer.start + k × length` counted in local time, then read with localToInstant(…, 'first'). So a
 *   09:00 handoff is 09:00 local all year and never drifts. An ambiguous handoff (autumn) happens at
 *   its first occurrence, so the incoming shift is an hour longer. A handoff inside the spring-forward
 *   gap happens at the end of the gap. A shift is shorter than its wall-clock length only when the
 *   gap falls inside it (or, for a handoff time that is itself in the gap, the lost hour is split
 *   between the two shifts around that handoff).
 * - Rotations shorter than 2 hours (hourly, custom 1 h) run in elapsed time from the first instant:
 *   counted in wall-clock time, the hour that does not exist would make a shift of length zero.
 * - Shift k (k ≥ 0) belongs to participants[k mod n].
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The shift of one layer around an instant: its number since the layer started, bounds and person. */
export interface LayerShift {
  readonly index: number;
  readonly start: number;
  readonly end: number;
  readonly user: string;
}

/** A layer's rotation, read from its config; instants are derived only where needed. */
interface Rotation {
  readonly zone: string;
  readonly lengthMs: number;
  /** True: boundaries are wall-clock times; false: they are `lengthMs` of elapsed time apart. */
  readonly wallClock: boolean;
  /** Wall-clock start and end as naive ms (see naiveMs); end null = never. */
  readonly startNaive: number;
  readonly endNaive: number | null;
}

/** An offset known to hold for every instant in [from, to]. */
interface SteadyOffset {
  readonly offset: number;
  readonly from: number;
  readonly to: number;
}

/**
 * The shift of `layer` (local times read in `zone`) that contains `at`, or null before the layer
 * starts, at or after it ends, or when it has no participants. Restrictions are not applied here.
 */
export function layerShiftAt(layer: Layer, zone: string, at: number): LayerShift | null {
  const count = layer.participants.length;
  if (count === 0) return null;
  const rotation = rotationOf(layer, zone);
  // A local time and the instant it names are less than a day apart, so far from the layer's start
  // and end comparing with wall-clock times is enough (and saves reading the zone).
  if (at < rotation.startNaive - DAY || at >= endIfNear(rotation, at)) return null;
  // Estimate k from the distance in local (or elapsed) time, then correct it by comparing real
  // instants: near a DST change the estimate can be one off.
  const { boundary, distance } = locate(rotation, at);
  let index = Math.max(0, Math.floor(distance / rotation.lengthMs));
  let start = boundary(index);
  while (start > at && index > 0) {
    index -= 1;
    start = boundary(index);
  }
  if (start > at) return null;
  let next = boundary(index + 1);
  while (next <= at) {
    index += 1;
    start = next;
    next = boundary(index + 1);
  }
  return {
    index,
    start,
    end: Math.min(next, endIfNear(rotation, next)),
    user: layer.participants[index % count] as string,
  };
}

/**
 * The instants in [from, to] where `layer`'s person may change: every shift start (the first one is
 * the layer's start) and the layer's end. Sorted, without repeats; empty when it has no participants.
 */
export function layerHandoffs(layer: Layer, zone: string, from: number, to: number): number[] {
  if (layer.participants.length === 0 || to < from) return [];
  const rotation = rotationOf(layer, zone);
  const boundary = boundaries(rotation, null);
  const end = endIfNear(rotation, to);
  const endInRange = end >= from && end <= to;
  const first = layerShiftAt(layer, zone, Math.max(from, boundary(0)));
  if (first === null || first.start > to) return endInRange ? [end] : [];
  const handoffs = first.start >= from ? [first.start] : [];
  let index = first.index + 1;
  for (let next = boundary(index); next <= to && next < end; next = boundary(index)) {
    // Boundaries can coincide only in zones that skip more than a shift (never for real rotations).
    if (next > (handoffs[handoffs.length - 1] ?? from - 1)) handoffs.push(next);
    index += 1;
  }
  if (endInRange && end > (handoffs[handoffs.length - 1] ?? from - 1)) handoffs.push(end);
  return handoffs;
}

function rotationOf(layer: Layer, zone: string): Rotation {
  const lengthMs = shiftLength(layer);
  const start = parseLocalDateTime(layer.start);
  if (start === null) {
    throw new Error(`layer "${layer.name}": start "${layer.start}" is not a local time YYYY-MM-DDTHH:MM`);
  }
  const end = layer.end === null ? null : parseLocalDateTime(layer.end);
  if (layer.end !== null && end === null) {
    throw new Error(`layer "${layer.name}": end "${layer.end}" is not a local time YYYY-MM-DDTHH:MM`);
  }
  return {
    zone,
    lengthMs,
    wallClock: lengthMs >= 2 * HOUR,
    startNaive: naiveMs(start),
    endNaive: end === null ? null : naiveMs(end),
  };
}

/** The layer's end instant when `t` may be at or past it, else Infinity (as it is for no end). */
function endIfNear(rotation: Rotation, t: number): number {
  if (rotation.endNaive === null || t < rotation.endNaive - DAY) return Number.POSITIVE_INFINITY;
  // An end time made ambiguous by DST is its later occurrence, as for every end.
  return instantOf(rotation.endNaive, rotation.zone, 'last', null);
}

function shiftLength(layer: Layer): number {
  switch (layer.rotation) {
    case 'hourly':
      return HOUR;
    case 'daily':
      return DAY;
    case 'weekly':
      return 7 * DAY;
    case 'custom': {
      const length = layer.shiftLengthMs;
      if (length === null || length <= 0 || length % HOUR !== 0) {
        throw new Error(
          `layer "${layer.name}": a custom rotation needs shiftLengthMs as a whole number of hours (got ${length})`,
        );
      }
      return length;
    }
  }
}

type Boundaries = (index: number) => number;

/** Instant at which shift `index` starts, for each index. */
function boundaries(rotation: Rotation, steady: SteadyOffset | null): Boundaries {
  const { zone, lengthMs, startNaive } = rotation;
  if (rotation.wallClock) return (index) => instantOf(startNaive + index * lengthMs, zone, 'first', steady);
  const first = instantOf(startNaive, zone, 'first', null);
  return (index) => first + index * lengthMs;
}

/** Boundaries tuned for lookups near `at`, and how far `at` is from the layer start in rotation time. */
function locate(rotation: Rotation, at: number): { boundary: Boundaries; distance: number } {
  if (!rotation.wallClock) {
    const boundary = boundaries(rotation, null);
    return { boundary, distance: at - boundary(0) };
  }
  const offset = offsetAt(rotation.zone, at);
  return {
    boundary: boundaries(rotation, steadyOffset(rotation, at, offset)),
    distance: at + offset - rotation.startNaive,
  };
}

/**
 * When the zone's offset is the same `length + 2 days` either side of `at`, it holds over that whole
 * stretch, which covers both boundaries of the shift around `at`: they need no further zone reads.
 * This assumes a zone never changes its offset twice within 9 days, true of every rule in use today.
 */
function steadyOffset(rotation: Rotation, at: number, offset: number): SteadyOffset | null {
  if (rotation.lengthMs > 7 * DAY) return null;
  const reach = rotation.lengthMs + 2 * DAY;
  if (offsetAt(rotation.zone, at - reach) !== offset || offsetAt(rotation.zone, at + reach) !== offset) {
    return null;
  }
  return { offset, from: at - reach, to: at + reach };
}

/**
 * localToInstant for a naive wall-clock time, skipping the full search when no DST change is near:
 * either a known steady offset covers it, or the offset is the same a day either side of it (the
 * one-change-per-day assumption localToInstant itself makes).
 */
function instantOf(
  naive: number,
  zone: string,
  prefer: 'first' | 'last',
  steady: SteadyOffset | null,
): number {
  if (steady !== null && naive - DAY >= steady.from && naive + DAY <= steady.to) return naive - steady.offset;
  const before = offsetAt(zone, naive - DAY);
  if (before === offsetAt(zone, naive + DAY)) return naive - before;
  return localToInstant(fromNaiveMs(naive), zone, prefer);
}
