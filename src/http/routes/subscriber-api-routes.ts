import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { httpUrl } from '../../config/schema-parts.js';
import { normaliseEmail } from '../../statuspage/email-address.js';
import type { Database } from '../../store/database.js';
import {
  createWebhookSubscriber,
  getSubscriber,
  listSubscribers,
  type SubscriptionPage,
  subscribeEmail,
  unknownCommunities,
  unsubscribeById,
} from '../../store/subscriber-repository.js';
import { requireScope } from '../auth.js';
import { ApiError } from '../errors.js';
import { parseBody } from '../parse-body.js';

const createBody = z.strictObject({
  kind: z.enum(['email', 'webhook'], { error: 'kind must be "email" or "webhook"' }),
  email: z.string().max(320).optional(),
  url: httpUrl.pipe(z.string().max(2000, 'at most 2000 characters')).optional(),
  communities: z.array(z.string()).max(500).nullish(),
});

/**
 * The subscriber list for operators: read it with `read`; add (a webhook, active at once, whose signing
 * secret is returned this once; or an email address, which is sent a confirmation first) and remove
 * (unsubscribe) with `admin`. Secrets and tokens are never returned after creation.
 */
export function registerSubscriberApiRoutes(
  app: FastifyInstance,
  database: Database,
  options: { readonly now: () => number; readonly page: () => SubscriptionPage },
): void {
  const db = database.db;
  const { now } = options;

  app.get('/api/v1/subscribers', async (request) => {
    await requireScope(db, request, 'read');
    const q = parseBody(
      z.strictObject({ all: z.enum(['true', 'false']).optional() }),
      request.query,
      'query',
    );
    return { subscribers: await listSubscribers(db, q.all === 'true') };
  });

  app.get<{ Params: { id: string } }>('/api/v1/subscribers/:id', async (request) => {
    await requireScope(db, request, 'read');
    const subscriber = await getSubscriber(db, request.params.id);
    if (!subscriber) throw notFound(request.params.id);
    return { subscriber };
  });

  app.post('/api/v1/subscribers', async (request, reply) => {
    await requireScope(db, request, 'admin');
    const body = parseBody(createBody, request.body);
    const communities = body.communities == null ? null : [...new Set(body.communities)];
    const unknown = await unknownCommunities(db, communities ?? []);
    if (unknown.length > 0) {
      throw new ApiError('invalid_request', `unknown communities: ${unknown.join(', ')}`, {
        field: 'communities',
        hint: 'use community slugs as in /c/<slug>; leave communities out for the whole fleet',
      });
    }
    if (body.kind === 'webhook') {
      if (body.url === undefined || body.email !== undefined) {
        throw new ApiError('invalid_request', 'a webhook subscriber needs url (and no email)', {
          field: 'url',
          hint: 'send {"kind": "webhook", "url": "https://…"}',
        });
      }
      const created = await createWebhookSubscriber(db, { url: body.url, communities }, now());
      if ('duplicate' in created) {
        throw new ApiError('conflict', `subscriber ${created.duplicate} already posts to this URL`, {
          field: 'url',
          hint: `delete it first (DELETE /api/v1/subscribers/${created.duplicate}) to change its communities`,
        });
      }
      return reply.code(201).send(created);
    }
    const address = body.email === undefined ? null : normaliseEmail(body.email);
    if (address === null || body.url !== undefined) {
      throw new ApiError('invalid_request', 'an email subscriber needs a valid email address (and no url)', {
        field: 'email',
        hint: 'send {"kind": "email", "email": "name@example.org"}',
      });
    }
    const result = await subscribeEmail(database, { address, communities }, options.page(), now());
    const subscriber = await getSubscriber(db, result.subscriberId);
    return reply.code(201).send({ subscriber, confirmation_queued: result.queued });
  });

  app.delete<{ Params: { id: string } }>('/api/v1/subscribers/:id', async (request) => {
    await requireScope(db, request, 'admin');
    if (!(await unsubscribeById(db, request.params.id, now()))) throw notFound(request.params.id);
    return { unsubscribed: request.params.id };
  });
}

function notFound(id: string): ApiError {
  return new ApiError('not_found', `no subscriber ${id}`, { hint: 'list them with GET /api/v1/subscribers' });
}
