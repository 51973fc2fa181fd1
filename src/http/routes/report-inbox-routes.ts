import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SnapshotCache } from '../../app/snapshot-cache.js';
import { IMPACTS } from '../../oncall/urgency-matrix.js';
import type { Database } from '../../store/database.js';
import { loadIncidentSettings } from '../../store/incident-repository.js';
import { getReport, listReports, REPORT_STATES, type ReportView } from '../../store/report-queries.js';
import {
  dismissReport,
  linkReport,
  openIncidentFromReport,
  type TriageActor,
} from '../../store/report-triage.js';
import { requireScope } from '../auth.js';
import { ApiError } from '../errors.js';
import { parseBody } from '../parse-body.js';

const person = z.string().trim().min(1, 'must not be blank').max(200, 'at most 200 characters');

const listQuery = z.strictObject({
  state: z
    .enum([...REPORT_STATES, 'all'], { error: `use one of ${[...REPORT_STATES, 'all'].join(', ')}` })
    .default('new'),
  before: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/**
 * The triage inbox for community reports: list (default the `new` ones, newest first) and read with the
 * `read` scope; link to an incident, open an incident from a report, or dismiss with `write`. The acting
 * person is the token's name unless the body says `as`.
 */
export function registerReportInboxRoutes(
  app: FastifyInstance,
  database: Database,
  options: { readonly now: () => number; readonly snapshots: Pick<SnapshotCache, 'current' | 'invalidate'> },
): void {
  const { db } = database;

  app.get('/api/v1/reports', async (request) => {
    await requireScope(db, request, 'read');
    const q = parseBody(listQuery, request.query, 'query');
    const page = await listReports(db, {
      state: q.state,
      limit: q.limit,
      ...(q.before ? { before: q.before } : {}),
    });
    return { reports: page.reports.map(toApiReport), next: page.next };
  });

  app.get<{ Params: { id: string } }>('/api/v1/reports/:id', async (request) => {
    await requireScope(db, request, 'read');
    const report = await getReport(db, request.params.id);
    if (!report) {
      throw new ApiError('not_found', `no community report ${request.params.id}`, {
        hint: 'list reports with GET /api/v1/reports?state=all',
      });
    }
    return { report: toApiReport(report) };
  });

  const action = <S extends z.ZodType>(
    path: string,
    schema: S,
    run: (id: string, actor: TriageActor, body: z.output<S>) => Promise<Record<string, unknown>>,
  ) =>
    app.post<{ Params: { id: string } }>(`/api/v1/reports/:id/${path}`, async (request) => {
      const identity = await requireScope(db, request, 'write');
      const body = parseBody(schema, request.body) as z.output<S> & { as?: string };
      // A refused action (ReportTriageError, IncidentError) is answered by the server's error handler.
      return run(request.params.id, { name: body.as ?? identity.name, now: options.now() }, body);
    });

  action(
    'link',
    z.strictObject({ as: person.optional(), incident_id: z.string().min(1).max(100) }),
    async (id, actor, body) => ({
      report: toApiReport(await linkReport(database, id, body.incident_id, actor)),
    }),
  );

  action(
    'incident',
    z.strictObject({
      as: person.optional(),
      title: z.string().trim().min(1, 'must not be blank').max(200, 'at most 200 characters').optional(),
      impact: z
        .enum(IMPACTS as [string, ...string[]], { error: `use one of ${IMPACTS.join(', ')}` })
        .default('minor'),
      draft: z.boolean().optional(),
      message: z.string().trim().min(1, 'must not be blank').max(5000, 'at most 5000 characters').optional(),
    }),
    async (id, actor, body) => {
      const snapshot = options.snapshots.current;
      const settings = await loadIncidentSettings(db, {
        pageUrl: snapshot.pageUrl,
        pageName: snapshot.pageName,
      });
      const { report, incident } = await openIncidentFromReport(
        database,
        id,
        {
          impact: body.impact as (typeof IMPACTS)[number],
          ...(body.title ? { title: body.title } : {}),
          ...(body.draft === undefined ? {} : { draft: body.draft }),
          ...(body.message ? { message: body.message } : {}),
        },
        settings,
        actor,
      );
      options.snapshots.invalidate(); // a published incident shows on the page at once
      return {
        report: toApiReport(report),
        incident: {
          id: incident.id,
          title: incident.title,
          status: incident.status,
          impact: incident.impact,
          severity: incident.severity,
          published: incident.publishedAt !== null,
        },
      };
    },
  );

  action(
    'dismiss',
    z.strictObject({
      as: person.optional(),
      reason: z.string().trim().max(1000, 'at most 1000 characters').optional(),
    }),
    async (id, actor, body) => ({
      report: toApiReport(await dismissReport(db, id, body.reason || null, actor)),
    }),
  );
}

/** A community report as the API shows it (no address hash: it identifies nobody, and helps nobody triage). */
export function toApiReport(report: ReportView) {
  return {
    id: report.id,
    state: report.state,
    community: report.communitySlug,
    community_name: report.communityName,
    component: report.componentRef,
    component_name: report.componentName,
    description: report.description,
    contact: report.contact,
    incident_id: report.incidentId,
    triaged_by: report.triagedBy,
    triaged_at: report.triagedAt,
    triage_note: report.triageNote,
    created_at: report.createdAt,
  };
}
