import type { FastifyInstance } from 'fastify';
import { scheduleCalendar } from '../../oncall/ics.js';
import type { Schedule, Shift } from '../../oncall/schedule.js';
import { shiftsBetween, whoIsOnCall } from '../../oncall/who-is-on-call.js';
import type { Database } from '../../store/database.js';
import { readPeople, readSchedules } from '../../store/oncall-rows.js';
import { requireScope } from '../auth.js';
import { ApiError } from '../errors.js';

const DAY = 86_400_000;
/** How far `next` is looked for; beyond it `until` is null. */
const ONCALL_HORIZON_MS = 90 * DAY;
/** Calendar feeds cover 30 days back to 180 days ahead. */
const CALENDAR_BACK_MS = 30 * DAY;
const CALENDAR_AHEAD_MS = 180 * DAY;
const CALENDAR_TYPE = 'text/calendar; charset=utf-8';

type KeyParams = { Params: { key: string } };

/** Who is on call for one stretch: user keys, and when it started and ends (ms; null = beyond the horizon). */
interface Stretch {
  readonly users: readonly string[];
  readonly from: number;
  readonly until: number | null;
}

/**
 * Who is on call in a schedule now and next, and calendar feeds (iCalendar) of a schedule and of a
 * user's shifts in every schedule. The feeds take the token as `?token=` too, since calendar apps
 * subscribe by URL; a read token in a URL is as secret as the URL, so give feeds a token of their own.
 */
export function registerOncallCalendarRoutes(
  app: FastifyInstance,
  database: Database,
  now: () => number,
): void {
  const db = database.db;

  const findSchedule = async (key: string, overridesEndingAfter: number): Promise<Schedule> => {
    const [stored] = await readSchedules(db, { key, overridesEndingAfter });
    if (stored === undefined) throw new ApiError('not_found', `no schedule ${key}`);
    return stored.schedule;
  };

  app.get<KeyParams>('/api/v1/schedules/:key/oncall', async (request) => {
    await requireScope(db, request, 'read');
    const at = now();
    // whoIsOnCall looks 8 days back for the start of the current stretch.
    const schedule = await findSchedule(request.params.key, at - 8 * DAY);
    const current = whoIsOnCall(schedule, at);
    const horizon = at + ONCALL_HORIZON_MS;
    // Shifts split where the deciding layer changes; people care when the users change.
    const changes = shiftsBetween(schedule, at, horizon).filter((s) => !sameUsers(s.users, current.users));
    const [next] = changes;
    const afterNext =
      next && shiftsBetween(schedule, next.start, horizon).find((s) => !sameUsers(s.users, next.users));
    // The stretch began where the users last changed, even if the deciding layer changed since.
    let from = current.start;
    for (const shift of shiftsBetween(schedule, at - 8 * DAY, current.start).reverse()) {
      if (!sameUsers(shift.users, current.users)) break;
      from = shift.start;
    }
    const nowStretch: Stretch = { users: current.users, from, until: next?.start ?? null };
    const nextStretch: Stretch | null = next
      ? { users: next.users, from: next.start, until: afterNext?.start ?? null }
      : null;
    return { schedule: schedule.key, now: nowStretch, next: nextStretch };
  });

  app.get<KeyParams>('/api/v1/schedules/:key.ics', async (request, reply) => {
    await requireScope(db, request, 'read', { queryToken: true });
    const at = now();
    const schedule = await findSchedule(request.params.key, at - CALENDAR_BACK_MS - 8 * DAY);
    const names = new Map((await readPeople(db)).map(({ person }) => [person.key, person.name]));
    const calendar = scheduleCalendar({
      name: schedule.name,
      shifts: calendarShifts(schedule, at),
      describe: (user) => `${names.get(user) ?? user} (${user})`,
      uidPrefix: `schedule-${schedule.key}`,
      now: at,
    });
    return reply.type(CALENDAR_TYPE).send(calendar);
  });

  app.get<KeyParams>('/api/v1/users/:key/shifts.ics', async (request, reply) => {
    await requireScope(db, request, 'read', { queryToken: true });
    const { key } = request.params;
    const [stored] = await readPeople(db, key);
    if (stored === undefined) throw new ApiError('not_found', `no user ${key}`);
    const at = now();
    const schedules = await readSchedules(db, { overridesEndingAfter: at - CALENDAR_BACK_MS - 8 * DAY });
    const theirs = schedules
      .map(({ schedule }) => ({
        schedule,
        shifts: calendarShifts(schedule, at).filter((s) => s.users.includes(key)),
      }))
      .filter(({ shifts }) => shifts.length > 0);
    const scheduleNames = theirs.map(({ schedule }) => schedule.name).join(', ');
    const calendar = scheduleCalendar({
      name: stored.person.name,
      // One event per stretch on call in any schedule: overlapping shifts of two schedules would
      // otherwise repeat the time (and could share an event UID).
      shifts: mergeShifts(
        theirs.flatMap(({ shifts }) => shifts),
        key,
      ),
      describe: () => `${stored.person.name} (${key}) on call in ${scheduleNames}`,
      uidPrefix: `user-${key}`,
      now: at,
    });
    return reply.type(CALENDAR_TYPE).send(calendar);
  });
}

/**
 * Shifts from 30 days back (extended to the start of the shift then running, so its event keeps its
 * UID from one fetch to the next) to 180 days ahead.
 */
function calendarShifts(schedule: Schedule, at: number): Shift[] {
  const from = whoIsOnCall(schedule, at - CALENDAR_BACK_MS).start;
  return shiftsBetween(schedule, from, at + CALENDAR_AHEAD_MS);
}

/** `user`'s time on call as non-overlapping shifts, touching or overlapping ones joined. */
function mergeShifts(shifts: readonly Shift[], user: string): Shift[] {
  const merged: Shift[] = [];
  for (const shift of [...shifts].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last !== undefined && shift.start <= last.end) {
      merged[merged.length - 1] = { ...last, end: Math.max(last.end, shift.end) };
    } else {
      merged.push({ start: shift.start, end: shift.end, users: [user], layer: null });
    }
  }
  return merged;
}

function sameUsers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((user, i) => user === b[i]);
}
