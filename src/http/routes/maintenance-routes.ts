import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { duration } from '../../config/schema-parts.js';
import { occurrenceAt } from '../../incidents/maintenance-occurrences.js';
import { firstRunAfter, nextOccurrence, repeatProblem } from '../../incidents/maintenance-schedule.js';
import type { Database } from '../../store/database.js';
import {
  cancelMaintenance,
  createMaintenance,
  getMaintenance,
  listMaintenances,
  type Maintenance,
} from '../../store/maintenance-repository.js';
import { requireScope } from '../auth.js';
import { ApiError } from '../errors.js';
import { parseBody } from '../parse-body.js';
import { text, time } from './silence-routes.js';

const DAY = 86_400_000;
const MAX_WINDOW_MS = 366 * DAY;
const DEFAULT_NOTIFY_BEFORE_MS = DAY;
const REPEAT_HINT =
  '5 fields in UTC: minute hour day-of-month month day-of-week, e.g. "0 2 * * 0" (Sundays 02:00 UTC)';

const notifyBefore = z.unknown().transform((value, ctx): number => {
  if (value === 'off') return 0;
  const parsed = duration('notify_before', 60_000, 30 * DAY).safeParse(value);
  if (parsed.success) return parsed.data;
  ctx.addIssue({
    code: 'custom',
    message: `${parsed.error.issues[0]?.message ?? 'invalid duration'} (or write off for no notice ahead)`,
  });
  return z.NEVER;
});

const createBody = z.strictObject({
  title: z.string().trim().min(1, 'must not be blank').max(200, 'at most 200 characters'),
  description: z.string().max(20_000, 'at most 20000 characters').nullish(),
  components: z.array(z.string()).min(1, 'name at least one component ref, like pangeo/hub').max(500),
  author: text.optional(),
  starts_at: time.optional(),
  ends_at: time.optional(),
  duration: duration('duration', 60_000, MAX_WINDOW_MS).optional(),
  repeat: z.string().max(200).nullish(),
  repeat_until: time.nullish(),
  notify_before: notifyBefore.optional(),
});

/** A maintenance as the API shows it: the stored window plus its state and the occurrence that is next. */
export function maintenanceView(m: Maintenance, now: number) {
  const next = m.cancelledAt === null ? nextOccurrence(m, now) : null;
  const state =
    m.cancelledAt !== null
      ? 'cancelled'
      : next === null
        ? 'completed'
        : occurrenceAt(m, now) !== null
          ? 'in_progress'
          : 'scheduled';
  return { ...m, state, nextOccurrence: next };
}

/**
 * Maintenance windows on components, one-off or recurring (`repeat`, a UTC cron expression): alerts
 * on those components are recorded but muted during each occurrence, the status page shows them,
 * and subscribers are told ahead, at the start and at the end. Reads need `read`, changes `write`;
 * cancelling keeps the row.
 */
export function registerMaintenanceRoutes(app: FastifyInstance, database: Database, now: () => number): void {
  const db = database.db;

  app.get('/api/v1/maintenances', async (request) => {
    await requireScope(db, request, 'read');
    const q = parseBody(
      z.strictObject({ all: z.enum(['true', 'false']).optional() }),
      request.query,
      'query',
    );
    const at = now();
    const all = q.all === 'true';
    const views = (await listMaintenances(db, at, all)).map((m) => maintenanceView(m, at));
    return { maintenances: all ? views : views.filter((m) => m.nextOccurrence !== null) };
  });

  app.get<{ Params: { id: string } }>('/api/v1/maintenances/:id', async (request) => {
    await requireScope(db, request, 'read');
    const maintenance = await getMaintenance(db, request.params.id);
    if (!maintenance) throw notFound(request.params.id);
    return { maintenance: maintenanceView(maintenance, now()) };
  });

  app.post('/api/v1/maintenances', async (request, reply) => {
    const identity = await requireScope(db, request, 'write');
    const body = parseBody(createBody, request.body);
    const at = now();
    const window = maintenanceWindow(body, at);
    const created = await createMaintenance(
      db,
      {
        title: body.title,
        description: body.description?.trim() || null,
        ...window,
        notifyBeforeMs: body.notify_before ?? DEFAULT_NOTIFY_BEFORE_MS,
        components: [...new Set(body.components)],
        author: body.author ?? identity.name,
      },
      at,
    );
    if ('unknown' in created) {
      throw new ApiError('invalid_request', `unknown components: ${created.unknown.join(', ')}`, {
        field: 'components',
        hint: 'use component refs like <community>/<component> or shared/<component>; GET /api/v1/components lists them',
      });
    }
    return reply.code(201).send({ maintenance: maintenanceView(created.maintenance, at) });
  });

  app.delete<{ Params: { id: string } }>('/api/v1/maintenances/:id', async (request) => {
    await requireScope(db, request, 'write');
    if (!(await cancelMaintenance(db, request.params.id, now()))) throw notFound(request.params.id);
    return { cancelled: request.params.id };
  });
}

function notFound(id: string): ApiError {
  return new ApiError('not_found', `no maintenance ${id}`, {
    hint: 'list them with GET /api/v1/maintenances',
  });
}

/**
 * The stored window from the request: a one-off runs from starts_at (default now) to ends_at or for
 * duration; a recurring one's first occurrence starts at starts_at (default the cron's next match) and
 * lasts duration (or until ends_at), and later ones start at each match until repeat_until.
 */
function maintenanceWindow(body: z.output<typeof createBody>, now: number) {
  const repeat = body.repeat?.trim() || null;
  if (repeat === null && body.repeat_until != null) {
    throw new ApiError('invalid_request', 'repeat_until needs repeat', {
      field: 'repeat_until',
      hint: `send repeat as a cron expression (${REPEAT_HINT}), or leave out repeat_until`,
    });
  }
  if (body.ends_at === undefined && body.duration === undefined) {
    throw new ApiError('invalid_request', 'say when it ends', {
      field: 'ends_at',
      hint: 'send ends_at (ISO 8601) or duration (e.g. "2h")',
    });
  }
  if (repeat !== null && body.starts_at === undefined && body.ends_at !== undefined) {
    throw new ApiError(
      'invalid_request',
      'a repeating maintenance needs duration, or starts_at with ends_at',
      {
        field: 'ends_at',
        hint: 'send duration (e.g. "2h"): each occurrence lasts that long',
      },
    );
  }
  let startsAt = body.starts_at ?? now;
  if (repeat !== null && body.starts_at === undefined) {
    const problem = repeatProblem(repeat, 0, now);
    if (problem !== null)
      throw new ApiError('invalid_request', problem, { field: 'repeat', hint: REPEAT_HINT });
    startsAt = firstRunAfter(repeat, now - 1) ?? now;
  }
  const endsAt = body.ends_at ?? startsAt + (body.duration ?? 0);
  if (endsAt <= startsAt) {
    throw new ApiError('invalid_request', 'ends_at must be after starts_at', { field: 'ends_at' });
  }
  if (endsAt - startsAt > MAX_WINDOW_MS) {
    throw new ApiError('invalid_request', 'a maintenance may last at most 366 days', { field: 'ends_at' });
  }
  if (repeat === null) {
    if (endsAt <= now) {
      throw new ApiError('invalid_request', 'the window is already over', {
        field: 'ends_at',
        hint: 'maintenances are for now or later',
      });
    }
    return { startsAt, endsAt, repeat, repeatUntil: null };
  }
  const problem = repeatProblem(repeat, endsAt - startsAt, startsAt);
  if (problem !== null)
    throw new ApiError('invalid_request', problem, { field: 'repeat', hint: REPEAT_HINT });
  const repeatUntil = body.repeat_until ?? null;
  if (repeatUntil !== null && repeatUntil < Math.max(startsAt, now)) {
    throw new ApiError('invalid_request', 'repeat_until is before the first occurrence or already past', {
      field: 'repeat_until',
      hint: 'send the last instant an occurrence may start (ISO 8601), or leave it out to repeat for ever',
    });
  }
  const window = { startsAt, endsAt, repeat, repeatUntil };
  if (nextOccurrence(window, now) === null) {
    throw new ApiError('invalid_request', 'no occurrence of this maintenance is left to run', {
      field: 'repeat_until',
    });
  }
  return window;
}
