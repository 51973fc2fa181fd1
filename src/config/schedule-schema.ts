import { DateTime } from 'luxon';
import { z } from 'zod';
import { parseLocalDateTime, readTime } from '../oncall/local-time.js';
import type { Layer, Override, OverrideKind, RotationKind, Schedule } from '../oncall/schedule.js';
import { formatDuration } from './duration.js';
import {
  formatLocal,
  localDateTime,
  timeWindowSchema,
  timeWindowToFile,
  timeZone,
} from './local-time-schema.js';
import { compact, duration, label, slug } from './schema-parts.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Longest override: a year and a day, like silences. */
const MAX_OVERRIDE_MS = 366 * DAY;
const ROTATIONS: readonly RotationKind[] = ['hourly', 'daily', 'weekly', 'custom'];
const OVERRIDE_KINDS: readonly OverrideKind[] = ['replace', 'add', 'remove'];

const layerSchema = z
  .strictObject({
    name: label,
    rotation: z.enum(ROTATIONS as readonly [string, ...string[]]),
    shift_length: duration('shift_length', HOUR, 28 * DAY).nullish(),
    start: localDateTime,
    end: localDateTime.nullish(),
    participants: z.array(slug('user key')),
    restrictions: z.array(timeWindowSchema).nullish(),
  })
  .transform((l, ctx): Layer => {
    const issue = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [field], message });
    const rotation = l.rotation as RotationKind;
    if (rotation === 'custom' && l.shift_length == null) {
      issue('shift_length', 'a custom rotation needs "shift_length" — add e.g. shift_length: 12h');
    } else if (rotation !== 'custom' && l.shift_length != null) {
      issue(
        'shift_length',
        `shift_length applies to rotation: custom only (${rotation} sets its own) — remove it`,
      );
    } else if (l.shift_length != null && l.shift_length % HOUR !== 0) {
      issue(
        'shift_length',
        `shift_length ${formatDuration(l.shift_length)} is not whole hours — use e.g. 8h or 36h`,
      );
    }
    if (l.end != null && l.end <= l.start) {
      issue('end', `end ${l.end} is not after start ${l.start} — put the end later or remove it`);
    }
    if (l.participants.length === 0) {
      issue('participants', 'the list is empty — name at least one user, e.g. participants: [ana, ben]');
    }
    return {
      name: l.name,
      rotation,
      shiftLengthMs: rotation === 'custom' ? (l.shift_length ?? null) : null,
      start: l.start,
      end: l.end ?? null,
      participants: l.participants,
      restrictions: l.restrictions ?? [],
    };
  });

/** An override as written: start and end are local times of the schedule's zone, or ISO with an offset. */
export const overrideInputSchema = z.strictObject({
  kind: z.enum(OVERRIDE_KINDS as readonly [string, ...string[]]),
  user: slug('user key'),
  start: z.string(),
  end: z.string(),
});

export type OverrideInput = z.output<typeof overrideInputSchema>;

/** Why an override's times cannot be read: the field and what to do. */
export interface OverrideProblem {
  readonly field: 'start' | 'end';
  readonly message: string;
}

/**
 * Reads an override's times in `zone`: an ambiguous local start is its first occurrence, an ambiguous
 * end its last, so the override never loses time it names. Either the Override or what is wrong.
 */
export function readOverride(
  input: OverrideInput,
  zone: string,
  id: string,
): { readonly override: Override } | { readonly problem: OverrideProblem } {
  const how = `write a local time like "2026-12-24T09:00" (read in ${zone}) or an ISO time with an offset like "2026-12-24T09:00+01:00"`;
  const start = readTime(input.start, zone, 'first');
  if (start === null)
    return { problem: { field: 'start', message: `invalid time "${input.start}" — ${how}` } };
  const end = readTime(input.end, zone, 'last');
  if (end === null) return { problem: { field: 'end', message: `invalid time "${input.end}" — ${how}` } };
  if (end <= start) {
    return {
      problem: {
        field: 'end',
        message: `end "${input.end}" is not after start "${input.start}" — put the end later`,
      },
    };
  }
  if (end - start > MAX_OVERRIDE_MS) {
    return { problem: { field: 'end', message: 'an override may last at most 366 days — end it sooner' } };
  }
  return { override: { id, kind: input.kind as OverrideKind, user: input.user, start, end } };
}

/** Ids of the file's overrides: stable while the file keeps them in place. */
export function configOverrideId(scheduleKey: string, index: number): string {
  return `cfg-${scheduleKey}-${index}`;
}

/** One entry of the file's `schedules:` list (and the body of PUT /api/v1/schedules/:key), as a Schedule. */
export const scheduleSchema = z
  .strictObject({
    key: slug('schedule key'),
    name: label.nullish(),
    time_zone: timeZone,
    layers: z.array(layerSchema).nullish(),
    overrides: z.array(overrideInputSchema).nullish(),
  })
  .transform((s, ctx): Schedule => {
    const layers = s.layers ?? [];
    layers.forEach((layer, i) => {
      if (layers.findIndex((l) => l.name === layer.name) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['layers', i, 'name'],
          message: `duplicate layer name "${layer.name}" — each layer of a schedule needs its own name`,
        });
      }
    });
    const overrides = (s.overrides ?? []).flatMap((input, i) => {
      const read = readOverride(input, s.time_zone, configOverrideId(s.key, i));
      if ('override' in read) return [read.override];
      ctx.addIssue({
        code: 'custom',
        path: ['overrides', i, read.problem.field],
        message: read.problem.message,
      });
      return [];
    });
    return { key: s.key, name: s.name ?? s.key, timeZone: s.time_zone, layers, overrides };
  });

/** A schedule as its YAML map, defaults left out; scheduleSchema reads it back to an equal Schedule. */
export function scheduleToFile(schedule: Schedule): Record<string, unknown> {
  return compact({
    key: schedule.key,
    name: schedule.name === schedule.key ? null : schedule.name,
    time_zone: schedule.timeZone,
    layers: schedule.layers.length > 0 ? schedule.layers.map(layerToFile) : null,
    overrides:
      schedule.overrides.length > 0
        ? schedule.overrides.map((o) => overrideToFile(o, schedule.timeZone))
        : null,
  });
}

/**
 * An override as its YAML map: times as local times of `zone` when they read back to the same
 * instant, else as ISO times with the zone's offset.
 */
export function overrideToFile(override: Override, zone: string): Record<string, unknown> {
  return {
    kind: override.kind,
    user: override.user,
    start: writeTime(override.start, zone, 'first'),
    end: writeTime(override.end, zone, 'last'),
  };
}

function layerToFile(layer: Layer): Record<string, unknown> {
  return compact({
    name: layer.name,
    rotation: layer.rotation,
    shift_length: layer.shiftLengthMs === null ? null : formatDuration(layer.shiftLengthMs),
    start: layer.start,
    end: layer.end,
    participants: [...layer.participants],
    restrictions: layer.restrictions.length > 0 ? layer.restrictions.map(timeWindowToFile) : null,
  });
}

function writeTime(instant: number, zone: string, prefer: 'first' | 'last'): string {
  const at = DateTime.fromMillis(instant, { zone });
  const local = formatLocal({
    year: at.year,
    month: at.month,
    day: at.day,
    hour: at.hour,
    minute: at.minute,
  });
  if (parseLocalDateTime(local) !== null && readTime(local, zone, prefer) === instant) return local;
  return at.toISO({ suppressMilliseconds: true }) ?? new Date(instant).toISOString();
}
