import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SnapshotCache } from '../../app/snapshot-cache.js';
import {
  DEFAULT_REPORT_LIMITS,
  hashReportAddress,
  isHoneypotFilled,
  limitSentence,
  type ReportFieldError,
  type ReportLimits,
  readReportSubmission,
  resolveReportComponent,
} from '../../ingest/community-report.js';
import { renderNotFoundPage } from '../../statuspage/render-community-page.js';
import {
  type ReportPageCommunity,
  renderReportFormPage,
  renderReportRefusedPage,
  renderReportThanksPage,
} from '../../statuspage/render-report-pages.js';
import type { Database } from '../../store/database.js';
import { newId } from '../../store/new-id.js';
import { findReportCommunity, reportAddressSalt, submitReport } from '../../store/report-repository.js';
import { ApiError } from '../errors.js';
import { registerReportInboxRoutes } from './report-inbox-routes.js';

const HTML = 'text/html; charset=utf-8';

/** What the report routes need besides the database. */
export interface ReportRouteOptions {
  readonly now: () => number;
  /** Page name and communities for the HTML answers; invalidated when triage opens an incident. */
  readonly snapshots: Pick<SnapshotCache, 'current' | 'invalidate'>;
  /** Default DEFAULT_REPORT_LIMITS; tests lower them. */
  readonly limits?: ReportLimits;
}

/**
 * Community problem reports. Public, without a token: the form (GET /c/:slug/report), intake
 * (POST /c/:slug/report, a urlencoded form answered with HTML or JSON answered with JSON) and the
 * thank-you page. With a token: the triage inbox under /api/v1/reports (report-inbox-routes.ts).
 */
export function registerReportRoutes(
  app: FastifyInstance,
  database: Database,
  options: ReportRouteOptions,
): void {
  const limits = options.limits ?? DEFAULT_REPORT_LIMITS;
  const { snapshots, now } = options;
  let salt: Promise<string> | undefined;
  const addressSalt = () => {
    salt ??= reportAddressSalt(database.db, now()).catch((error) => {
      salt = undefined; // try again on the next report
      throw error;
    });
    return salt;
  };

  app.get<{ Params: { slug: string } }>('/c/:slug/report', async (request, reply) => {
    const snapshot = snapshots.current;
    const community = snapshot.communities.find((c) => c.slug === request.params.slug);
    if (!community) return notFoundPage(reply, request.params.slug);
    const page = renderReportFormPage(snapshot.pageName, community, { maxChars: limits.descriptionMaxChars });
    return reply.type(HTML).send(page);
  });

  app.get<{ Params: { slug: string }; Querystring: { known?: string } }>(
    '/c/:slug/report/thanks',
    async (request, reply) => {
      const community = snapshots.current.communities.find((c) => c.slug === request.params.slug);
      if (!community) return notFoundPage(reply, request.params.slug);
      const known = request.query.known === '1';
      return reply.type(HTML).send(renderReportThanksPage(snapshots.current.pageName, community, known));
    },
  );

  app.post<{ Params: { slug: string } }>(
    '/c/:slug/report',
    {
      bodyLimit: limits.bodyBytes,
      // A form post gets HTML even when its body is refused before the handler runs (too large).
      errorHandler: (error, request, reply) => {
        const status = (error as { statusCode?: unknown }).statusCode;
        if (!isForm(request) || status !== 413) throw error;
        const problem = {
          field: 'description',
          reason: 'the report is too long; shorten it and send it again',
        };
        return formProblem(reply, 413, request.params.slug, problem, {});
      },
    },
    async (request, reply) => {
      const form = isForm(request);
      const slug = request.params.slug;
      const community = await findReportCommunity(database.db, slug);
      if (!community) {
        if (form) return notFoundPage(reply, slug);
        throw new ApiError('not_found', `no community "${slug}"`, {
          hint: 'use the slug from the community page address, /c/<slug>',
        });
      }
      const body = request.body;
      if (isHoneypotFilled(body)) {
        // Answered like a success so the bot learns nothing; only the log knows.
        request.log.info({ community: slug, honeypot: true }, 'community report dropped: honeypot filled');
        return accepted(reply, form, slug, { id: newId('rpt', now()), state: 'new' });
      }
      const values = formValues(body);
      const read = readReportSubmission(body, limits);
      if (!read.ok) return invalid(reply, form, community, read.error, values);
      const component = resolveReportComponent(read.submission.componentRef, community.components);
      if ('error' in component) return invalid(reply, form, community, component.error, values);

      const at = now();
      const result = await submitReport(
        database,
        {
          communityId: community.id,
          componentId: component.componentId,
          description: read.submission.description,
          contact: read.submission.contact,
          addressHash: hashReportAddress(await addressSalt(), request.ip),
        },
        limits,
        at,
      );
      if ('refused' in result) {
        const { limit, retryAfterMs } = result.refused;
        request.log.info({ community: slug, limit }, 'community report refused: limit reached');
        const sentence = limitSentence(limit, retryAfterMs);
        reply.code(429).header('retry-after', String(Math.ceil(retryAfterMs / 1000)));
        if (form) return reply.type(HTML).send(renderReportRefusedPage(pageName(), community, sentence));
        return reply.send(
          new ApiError('rate_limited', sentence, { hint: 'wait for the Retry-After seconds' }).toJSON(),
        );
      }
      const { report } = result;
      request.log.info(
        { community: slug, report: report.id, state: report.state },
        'community report received',
      );
      return accepted(reply, form, slug, { id: report.id, state: report.state });
    },
  );

  registerReportInboxRoutes(app, database, options);

  function pageName(): string {
    return snapshots.current.pageName;
  }

  function notFoundPage(reply: FastifyReply, slug: string) {
    return reply.code(404).type(HTML).send(renderNotFoundPage(pageName(), slug));
  }

  function accepted(reply: FastifyReply, form: boolean, slug: string, report: { id: string; state: string }) {
    if (!form) return reply.code(201).send(report);
    // Post/redirect/get: reloading the thank-you page does not send the report again.
    const known = report.state === 'linked' ? '?known=1' : '';
    return reply
      .code(303)
      .header('location', `/c/${encodeURIComponent(slug)}/report/thanks${known}`)
      .send();
  }

  function invalid(
    reply: FastifyReply,
    form: boolean,
    community: ReportPageCommunity,
    error: ReportFieldError,
    values: Record<string, string>,
  ) {
    if (!form)
      throw new ApiError('invalid_request', `${error.field}: ${error.reason}`, { field: error.field });
    return reply
      .code(400)
      .type(HTML)
      .send(
        renderReportFormPage(pageName(), community, {
          values,
          problem: error,
          maxChars: limits.descriptionMaxChars,
        }),
      );
  }

  function formProblem(
    reply: FastifyReply,
    status: number,
    slug: string,
    problem: ReportFieldError,
    values: Record<string, string>,
  ) {
    const community = snapshots.current.communities.find((c) => c.slug === slug);
    if (!community) return notFoundPage(reply, slug);
    const page = renderReportFormPage(pageName(), community, {
      values,
      problem,
      maxChars: limits.descriptionMaxChars,
    });
    return reply.code(status).type(HTML).send(page);
  }
}

function isForm(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/x-www-form-urlencoded');
}

/** What the reporter typed, to show it again on a refused form (text fields only). */
function formValues(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  const values: Record<string, string> = {};
  for (const field of ['description', 'component', 'contact']) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === 'string') values[field] = value;
  }
  return values;
}
