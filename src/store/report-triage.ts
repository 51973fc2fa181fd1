import type { Kysely, Transaction } from 'kysely';
import type { DetectionSource, Impact } from '../incidents/incident.js';
import { detectionAfterReport } from '../ingest/community-report.js';
import type { Capabilities } from './capabilities.js';
import type { Database } from './database.js';
import { recordIncidentEvents } from './incident-events.js';
import {
  declareIncidentIn,
  getIncident,
  type IncidentDetail,
  type IncidentSettings,
} from './incident-repository.js';
import { RefusedWrite } from './refused-write.js';
import { getReport, type ReportState, type ReportView } from './report-queries.js';
import type { Schema } from './schema.js';

type Tx = Transaction<Schema>;

/** Why a triage action cannot be done: no such report or incident, or the report was triaged already. */
export class ReportTriageError extends RefusedWrite {
  override readonly name = 'ReportTriageError';

  constructor(
    code: 'not_found' | 'conflict',
    message: string,
    details: { hint?: string; field?: string } = {},
  ) {
    super(code, message, details);
  }
}

/** Who triages, and when. */
export interface TriageActor {
  readonly name: string;
  readonly now: number;
}

/**
 * States a person may link from: a new report, or one dismissed by mistake. A linked report stays
 * linked: its incident's first_report_at and lead time were computed from it.
 */
export const LINKABLE_STATES: readonly ReportState[] = ['new', 'dismissed'];

/**
 * Links a report to an incident: the report becomes `linked`, the incident's first_report_at, lead time and
 * detection source follow detectionAfterReport, and a `report_linked` event joins its timeline — all in one
 * transaction. Throws ReportTriageError when either is missing or the report is not in `LINKABLE_STATES`.
 */
export async function linkReport(
  database: Database,
  reportId: string,
  incidentId: string,
  actor: TriageActor,
): Promise<ReportView> {
  return database.db.transaction().execute(async (tx) => {
    const report = await requireReport(tx, reportId);
    await linkReportWithin(tx, database.capabilities, report, incidentId, actor, LINKABLE_STATES);
    return requireReport(tx, reportId);
  });
}

/** Dismisses a new report (spam, not a problem, duplicate) with an optional note saying why. */
export async function dismissReport(
  db: Kysely<Schema>,
  reportId: string,
  note: string | null,
  actor: TriageActor,
): Promise<ReportView> {
  return db.transaction().execute(async (tx) => {
    const report = await requireReport(tx, reportId);
    const result = await tx
      .updateTable('community_reports')
      .set({ state: 'dismissed', triaged_by: actor.name, triaged_at: actor.now, triage_note: note })
      .where('id', '=', reportId)
      .where('state', '=', 'new')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw alreadyTriaged(report, ['new']);
    return requireReport(tx, reportId);
  });
}

/** What a person chooses when opening an incident from a report; the rest comes from the report. */
export interface IncidentFromReport {
  /** Default: "<community>: problems reported[ with <component>]". */
  readonly title?: string;
  readonly impact: Impact;
  /** Default: the incident policy's first update (draft when the policy holds first updates). */
  readonly draft?: boolean;
  /** Markdown of the first public update; default the template. Never the reporter's words. */
  readonly message?: string;
}

/**
 * Opens an incident from a new (or dismissed) report and links the report to it, in one transaction:
 * origin `report`, detection source `community`, detected at the report's time, affecting the report's
 * component (partial outage) or nothing. Throws ReportTriageError when the report is missing or already
 * linked, or its component no longer exists; IncidentError from declaring passes through.
 */
export async function openIncidentFromReport(
  database: Database,
  reportId: string,
  choice: IncidentFromReport,
  settings: IncidentSettings,
  actor: TriageActor,
): Promise<{ readonly report: ReportView; readonly incident: IncidentDetail }> {
  return database.db.transaction().execute(async (tx) => {
    const report = await requireReport(tx, reportId);
    if (!LINKABLE_STATES.includes(report.state)) throw alreadyTriaged(report, LINKABLE_STATES);
    const community = report.communityName ?? report.communitySlug ?? 'Community';
    const declared = await declareIncidentIn(
      { tx, capabilities: database.capabilities },
      {
        title:
          choice.title ??
          `${community}: problems reported${report.componentName ? ` with ${report.componentName}` : ''}`,
        impact: choice.impact,
        components: report.componentRef ? [{ ref: report.componentRef, status: 'partial_outage' }] : [],
        message: choice.message ?? null,
        draft: choice.draft ?? settings.policy.firstUpdate === 'draft',
        origin: 'report',
        detectionSource: 'community',
        detectedAt: report.createdAt,
        actor: actor.name,
      },
      settings,
      actor.now,
    );
    if ('unknown' in declared) {
      throw new ReportTriageError(
        'conflict',
        `the report's component ${declared.unknown.join(', ')} no longer exists`,
        {
          hint: 'open the incident with POST /api/v1/incidents, then link the report to it',
        },
      );
    }
    await linkReportWithin(tx, database.capabilities, report, declared.id, actor, LINKABLE_STATES);
    const incident = await getIncident(tx, declared.id);
    if (!incident) throw new Error(`read back incident ${declared.id}: it is missing`);
    return { report: await requireReport(tx, reportId), incident };
  });
}

/**
 * The link itself, inside the caller's transaction (intake's automatic link uses it too). The report
 * update is conditional on its state being one of `from`; the incident update on its version.
 */
export async function linkReportWithin(
  tx: Tx,
  capabilities: Capabilities,
  report: ReportView,
  incidentId: string,
  actor: TriageActor,
  from: readonly ReportState[],
): Promise<void> {
  let select = tx
    .selectFrom('incidents')
    .select(['id', 'title', 'detection_source', 'detected_at', 'first_report_at', 'lead_time_ms', 'version'])
    .where('id', '=', incidentId);
  if (capabilities.rowLocks) select = select.forUpdate();
  const incident = await select.executeTakeFirst();
  if (!incident) {
    throw new ReportTriageError('not_found', `no incident ${incidentId}`, {
      field: 'incident_id',
      hint: 'use the id of an existing incident, or open one from the report: POST /api/v1/reports/{id}/incident',
    });
  }
  const linked = await tx
    .updateTable('community_reports')
    .set({ state: 'linked', incident_id: incidentId, triaged_by: actor.name, triaged_at: actor.now })
    .where('id', '=', report.id)
    .where('state', 'in', [...from])
    .executeTakeFirst();
  if (Number(linked.numUpdatedRows) !== 1) throw alreadyTriaged(report, from);

  const before = {
    detectionSource: incident.detection_source as DetectionSource,
    detectedAt: Number(incident.detected_at),
    firstReportAt: incident.first_report_at === null ? null : Number(incident.first_report_at),
    leadTimeMs: incident.lead_time_ms === null ? null : Number(incident.lead_time_ms),
  };
  const after = detectionAfterReport(before, report.createdAt);
  const updated = await tx
    .updateTable('incidents')
    .set((eb) => ({
      detection_source: after.detectionSource,
      first_report_at: after.firstReportAt,
      lead_time_ms: after.leadTimeMs,
      version: eb('version', '+', 1),
      updated_at: actor.now,
    }))
    .where('id', '=', incidentId)
    .where('version', '=', incident.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new ReportTriageError('conflict', `incident ${incidentId} changed meanwhile; try the link again`);
  }
  await recordIncidentEvents(tx, [
    {
      incidentId,
      kind: 'report_linked',
      actor: actor.name,
      summary: linkSummary(report, before.detectionSource, after),
      data: {
        report_id: report.id,
        community: report.communitySlug,
        component: report.componentRef,
        reported_at: report.createdAt,
        description: report.description.slice(0, 500),
        contact: report.contact,
        first_report_at: after.firstReportAt,
        lead_time_ms: after.leadTimeMs,
        detection_source: after.detectionSource,
      },
      at: actor.now,
    },
  ]);
}

function linkSummary(
  report: ReportView,
  sourceBefore: DetectionSource,
  after: { readonly detectionSource: DetectionSource; readonly leadTimeMs: number | null },
): string {
  const where = report.componentRef ?? report.communitySlug ?? report.communityId;
  const base = `Community report about ${where} linked`;
  if (after.detectionSource === 'community' && sourceBefore !== 'community' && after.leadTimeMs !== null) {
    return `${base}: the community reported it ${minutes(-after.leadTimeMs)} before it was detected, so the detection source is now community`;
  }
  return base;
}

function minutes(ms: number): string {
  const value = Math.round(ms / 60_000);
  return value < 1 ? 'less than a minute' : `${value} min`;
}

async function requireReport(tx: Tx, id: string): Promise<ReportView> {
  const report = await getReport(tx, id);
  if (!report) {
    throw new ReportTriageError('not_found', `no community report ${id}`, {
      hint: 'list reports with GET /api/v1/reports?state=all',
    });
  }
  return report;
}

function alreadyTriaged(report: ReportView, from: readonly ReportState[]): ReportTriageError {
  if (from.includes(report.state)) {
    // It was in a state we could act on when read: someone else triaged it since.
    return new ReportTriageError(
      'conflict',
      `community report ${report.id} was triaged meanwhile; look again`,
      {
        hint: 'GET /api/v1/reports/{id} shows its state now',
      },
    );
  }
  const where = report.incidentId ? ` to incident ${report.incidentId}` : '';
  return new ReportTriageError(
    'conflict',
    `community report ${report.id} is already ${report.state}${where}`,
    {
      hint:
        report.state === 'linked'
          ? 'a linked report stays linked; its incident already counts it'
          : 'a dismissed report can still be linked: POST /api/v1/reports/{id}/link',
    },
  );
}
