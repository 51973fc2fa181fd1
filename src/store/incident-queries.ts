import type { Kysely } from 'kysely';
import {
  type AffectedComponent,
  type ComponentStatusChange,
  type DetectionSource,
  type Impact,
  type IncidentOrigin,
  type IncidentStatus,
  OPEN_INCIDENT_STATUSES,
  type UpdateKind,
  type UpdateState,
} from '../incidents/incident.js';
import type { ComponentStatus } from '../statuspage/component-status.js';
import type { IncidentRow, Schema } from './schema.js';

/** A component an incident affects, with the slug of its community (null for shared components). */
export interface IncidentComponent extends AffectedComponent {
  readonly community: string | null;
}

/** An incident as lists show it: its fields (times in epoch ms) and the components it affects. */
export interface IncidentSummary {
  readonly id: string;
  readonly title: string;
  readonly status: IncidentStatus;
  readonly impact: Impact;
  /** P1…P4: the urgency matrix's row for the impact when it was last set. */
  readonly severity: string;
  readonly origin: IncidentOrigin;
  readonly detectionSource: DetectionSource;
  readonly detectedAt: number;
  readonly firstReportAt: number | null;
  /** How long before the first community report monitoring knew (positive = monitoring was first). */
  readonly leadTimeMs: number | null;
  readonly commander: string | null;
  readonly communications: string | null;
  /** A human holds it: automation never moves it to monitoring or resolved. */
  readonly held: boolean;
  /** Null while it is an unpublished draft. */
  readonly publishedAt: number | null;
  readonly recoveredAt: number | null;
  readonly monitoringAt: number | null;
  readonly resolvedAt: number | null;
  readonly postmortemAt: number | null;
  readonly nextUpdateDueAt: number | null;
  readonly updateReminders: number;
  /** Bumped on every change; send it back to make a change conditional on nobody else's. */
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly components: readonly IncidentComponent[];
}

/** A public update or an internal note; drafts wait for publishIncident. */
export interface IncidentUpdate {
  readonly id: string;
  readonly kind: UpdateKind;
  readonly status: IncidentStatus;
  /** Markdown. */
  readonly body: string;
  /** Component statuses this update changed (or, for the first one, set). */
  readonly affected: readonly ComponentStatusChange[];
  readonly author: string;
  readonly state: UpdateState;
  readonly createdAt: number;
  readonly publishedAt: number | null;
}

/** One line of an incident's timeline: an incident event, or an event of an alert linked to it. */
export interface TimelineEntry {
  readonly at: number;
  readonly kind: string;
  readonly actor: string;
  readonly summary: string;
  readonly source: 'incident' | 'alert';
  /** The alert an `alert` entry belongs to. */
  readonly alertId: string | null;
  readonly data: Readonly<Record<string, unknown>> | null;
}

/** Everything about one incident: updates newest first (drafts and notes included), timeline oldest first. */
export interface IncidentDetail extends IncidentSummary {
  readonly updates: readonly IncidentUpdate[];
  readonly timeline: readonly TimelineEntry[];
  readonly alertIds: readonly string[];
  /** Community reports linked to it. */
  readonly reportIds: readonly string[];
}

/** Which incidents a list holds: open (investigating, identified, monitoring), resolved (or postmortem), or all. */
export type IncidentListState = 'open' | 'resolved' | 'all';

/** The incident `id` with its components, updates, merged timeline, alerts and reports; null when there is none. */
export async function getIncident(db: Kysely<Schema>, id: string): Promise<IncidentDetail | null> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const [components, updates, events, alertEvents, alerts, reports] = await Promise.all([
    componentsOf(db, [id]),
    db
      .selectFrom('incident_updates')
      .selectAll()
      .where('incident_id', '=', id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute(),
    db.selectFrom('incident_events').selectAll().where('incident_id', '=', id).orderBy('id').execute(),
    db
      .selectFrom('alert_events')
      .innerJoin('incident_alerts', 'incident_alerts.alert_id', 'alert_events.alert_id')
      .innerJoin('alerts', 'alerts.id', 'alert_events.alert_id')
      .select([
        'alert_events.id',
        'alert_events.alert_id',
        'alert_events.kind',
        'alert_events.actor',
        'alert_events.reason',
        'alert_events.data',
        'alert_events.at',
        'alerts.summary',
      ])
      .where('incident_alerts.incident_id', '=', id)
      .orderBy('alert_events.id')
      .execute(),
    db
      .selectFrom('incident_alerts')
      .select('alert_id')
      .where('incident_id', '=', id)
      .orderBy('linked_at')
      .orderBy('alert_id')
      .execute(),
    db
      .selectFrom('community_reports')
      .select('id')
      .where('incident_id', '=', id)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  const timeline: TimelineEntry[] = [
    ...events.map((e) => ({
      at: Number(e.at),
      kind: e.kind,
      actor: e.actor,
      summary: e.summary,
      source: 'incident' as const,
      alertId: null,
      data: parseData(e.data),
    })),
    ...alertEvents.map((e) => ({
      at: Number(e.at),
      kind: e.kind,
      actor: e.actor,
      summary: `Alert "${e.summary}": ${e.kind.replaceAll('_', ' ')}${e.reason ? ` — ${e.reason}` : ''}`,
      source: 'alert' as const,
      alertId: e.alert_id,
      data: parseData(e.data),
    })),
  ];
  // A stable sort keeps each source's own order (by id, i.e. by writing) among equal times.
  timeline.sort((a, b) => a.at - b.at);
  return {
    ...toSummary(row, components.get(id) ?? []),
    updates: updates.map((u) => ({
      id: u.id,
      kind: u.kind as UpdateKind,
      status: u.status as IncidentStatus,
      body: u.body,
      affected: parseAffected(u.affected),
      author: u.author,
      state: u.state as UpdateState,
      createdAt: Number(u.created_at),
      publishedAt: nullableNumber(u.published_at),
    })),
    timeline,
    alertIds: alerts.map((a) => a.alert_id),
    reportIds: reports.map((r) => r.id),
  };
}

/**
 * Incidents newest first, `limit` at a time; `before` (an incident id, the previous page's `next`)
 * continues a list. `next` is null on the last page.
 */
export async function listIncidents(
  db: Kysely<Schema>,
  options: { readonly state: IncidentListState; readonly limit: number; readonly before?: string },
): Promise<{ readonly incidents: readonly IncidentSummary[]; readonly next: string | null }> {
  let query = db.selectFrom('incidents').selectAll();
  if (options.state === 'open') query = query.where('status', 'in', [...OPEN_INCIDENT_STATUSES]);
  if (options.state === 'resolved') query = query.where('status', 'in', ['resolved', 'postmortem']);
  if (options.before) query = query.where('id', '<', options.before);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(options.limit + 1)
    .execute();
  const page = rows.slice(0, options.limit);
  const components = await componentsOf(
    db,
    page.map((r) => r.id),
  );
  return {
    incidents: page.map((row) => toSummary(row, components.get(row.id) ?? [])),
    next: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** Open incidents (drafts included) affecting any of `componentIds`, oldest first. */
export async function openIncidentsForComponents(
  db: Kysely<Schema>,
  componentIds: readonly string[],
): Promise<IncidentRow[]> {
  if (componentIds.length === 0) return [];
  return db
    .selectFrom('incidents')
    .selectAll()
    .where('status', 'in', [...OPEN_INCIDENT_STATUSES])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('incident_components')
          .select('incident_components.incident_id')
          .whereRef('incident_components.incident_id', '=', 'incidents.id')
          .where('incident_components.component_id', 'in', [...componentIds]),
      ),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The incident fields of a row, as the API and other stages read them. */
export function toSummary(row: IncidentRow, components: readonly IncidentComponent[]): IncidentSummary {
  return {
    id: row.id,
    title: row.title,
    status: row.status as IncidentStatus,
    impact: row.impact as Impact,
    severity: row.severity,
    origin: row.origin as IncidentOrigin,
    detectionSource: row.detection_source as DetectionSource,
    detectedAt: Number(row.detected_at),
    firstReportAt: nullableNumber(row.first_report_at),
    leadTimeMs: nullableNumber(row.lead_time_ms),
    commander: row.commander,
    communications: row.communications,
    held: Number(row.held) === 1,
    publishedAt: nullableNumber(row.published_at),
    recoveredAt: nullableNumber(row.recovered_at),
    monitoringAt: nullableNumber(row.monitoring_at),
    resolvedAt: nullableNumber(row.resolved_at),
    postmortemAt: nullableNumber(row.postmortem_at),
    nextUpdateDueAt: nullableNumber(row.next_update_due_at),
    updateReminders: Number(row.update_reminders),
    version: Number(row.version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    components,
  };
}

/** The components of each incident in `ids`, in the order they joined. */
async function componentsOf(
  db: Kysely<Schema>,
  ids: readonly string[],
): Promise<Map<string, IncidentComponent[]>> {
  const byIncident = new Map<string, IncidentComponent[]>();
  if (ids.length === 0) return byIncident;
  const rows = await db
    .selectFrom('incident_components')
    .innerJoin('components', 'components.id', 'incident_components.component_id')
    .leftJoin('communities', 'communities.id', 'components.community_id')
    .select([
      'incident_components.incident_id',
      'incident_components.component_id',
      'incident_components.status',
      'components.ref',
      'components.name',
      'communities.slug',
    ])
    .where('incident_components.incident_id', 'in', [...ids])
    .orderBy('incident_components.added_at')
    .orderBy('components.ref')
    .execute();
  for (const row of rows) {
    const list = byIncident.get(row.incident_id) ?? [];
    list.push({
      componentId: row.component_id,
      ref: row.ref,
      name: row.name,
      status: row.status as ComponentStatus,
      community: row.slug,
    });
    byIncident.set(row.incident_id, list);
  }
  return byIncident;
}

/** Stored `affected` JSON ([{component_id, name, old_status, new_status}]) as ComponentStatusChanges. */
function parseAffected(json: string): ComponentStatusChange[] {
  const rows = JSON.parse(json) as {
    component_id: string;
    name: string;
    old_status: ComponentStatus;
    new_status: ComponentStatus;
  }[];
  return rows.map((r) => ({
    componentId: r.component_id,
    name: r.name,
    oldStatus: r.old_status,
    newStatus: r.new_status,
  }));
}

function parseData(json: string | null): Readonly<Record<string, unknown>> | null {
  return json === null ? null : (JSON.parse(json) as Record<string, unknown>);
}

function nullableNumber(value: number | null): number | null {
  return value === null ? null : Number(value);
}
