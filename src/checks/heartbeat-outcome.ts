import { Cron } from 'croner';
import type { CheckOutcome } from './check-outcome.js';
import type { HeartbeatSpec, LastPing } from './heartbeat-spec.js';

/**
 * Whether a heartbeat monitor is fine at `now`, given its last ping (or none since
 * `since`, when the monitor was created). Pure: the clock comes in as `now`.
 * - the last ping reported failure → failed;
 * - the last ping was a start and the job has run longer than the grace → failed;
 * - else the next ping was due at (last ping or `since`) + period, or at the schedule's
 *   next run after it; past that plus the grace → failed ("late");
 * - else ok.
 */
export function heartbeatOutcome(
  spec: HeartbeatSpec,
  last: LastPing | null,
  since: number,
  now: number,
): CheckOutcome {
  const ok: CheckOutcome = { ok: true, slow: false, reason: null, durationMs: 0 };
  const fail = (reason: string): CheckOutcome => ({ ok: false, slow: false, reason, durationMs: 0 });
  if (last?.kind === 'fail') return fail(`the job reported failure at ${iso(last.at)}`);
  if (last?.kind === 'start' && now > last.at + spec.graceMs) {
    return fail(
      `the job started at ${iso(last.at)} and has not finished within the ${words(spec.graceMs)} grace`,
    );
  }
  const from = last?.at ?? since;
  const due = nextDue(spec, from);
  if (due !== null && now > due + spec.graceMs) {
    const expected =
      spec.schedule !== null
        ? `the run due at ${iso(due)} (${spec.schedule}${spec.timezone ? ` in ${spec.timezone}` : ' UTC'})`
        : `a ping every ${words(spec.periodMs ?? 0)}`;
    const lastSeen = last ? `last ping at ${iso(last.at)}` : 'no ping yet';
    return fail(`late: missed ${expected}, grace ${words(spec.graceMs)}; ${lastSeen}`);
  }
  return ok;
}

/** When the next ping is expected after one at `from` (epoch ms), or null for a schedule with no next run. */
export function nextDue(spec: HeartbeatSpec, from: number): number | null {
  if (spec.periodMs !== null) return from + spec.periodMs;
  if (spec.schedule === null) return null;
  const cron = new Cron(spec.schedule, { timezone: spec.timezone ?? 'UTC', paused: true });
  return cron.nextRun(new Date(from))?.getTime() ?? null;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function words(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
