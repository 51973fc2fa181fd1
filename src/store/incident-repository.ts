import type { Kysely, Transaction } from 'kysely';
import { templatedUpdate, type UpdateMoment } from '../incidents/first-update.js';
import type { DetectionSource, Impact, IncidentOrigin, IncidentStatus } from '../incidents/incident.js';
import type { IncidentPolicy } from '../incidents/incident-policy.js';
import { nextUpdateDueAt } from '../incidents/update-cadence.js';
import { rowForImpact, type UrgencyMatrix } from '../oncall/urgency-matrix.js';
import type { ComponentStatus } from '../statuspage/component-status.js';
import type { Database } from './database.js';
import { IncidentError } from './incident-error.js';
import { type IncidentEventInput, recordIncidentEvents } from './incident-events.js';
import { getIncident, type IncidentDetail } from './incident-queries.js';
import {
  type AffectedEntry,
  componentLabel,
  componentsByRef,
  type IncidentTx,
  insertUpdate,
  noticeUpdate,
} from './incident-writes.js';
import { newId } from './new-id.js';
import type { Schema } from './schema.js';

// The incident store. This file declares incidents; the others of store/incident-*.ts post updates,
// publish, change, link and query, and are re-exported here so callers import from one place
// (except incident-from-alert.ts, which builds on declareIncidentIn).
export {
  addIncidentComponents,
  changeIncident,
  type IncidentChanges,
  linkAlertToIncident,
  markRecovered,
} from './incident-changes.js';
export { IncidentError } from './incident-error.js';
export { loadIncidentPolicy, loadIncidentSettings } from './incident-policy-repository.js';
export {
  getIncident,
  type IncidentComponent,
  type IncidentDetail,
  type IncidentListState,
  type IncidentSummary,
  type IncidentUpdate,
  listIncidents,
  openIncidentsForComponents,
  type TimelineEntry,
} from './incident-queries.js';
export { type IncidentUpdateInput, postIncidentUpdate, publishIncident } from './incident-updates.js';

/** What incident writes need besides the database: the urgency matrix, the policy and the public page. */
export interface IncidentSettings {
  readonly matrix: UrgencyMatrix;
  readonly policy: IncidentPolicy;
  readonly pageUrl: string;
  readonly pageName: string;
}

/** A new incident: what it is, what it affects, its first public update and how it was found. */
export interface DeclareIncidentInput {
  readonly title: string;
  readonly impact: Impact;
  /** Default investigating; postmortem is refused (an incident gets there from resolved). */
  readonly status?: IncidentStatus;
  readonly components: readonly { readonly ref: string; readonly status: ComponentStatus }[];
  /** Markdown of the first public update; null = the template (first-update.ts). */
  readonly message: string | null;
  /** True: the incident is unpublished and its first update a draft, until publishIncident. */
  readonly draft: boolean;
  readonly origin: IncidentOrigin;
  readonly detectionSource: DetectionSource;
  readonly detectedAt: number;
  readonly commander?: string | null;
  readonly communications?: string | null;
  readonly alertIds?: readonly string[];
  readonly actor: string;
}

/**
 * Declares an incident in one transaction: the incident, its components, the first public update
 * (published, with subscriber notices, unless `draft`), linked alerts and one timeline event per fact.
 * Returns the incident, or the component refs and alert ids that name nothing (then nothing is written).
 */
export async function declareIncident(
  database: Database,
  input: DeclareIncidentInput,
  settings: IncidentSettings,
  now: number,
): Promise<{ readonly incident: IncidentDetail } | { readonly unknown: readonly string[] }> {
  return database.db.transaction().execute(async (tx) => {
    const declared = await declareIncidentIn(
      { tx, capabilities: database.capabilities },
      input,
      settings,
      now,
    );
    if ('unknown' in declared) return declared;
    return { incident: (await getIncident(tx, declared.id)) as IncidentDetail };
  });
}

/** declareIncident inside the caller's transaction (declaring from an alert's time-box decision). */
export async function declareIncidentIn(
  t: IncidentTx,
  input: DeclareIncidentInput,
  settings: IncidentSettings,
  now: number,
): Promise<{ readonly id: string } | { readonly unknown: readonly string[] }> {
  const { tx } = t;
  const status = input.status ?? 'investigating';
  if (status === 'postmortem') {
    throw new IncidentError('invalid_request', 'an incident cannot be declared in postmortem', {
      field: 'status',
      hint: 'declare it resolved; it goes to postmortem when its report is published',
    });
  }
  const { found, unknown: unknownRefs } = await componentsByRef(
    tx,
    input.components.map((c) => c.ref),
  );
  const alertIds = [...new Set(input.alertIds ?? [])];
  const alerts = await alertSummaries(tx, alertIds);
  const unknown = [...unknownRefs, ...alertIds.filter((id) => !alerts.has(id))];
  if (unknown.length > 0) return { unknown };

  const id = newId('inc', now);
  const published = !input.draft;
  const open = status !== 'resolved';
  const severity = rowForImpact(settings.matrix, input.impact).severity;
  const due = published && open ? nextUpdateDueAt(input.impact, settings.policy, now) : null;
  await tx
    .insertInto('incidents')
    .values({
      id,
      title: input.title,
      status,
      impact: input.impact,
      severity,
      detection_source: input.detectionSource,
      origin: input.origin,
      detected_at: input.detectedAt,
      first_report_at: null,
      lead_time_ms: null,
      commander: input.commander ?? null,
      communications: input.communications ?? null,
      published_at: published ? now : null,
      recovered_at: null,
      monitoring_at: status === 'monitoring' ? now : null,
      resolved_at: open ? null : now,
      postmortem_at: null,
      next_update_due_at: due,
      created_at: now,
      updated_at: now,
    })
    .execute();

  // One row per component: the last status given for a ref wins.
  const statuses = new Map(input.components.map((c) => [c.ref, c.status]));
  const components = [...statuses].map(([ref, componentStatus]) => ({
    info: found.get(ref)!,
    status: componentStatus,
  }));
  if (components.length > 0) {
    await tx
      .insertInto('incident_components')
      .values(
        components.map((c) => ({
          incident_id: id,
          component_id: c.info.id,
          status: c.status,
          added_at: now,
        })),
      )
      .execute();
  }
  if (alertIds.length > 0) {
    await tx
      .insertInto('incident_alerts')
      .values(alertIds.map((alertId) => ({ incident_id: id, alert_id: alertId, linked_at: now })))
      .execute();
  }

  const moment: UpdateMoment = status === 'monitoring' || status === 'resolved' ? status : 'opening';
  const body =
    input.message ??
    templatedUpdate(moment, {
      components: components.map((c) => ({
        name: c.info.name,
        community: c.info.communityName,
        status: c.status,
      })),
      impact: input.impact,
      nextUpdateInMs: due === null ? null : due - now,
    });
  const affected: AffectedEntry[] = components.map((c) => ({
    component_id: c.info.id,
    name: c.info.name,
    old_status: c.info.status,
    new_status: c.status,
  }));
  const updateId = await insertUpdate(tx, {
    incidentId: id,
    kind: 'public',
    status,
    body,
    affected,
    author: input.actor,
    published,
    now,
  });

  const event = (kind: IncidentEventInput['kind'], summary: string, data?: Record<string, unknown>) => ({
    incidentId: id,
    kind,
    actor: input.actor,
    summary,
    data: data ?? null,
    at: now,
  });
  const names = components.map((c) => componentLabel(c.info));
  await recordIncidentEvents(tx, [
    event(
      'declared',
      `Declared by ${input.actor}: "${input.title}" — ${input.impact} impact (${severity}), ${status}` +
        (names.length > 0 ? `, affecting ${names.join(', ')}` : ''),
      {
        origin: input.origin,
        detection_source: input.detectionSource,
        detected_at: input.detectedAt,
        status,
        impact: input.impact,
        severity,
        components: components.map((c) => ({ ref: c.info.ref, status: c.status })),
        draft: input.draft,
      },
    ),
    ...(['commander', 'communications'] as const).flatMap((role) => {
      const person = input[role];
      return person ? [event('role_assigned', `${person} is ${role}`, { role, person })] : [];
    }),
    ...alertIds.map((alertId) =>
      event('alert_linked', `Alert linked: ${alerts.get(alertId)}`, { alert_id: alertId }),
    ),
    published
      ? event('update_published', `Public update posted (${status})`, { update_id: updateId })
      : event('update_drafted', `Draft update written (${status}) — publish the incident to show it`, {
          update_id: updateId,
        }),
  ]);
  if (published) await noticeUpdate(t, id, updateId, settings, now);
  return { id };
}

async function alertSummaries(
  tx: Kysely<Schema> | Transaction<Schema>,
  ids: readonly string[],
): Promise<ReadonlyMap<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .selectFrom('alerts')
    .select(['id', 'summary'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.summary]));
}
