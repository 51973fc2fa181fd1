import { Cron } from 'croner';
import { z } from 'zod';
import type { HeartbeatSpec } from '../../checks/heartbeat-spec.js';
import { formatDuration } from '../duration.js';
import { defineKind } from '../monitor-kind.js';
import { describeValue, duration } from '../schema-parts.js';

const DAY = 86_400_000;
const DEFAULT_GRACE_MS = 5 * 60_000;

const schedule = z.string().refine(cronParses, {
  error: (issue) =>
    `invalid cron schedule ${describeValue(issue.input)} — write five fields: minute hour day-of-month month day-of-week, e.g. "0 3 * * *"`,
});

const timezone = z.string().refine(zoneExists, {
  error: (issue) =>
    `unknown time zone ${describeValue(issue.input)} — use an IANA name such as Europe/Berlin or America/New_York`,
});

/**
 * `type: heartbeat` — the job pings its secret URL (/ping/<token>, /start, /fail) every `period`
 * or on a cron `schedule` in `timezone`; late by more than `grace`, or a /fail ping, is a failure.
 * One missed deadline is enough by default (`fail_after: 1`).
 */
export const heartbeatKind = defineKind({
  type: 'heartbeat',
  defaultRule: { failAfter: 1 },
  fields: {
    period: duration('period', 1000, 366 * DAY).nullish(),
    schedule: schedule.nullish(),
    timezone: timezone.nullish(),
    grace: duration('grace', 0, 31 * DAY).nullish(),
  },
  toSpec(m, timeoutMs, ctx): HeartbeatSpec {
    if ((m.period == null) === (m.schedule == null)) {
      ctx.addIssue({
        code: 'custom',
        path: m.period == null ? [] : ['schedule'],
        message:
          'a heartbeat needs exactly one of "period" (e.g. 1h) or "schedule" (a cron line such as "0 3 * * *")',
      });
    }
    if (m.timezone != null && m.schedule == null) {
      ctx.addIssue({
        code: 'custom',
        path: ['timezone'],
        message: 'timezone applies to a schedule only — remove it or add "schedule"',
      });
    }
    return {
      periodMs: m.period ?? null,
      schedule: m.schedule ?? null,
      timezone: m.timezone ?? null,
      graceMs: m.grace ?? DEFAULT_GRACE_MS,
      timeoutMs,
    };
  },
  toFile: (spec) => ({
    period: spec.periodMs === null ? null : formatDuration(spec.periodMs),
    schedule: spec.schedule,
    timezone: spec.timezone,
    grace: spec.graceMs === DEFAULT_GRACE_MS ? null : formatDuration(spec.graceMs),
  }),
  fromStored: (stored, timeoutMs): HeartbeatSpec => ({
    periodMs: (stored.periodMs as number | null | undefined) ?? null,
    schedule: (stored.schedule as string | null | undefined) ?? null,
    timezone: (stored.timezone as string | null | undefined) ?? null,
    graceMs: (stored.graceMs as number | undefined) ?? DEFAULT_GRACE_MS,
    timeoutMs,
  }),
});

function cronParses(line: string): boolean {
  try {
    new Cron(line, { paused: true });
    return line.trim().split(/\s+/).length === 5;
  } catch {
    return false;
  }
}

function zoneExists(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
