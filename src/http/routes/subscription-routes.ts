import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SnapshotCache } from '../../app/snapshot-cache.js';
import { normaliseEmail } from '../../statuspage/email-address.js';
import {
  renderConfirmedPage,
  renderConfirmPage,
  renderLinkProblemPage,
  renderSubscribeAcceptedPage,
  renderSubscribePage,
  renderTooManyPage,
  renderUnsubscribedPage,
  renderUnsubscribePage,
  type SubscriptionSummary,
} from '../../statuspage/render-subscription-pages.js';
import type { Database } from '../../store/database.js';
import {
  confirmSubscriber,
  findByUnsubscribeToken,
  findConfirmation,
  type Subscriber,
  subscribeEmail,
  unknownCommunities,
  unsubscribeByToken,
} from '../../store/subscriber-repository.js';
import { AddressRateLimit } from '../address-rate-limit.js';
import { ApiError } from '../errors.js';
import { registerSubscriberApiRoutes } from './subscriber-api-routes.js';

const HTML = 'text/html; charset=utf-8';
const MAX_BODY_BYTES = 16_384;
/** More communities than a subscription may name (the database's IN list stays small). */
const MAX_COMMUNITIES = 500;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f]/;
/** What a link's token can look like; anything else names no subscriber (and never reaches the database). */
const TOKEN = /^[\w-]{1,200}$/;

/** What the subscription routes need besides the database. */
export interface SubscriptionRouteOptions {
  readonly now: () => number;
  /** Page name, URL and communities (the form, links in emails); no database read for them. */
  readonly snapshots: Pick<SnapshotCache, 'current'>;
  /** Subscribe requests per client address; default 10 an hour. */
  readonly rateLimit?: { readonly limit: number; readonly windowMs: number };
}

const subscribeBody = z.object({
  email: z.string({ error: 'give an email address' }).max(320, 'at most 320 characters'),
  community: z.union([z.string(), z.array(z.string())]).optional(),
  communities: z.array(z.string()).nullish(),
});

/**
 * Email subscriptions to the status page, public and without a token: the form (GET /subscribe),
 * intake (POST /subscribe, a urlencoded form answered with HTML or JSON answered with JSON; the same
 * answer whether or not the address was known, at most `rateLimit` per client address), and the pages
 * behind the links in emails. A link's GET only shows a button; the POST confirms or unsubscribes, so
 * mail scanners that fetch links change nothing. POST /unsubscribe/<token> is RFC 8058's one-click
 * unsubscribe: any body (List-Unsubscribe=One-Click), no cookie, no token but the link's.
 * The /api/v1/subscribers API is in subscriber-api-routes.ts.
 */
export function registerSubscriptionRoutes(
  app: FastifyInstance,
  database: Database,
  options: SubscriptionRouteOptions,
): void {
  const { snapshots, now } = options;
  const limit = new AddressRateLimit(options.rateLimit ?? { limit: 10, windowMs: 3_600_000 });
  const page = () => ({
    pageName: snapshots.current.pageName,
    pageUrl: snapshots.current.pageUrl.replace(/\/$/, ''),
  });
  const pageName = () => snapshots.current.pageName;
  const communities = () => snapshots.current.communities.map((c) => ({ slug: c.slug, name: c.name }));

  void app.register(async (scope) => {
    // Checkboxes repeat `community`: keep every value (the server-wide parser keeps the last).
    scope.removeContentTypeParser('application/x-www-form-urlencoded');
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
      (_request, body, done) => done(null, formFields(body as string)),
    );
    // One-click unsubscribe may come as multipart/form-data; the POST itself is what counts.
    scope.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
      (_request, body, done) => done(null, body),
    );

    scope.get<{ Querystring: { community?: string | string[] } }>('/subscribe', async (request, reply) => {
      const selected = [request.query.community ?? []].flat();
      return sendPage(reply, 200, renderSubscribePage(pageName(), communities(), { selected }));
    });

    scope.post('/subscribe', async (request, reply) => {
      const form = !isJson(request);
      const allowed = limit.take(request.ip, now());
      if (!allowed.allowed) {
        const minutes = Math.ceil(allowed.retryAfterMs / 60_000);
        const sentence = `Too many subscribe requests from your address; try again in ${minutes} minutes.`;
        reply.header('retry-after', String(Math.ceil(allowed.retryAfterMs / 1000)));
        if (form) return sendPage(reply, 429, renderTooManyPage(pageName(), sentence));
        throw new ApiError('rate_limited', sentence, { hint: 'wait for the Retry-After seconds' });
      }
      const parsed = subscribeBody.safeParse(request.body ?? {});
      const selected = parsed.success ? requestedCommunities(parsed.data) : [];
      const refuse = (field: string, problem: string) => {
        if (!form) throw new ApiError('invalid_request', problem, { field });
        const email = parsed.success ? parsed.data.email : '';
        const html = renderSubscribePage(pageName(), communities(), { selected, email, problem });
        return sendPage(reply, 400, html);
      };
      if (!parsed.success) return refuse('email', 'Give an email address to send updates to.');
      const address = normaliseEmail(parsed.data.email);
      if (address === null) {
        return refuse('email', `"${parsed.data.email.slice(0, 80)}" is not an email address we can send to.`);
      }
      if (selected.length > MAX_COMMUNITIES) {
        return refuse('community', `Pick at most ${MAX_COMMUNITIES} communities, or none for all of them.`);
      }
      // A slug no community can have is unknown without asking the database (PostgreSQL refuses NUL).
      const odd = selected.filter((slug) => slug.length > 100 || CONTROL.test(slug));
      const unknown = odd.length > 0 ? odd : await unknownCommunities(database.db, selected);
      if (unknown.length > 0) {
        return refuse(
          'community',
          `There is no community "${unknown[0]}" on this page; pick one from the list.`,
        );
      }
      const result = await subscribeEmail(
        database,
        { address, communities: selected.length === 0 ? null : selected },
        page(),
        now(),
      );
      request.log.info({ subscriber: result.subscriberId, queued: result.queued }, 'subscribe request');
      if (form) return sendPage(reply, 200, renderSubscribeAcceptedPage(pageName()));
      return reply.code(202).send({
        status: 'pending',
        message:
          'If the address can receive email, a confirmation link is on its way; nothing else is sent before it is confirmed.',
      });
    });

    scope.get<{ Params: { token: string } }>('/subscribe/confirm/:token', async (request, reply) => {
      if (!TOKEN.test(request.params.token)) return linkProblem(reply, 'unknown');
      const found = await findConfirmation(database.db, request.params.token, now());
      if ('problem' in found) return linkProblem(reply, found.problem);
      return sendPage(
        reply,
        200,
        renderConfirmPage(pageName(), request.params.token, summaryOf(found.subscriber)),
      );
    });

    scope.post<{ Params: { token: string } }>('/subscribe/confirm/:token', async (request, reply) => {
      if (!TOKEN.test(request.params.token)) return linkProblem(reply, 'unknown');
      const done = await confirmSubscriber(database.db, request.params.token, now());
      if ('problem' in done) return linkProblem(reply, done.problem);
      request.log.info({ subscriber: done.subscriber.id }, 'subscription confirmed');
      return sendPage(reply, 200, renderConfirmedPage(pageName(), summaryOf(done.subscriber)));
    });

    scope.get<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
      const subscriber = TOKEN.test(request.params.token)
        ? await findByUnsubscribeToken(database.db, request.params.token)
        : undefined;
      if (!subscriber) return linkProblem(reply, 'unknown');
      const summary = summaryOf(subscriber);
      if (subscriber.state === 'unsubscribed')
        return sendPage(reply, 200, renderUnsubscribedPage(pageName(), summary));
      return sendPage(reply, 200, renderUnsubscribePage(pageName(), request.params.token, summary));
    });

    scope.post<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
      const subscriber = TOKEN.test(request.params.token)
        ? await unsubscribeByToken(database.db, request.params.token, now())
        : undefined;
      if (!subscriber) return linkProblem(reply, 'unknown');
      request.log.info({ subscriber: subscriber.id }, 'unsubscribed');
      return sendPage(reply, 200, renderUnsubscribedPage(pageName(), summaryOf(subscriber)));
    });
  });

  registerSubscriberApiRoutes(app, database, { now, page });

  function summaryOf(subscriber: Subscriber): SubscriptionSummary {
    const names = new Map(communities().map((c) => [c.slug, c.name]));
    return {
      to: subscriber.to,
      scope:
        subscriber.communities === null
          ? null
          : subscriber.communities.map((slug) => names.get(slug) ?? slug),
    };
  }

  function linkProblem(reply: FastifyReply, problem: 'unknown' | 'expired') {
    return sendPage(reply, problem === 'expired' ? 410 : 404, renderLinkProblemPage(pageName(), problem));
  }
}

function requestedCommunities(body: z.output<typeof subscribeBody>): string[] {
  const all = [body.community ?? [], body.communities ?? []].flat().map((slug) => slug.trim());
  return [...new Set(all.filter((slug) => slug !== ''))];
}

/** A urlencoded body as fields; a name that repeats keeps every value, in order. */
function formFields(body: string): Record<string, string | string[]> {
  const fields = new Map<string, string | string[]>();
  for (const [name, value] of new URLSearchParams(body)) {
    const before = fields.get(name);
    fields.set(name, before === undefined ? value : [before, value].flat());
  }
  // fromEntries defines own properties: a field named __proto__ stays a field.
  return Object.fromEntries(fields);
}

function isJson(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().includes('json');
}

// Links carry their token in the path: never cached, never sent on as a referrer.
function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .type(HTML)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(html);
}
