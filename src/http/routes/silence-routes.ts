import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { duration } from '../../config/schema-parts.js';
import type { LabelMatcher } from '../../rules/label-matcher.js';
import { parseMatcher } from '../../rules/match-labels.js';
import type { Database } from '../../store/database.js';
import { createSilence, expireSilence, getSilence, listSilences } from '../../store/silence-repository.js';
import { requireScope } from '../auth.js';
import { ApiError } from '../errors.js';
import { parseBody } from '../parse-body.js';

const MAX_WINDOW_MS = 366 * 86_400_000;

/** An instant: ISO 8601 with a time, or epoch milliseconds. */
export const time = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isFinite(ms) && (typeof value === 'number' || /\d{4}-\d{2}-\d{2}T/.test(value))) return ms;
  ctx.addIssue({
    code: 'custom',
    message: 'use an ISO 8601 time like 2026-11-21T14:00:00Z, or epoch milliseconds',
  });
  return z.NEVER;
});
const matcher = z
  .union([
    z.string(),
    z.strictObject({ name: z.string(), op: z.enum(['=', '!=', '=~', '!~']), value: z.string() }),
  ])
  .transform((value, ctx): LabelMatcher => {
    try {
      return parseMatcher(
        typeof value === 'string' ? value : `${value.name}${value.op}${JSON.stringify(value.value)}`,
      );
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
/** A required line of text. */
export const text = z.string().trim().min(1, 'must not be blank').max(2000);

const windowSchema = {
  starts_at: time.optional(),
  ends_at: time.optional(),
  duration: duration('duration', 1, MAX_WINDOW_MS).optional(),
};

/** Start and end of a window from starts_at (default now) and ends_at or duration; one of those is required. */
function window(body: { starts_at?: number; ends_at?: number; duration?: number }, now: number) {
  const startsAt = body.starts_at ?? now;
  if (body.ends_at === undefined && body.duration === undefined) {
    throw new ApiError('invalid_request', 'say when it ends', {
      field: 'ends_at',
      hint: 'send ends_at (ISO 8601) or duration (e.g. "2h")',
    });
  }
  const endsAt = body.ends_at ?? startsAt + (body.duration ?? 0);
  if (endsAt <= startsAt)
    throw new ApiError('invalid_request', 'ends_at must be after starts_at', { field: 'ends_at' });
  if (endsAt - startsAt > MAX_WINDOW_MS)
    throw new ApiError('invalid_request', 'a window may last at most 366 days', { field: 'ends_at' });
  if (endsAt <= now)
    throw new ApiError('invalid_request', 'the window is already over', { field: 'ends_at' });
  return { startsAt, endsAt };
}

/**
 * Silences (label matchers, a time range, a reason and an author): they mute notifications of
 * matching alerts, which are still recorded. Reads need `read`, changes `write`. Ending a silence
 * keeps its row. Maintenance windows, which mute by component, are in maintenance-routes.ts.
 */
export function registerSilenceRoutes(app: FastifyInstance, database: Database, now: () => number): void {
  const db = database.db;

  app.get('/api/v1/silences', async (request) => {
    await requireScope(db, request, 'read');
    const q = parseBody(
      z.strictObject({ all: z.enum(['true', 'false']).optional() }),
      request.query,
      'query',
    );
    return { silences: await listSilences(db, now(), q.all === 'true') };
  });

  app.post('/api/v1/silences', async (request, reply) => {
    const identity = await requireScope(db, request, 'write');
    const body = parseBody(
      z.strictObject({
        matchers: z.array(matcher).min(1, 'give at least one matcher').max(50),
        reason: text,
        author: text.optional(),
        ...windowSchema,
      }),
      request.body,
    );
    const { startsAt, endsAt } = window(body, now());
    const silence = await createSilence(
      db,
      {
        matchers: body.matchers,
        startsAt,
        endsAt,
        reason: body.reason,
        author: body.author ?? identity.name,
      },
      now(),
    );
    return reply.code(201).send({ silence });
  });

  app.get<{ Params: { id: string } }>('/api/v1/silences/:id', async (request) => {
    await requireScope(db, request, 'read');
    const silence = await getSilence(db, request.params.id, now());
    if (!silence) throw new ApiError('not_found', `no silence ${request.params.id}`);
    return { silence };
  });

  app.delete<{ Params: { id: string } }>('/api/v1/silences/:id', async (request) => {
    await requireScope(db, request, 'write');
    const silence = await expireSilence(db, request.params.id, now());
    if (!silence) throw new ApiError('not_found', `no silence ${request.params.id}`);
    return { silence };
  });
}
