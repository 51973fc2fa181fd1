import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AlertEngine } from '../../app/alert-engine.js';
import { followLink, inspectLink, type LinkOutcome } from '../../app/page-actions.js';
import type { PagingEngine } from '../../app/paging-engine.js';
import { html, type SafeHtml } from '../../statuspage/html.js';
import type { Database } from '../../store/database.js';
import { getPage, listFollowUps, listNotifications, listPages } from '../../store/page-queries.js';
import { requireScope } from '../auth.js';
import { ApiError } from '../errors.js';
import { parseBody } from '../parse-body.js';

const listQuery = z.strictObject({
  status: z.string().optional(),
  state: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * Pages, the outbox and follow-ups (read scope), and the acknowledge/resolve links in
 * notifications. A link is public — its single-use token is the credential — and GET only shows
 * a confirmation form: mail scanners that prefetch links must not acknowledge anything.
 */
export function registerPageRoutes(
  app: FastifyInstance,
  database: Database,
  alerts: AlertEngine,
  paging: PagingEngine | null,
  now: () => number,
): void {
  const db = database.db;

  app.get<{ Params: { token: string } }>('/act/:token', async (request, reply) => {
    const outcome = await inspectLink(database, request.params.token, now());
    if (outcome.kind !== 'done') return sendOutcome(reply, outcome);
    const { action, personKey } = outcome.token;
    const verb = action === 'acknowledge' ? 'Acknowledge' : 'Resolve';
    return sendHtml(
      reply,
      200,
      `${verb} alert`,
      html`<p>${verb} the alerts of this page as <strong>${personKey}</strong>?</p>
        <form method="post" action="/act/${request.params.token}"><button type="submit">${verb}</button></form>
        <p>This link works once.</p>`,
    );
  });

  app.post<{ Params: { token: string } }>('/act/:token', async (request, reply) => {
    const outcome = await followLink(database, alerts.settings, request.params.token, now());
    if (outcome.kind === 'done') paging?.nudge();
    return sendOutcome(reply, outcome);
  });

  app.get('/api/v1/pages', async (request) => {
    await requireScope(db, request, 'read');
    const query = parseBody(listQuery, request.query, 'query');
    return { pages: await listPages(db, { status: query.status ?? null, limit: query.limit }) };
  });

  app.get<{ Params: { id: string } }>('/api/v1/pages/:id', async (request) => {
    await requireScope(db, request, 'read');
    const page = await getPage(db, request.params.id);
    if (!page)
      throw new ApiError('not_found', `no page ${request.params.id}`, {
        hint: 'list pages with GET /api/v1/pages',
      });
    return page;
  });

  app.get('/api/v1/notifications', async (request) => {
    await requireScope(db, request, 'read');
    const query = parseBody(listQuery, request.query, 'query');
    return { notifications: await listNotifications(db, { state: query.state ?? null, limit: query.limit }) };
  });

  app.get('/api/v1/follow-ups', async (request) => {
    await requireScope(db, request, 'read');
    const query = parseBody(listQuery, request.query, 'query');
    return { follow_ups: await listFollowUps(db, { state: query.state ?? null, limit: query.limit }) };
  });
}

function sendOutcome(reply: FastifyReply, outcome: LinkOutcome): FastifyReply {
  switch (outcome.kind) {
    case 'unknown':
      return sendHtml(
        reply,
        404,
        'Unknown link',
        html`<p>This link is not known. Open the alert in Firewatch instead.</p>`,
      );
    case 'used':
      return sendHtml(
        reply,
        410,
        'Link already used',
        html`<p>This link has been used already; each link works once.</p>`,
      );
    case 'expired':
      return sendHtml(
        reply,
        410,
        'Link expired',
        html`<p>This link has expired. Open the alert in Firewatch instead.</p>`,
      );
    case 'done': {
      const done = outcome.token.action === 'acknowledge' ? 'Acknowledged' : 'Resolved';
      return sendHtml(
        reply,
        200,
        done,
        html`<p>${done} ${outcome.alerts} alert${outcome.alerts === 1 ? '' : 's'} as <strong>${outcome.token.personKey}</strong>.</p>`,
      );
    }
  }
}

function sendHtml(reply: FastifyReply, status: number, title: string, body: SafeHtml): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(
      html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Firewatch</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`.toString(),
    );
}
