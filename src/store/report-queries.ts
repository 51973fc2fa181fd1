import type { Kysely, Transaction } from 'kysely';
import type { Schema } from './schema.js';

/** Where a community report is in triage: waiting in the inbox, linked to an incident, or dismissed. */
export const REPORT_STATES = ['new', 'linked', 'dismissed'] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/** A community report with the names the triage inbox shows (never the reporter's address hash). */
export interface ReportView {
  readonly id: string;
  readonly state: ReportState;
  readonly communityId: string;
  /** Null when the community was removed from the config since. */
  readonly communitySlug: string | null;
  readonly communityName: string | null;
  readonly componentId: string | null;
  readonly componentRef: string | null;
  readonly componentName: string | null;
  readonly description: string;
  readonly contact: string | null;
  readonly incidentId: string | null;
  readonly triagedBy: string | null;
  readonly triagedAt: number | null;
  readonly triageNote: string | null;
  readonly createdAt: number;
}

/** One report, or null when there is no report with this id. */
export async function getReport(
  db: Kysely<Schema> | Transaction<Schema>,
  id: string,
): Promise<ReportView | null> {
  const row = await selectViews(db).where('r.id', '=', id).executeTakeFirst();
  return row ? toView(row) : null;
}

/**
 * Reports newest first, in one state or all, `limit` at a time; `next` is the `before` cursor for the
 * following page (null on the last one). Ids sort by creation time, so the cursor is an id.
 */
export async function listReports(
  db: Kysely<Schema>,
  options: { readonly state: ReportState | 'all'; readonly limit: number; readonly before?: string },
): Promise<{ readonly reports: readonly ReportView[]; readonly next: string | null }> {
  let query = selectViews(db);
  if (options.state !== 'all') query = query.where('r.state', '=', options.state);
  if (options.before) query = query.where('r.id', '<', options.before);
  const rows = await query
    .orderBy('r.id', 'desc')
    .limit(options.limit + 1)
    .execute();
  const page = rows.slice(0, options.limit).map(toView);
  return { reports: page, next: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null };
}

function selectViews(db: Kysely<Schema> | Transaction<Schema>) {
  return db
    .selectFrom('community_reports as r')
    .leftJoin('communities as c', 'c.id', 'r.community_id')
    .leftJoin('components as p', 'p.id', 'r.component_id')
    .select([
      'r.id',
      'r.state',
      'r.community_id',
      'c.slug as community_slug',
      'c.name as community_name',
      'r.component_id',
      'p.ref as component_ref',
      'p.name as component_name',
      'r.description',
      'r.contact',
      'r.incident_id',
      'r.triaged_by',
      'r.triaged_at',
      'r.triage_note',
      'r.created_at',
    ]);
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof selectViews>['executeTakeFirstOrThrow']>>;

function toView(row: ViewRow): ReportView {
  return {
    id: row.id,
    state: row.state as ReportState,
    communityId: row.community_id,
    communitySlug: row.community_slug,
    communityName: row.community_name,
    componentId: row.component_id,
    componentRef: row.component_ref,
    componentName: row.component_name,
    description: row.description,
    contact: row.contact,
    incidentId: row.incident_id,
    triagedBy: row.triaged_by,
    triagedAt: row.triaged_at === null ? null : Number(row.triaged_at),
    triageNote: row.triage_note,
    createdAt: Number(row.created_at),
  };
}
