import { layerHandoffs, layerShiftAt } from './rotation.js';
import type { Layer, Schedule, Shift } from './schedule.js';
import { inWindows, windowEdges } from './time-window.js';

/*
 * Who is on call at an instant:
 * 1. Layers: the highest layer (latest in the array) that has someone — inside its start/end, inside
 *    its restrictions, with participants — decides: its current participant is on call.
 * 2. Overrides active at that instant apply in array order: replace → only its user; add → its user
 *    too (once); remove → not its user, and when that leaves nobody, the highest layer whose person
 *    has not been removed takes over (so removing the primary falls back to the layer below).
 */

const DAY = 86_400_000;
/** How far either side of `at` whoIsOnCall looks for the bounds of the stretch it returns. */
const LOOK_AROUND_MS = 8 * DAY;

interface Decision {
  readonly users: readonly string[];
  readonly layer: string | null;
}

interface LayerOnCall {
  readonly layer: string;
  readonly user: string;
}

/**
 * Who is on call in `schedule` at `at`, and the layer that decided. `start`/`end` bound the stretch
 * around `at` with the same people and deciding layer, looked for at most 8 days either side (clipped
 * there).
 */
export function whoIsOnCall(schedule: Schedule, at: number): Shift {
  // Most stretches are found within a day; look further only when this one reaches the edge.
  const near = stretchAround(schedule, at, DAY);
  if (near.start > at - DAY && near.end < at + DAY) return near;
  return stretchAround(schedule, at, LOOK_AROUND_MS);
}

/**
 * The on-call shifts of `schedule` covering exactly [from, to): consecutive, not overlapping, with
 * adjacent stretches of the same users and deciding layer merged. Stretches with nobody on call are
 * included (empty `users`). Empty when `to` ≤ `from`.
 */
export function shiftsBetween(schedule: Schedule, from: number, to: number): Shift[] {
  if (to <= from) return [];
  const edges = [...changeInstants(schedule, from, to)]
    .filter((t) => t > from && t < to)
    .sort((a, b) => a - b);
  const shifts: Shift[] = [];
  let start = from;
  for (const end of [...edges, to]) {
    const decision = decide(schedule, start);
    const previous = shifts[shifts.length - 1];
    if (previous !== undefined && sameDecision(previous, decision)) {
      shifts[shifts.length - 1] = { ...previous, end };
    } else {
      shifts.push({ start, end, users: decision.users, layer: decision.layer });
    }
    start = end;
  }
  return shifts;
}

function stretchAround(schedule: Schedule, at: number, span: number): Shift {
  // shiftsBetween covers [at - span, at + span), so exactly one shift contains `at`.
  return shiftsBetween(schedule, at - span, at + span).find(
    (shift) => shift.start <= at && at < shift.end,
  ) as Shift;
}

/** Every instant in [from, to] where the answer may change; between two of them it cannot. */
function changeInstants(schedule: Schedule, from: number, to: number): Set<number> {
  const instants = new Set<number>();
  const zone = schedule.timeZone;
  for (const layer of schedule.layers) {
    if (layer.participants.length === 0) continue;
    for (const t of layerHandoffs(layer, zone, from, to)) instants.add(t);
    for (const t of windowEdges(layer.restrictions, zone, from, to)) instants.add(t);
  }
  for (const override of schedule.overrides) {
    instants.add(override.start);
    instants.add(override.end);
  }
  return instants;
}

function decide(schedule: Schedule, at: number): Decision {
  const onCall = layersOnCall(schedule.layers, schedule.timeZone, at);
  let users: readonly string[] = onCall[0] ? [onCall[0].user] : [];
  let layer = onCall[0]?.layer ?? null;
  const removed = new Set<string>();
  for (const override of schedule.overrides) {
    if (at < override.start || at >= override.end) continue;
    switch (override.kind) {
      case 'replace':
        users = [override.user];
        layer = null;
        break;
      case 'add':
        if (!users.includes(override.user)) users = [...users, override.user];
        break;
      case 'remove': {
        removed.add(override.user);
        users = users.filter((user) => user !== override.user);
        if (users.length > 0) break;
        const fallback = onCall.find((candidate) => !removed.has(candidate.user));
        users = fallback ? [fallback.user] : [];
        layer = fallback?.layer ?? null;
        break;
      }
    }
  }
  return { users, layer };
}

/** The person of every layer that has someone at `at`, highest layer first. */
function layersOnCall(layers: readonly Layer[], zone: string, at: number): LayerOnCall[] {
  const onCall: LayerOnCall[] = [];
  for (let i = layers.length - 1; i >= 0; i -= 1) {
    const layer = layers[i] as Layer;
    const shift = layerShiftAt(layer, zone, at);
    if (shift !== null && inWindows(layer.restrictions, zone, at)) {
      onCall.push({ layer: layer.name, user: shift.user });
    }
  }
  return onCall;
}

function sameDecision(shift: Shift, decision: Decision): boolean {
  return (
    shift.layer === decision.layer &&
    shift.users.length === decision.users.length &&
    shift.users.every((user, i) => user === decision.users[i])
  );
}
