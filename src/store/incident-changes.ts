import type { Kysely } from 'kysely';
import type { Impact } from '../incidents/incident.js';
import { nextUpdateDueAt } from '../incidents/update-cadence.js';
import { rowForImpact } from '../oncall/urgency-matrix.js';
import type { ComponentStatus } from '../statuspage/component-status.js';
import type { Database } from './database.js';
import { IncidentError } from './incident-error.js';
import { type IncidentEventInput, recordIncidentEvents } from './incident-events.js';
import { loadIncidentPolicy } from './incident-policy-repository.js';
import type { IncidentDetail } from './incident-queries.js';
import {
  bumpIncident,
  checkVersion,
  componentsById,
  type IncidentTx,
  setComponentStatuses,
  withIncident,
} from './incident-writes.js';
import { readUrgency } from './oncall-rows.js';
import type { IncidentRow, Schema } from './schema.js';

/** What changeIncident may change; a field left out stays as it is (null clears a role). */
export interface IncidentChanges {
  readonly title?: string;
  readonly impact?: Impact;
  readonly commander?: string | null;
  readonly communications?: string | null;
  /** True holds the incident: automation never moves it to monitoring or resolved. */
  readonly held?: boolean;
  /** The incident version the author saw; another stored version is a conflict. */
  readonly expectedVersion?: number;
}

type Event = Omit<IncidentEventInput, 'incidentId' | 'actor' | 'at'>;

/**
 * Changes title, impact (and with it severity and the next update's due time), roles or the hold, in
 * one transaction with one timeline event per field that changed. Changing nothing writes nothing.
 * Throws IncidentError (not_found, conflict).
 */
export async function changeIncident(
  database: Database,
  id: string,
  changes: IncidentChanges,
  actor: string,
  now: number,
): Promise<IncidentDetail> {
  return withIncident(database, id, async ({ tx }, row) => {
    checkVersion(row, changes.expectedVersion);
    const set: Parameters<typeof bumpIncident>[2] = {};
    const events: Event[] = [];
    if (changes.title !== undefined && changes.title !== row.title) {
      Object.assign(set, { title: changes.title });
      events.push({
        kind: 'title_changed',
        summary: `Title changed to "${changes.title}"`,
        data: { from: row.title, to: changes.title },
      });
    }
    if (changes.impact !== undefined && changes.impact !== row.impact) {
      const severity = rowForImpact(await readUrgency(tx), changes.impact).severity;
      Object.assign(set, {
        impact: changes.impact,
        severity,
        ...(await dueAfterImpact(tx, row, changes.impact)),
      });
      events.push({
        kind: 'impact_changed',
        summary: `Impact changed from ${row.impact} to ${changes.impact} (${severity})`,
        data: { from: row.impact, to: changes.impact, severity },
      });
    }
    for (const role of ['commander', 'communications'] as const) {
      const person = changes[role];
      if (person === undefined || person === row[role]) continue;
      Object.assign(set, { [role]: person });
      events.push({
        kind: 'role_assigned',
        summary: person === null ? `${row[role]} is no longer ${role}` : `${person} is ${role}`,
        data: { role, person, previous: row[role] },
      });
    }
    if (changes.held !== undefined && changes.held !== (Number(row.held) === 1)) {
      Object.assign(set, { held: changes.held ? 1 : 0 });
      events.push(
        changes.held
          ? { kind: 'held', summary: `Held by ${actor}: automation will not move it`, data: null }
          : { kind: 'released', summary: `Released by ${actor}: automation may move it again`, data: null },
      );
    }
    if (events.length === 0) return;
    await bumpIncident(tx, row, set, now);
    await recordIncidentEvents(
      tx,
      events.map((e) => ({ ...e, incidentId: id, actor, at: now })),
    );
  });
}

/**
 * Adds components to an incident (automation joining one), or sets the status of those it already
 * has; one `component_added` or `component_status` event each. Posts no public update. Throws
 * IncidentError (not_found; invalid_request for an unknown component id).
 */
export async function addIncidentComponents(
  database: Database,
  id: string,
  components: readonly { readonly componentId: string; readonly status: ComponentStatus }[],
  actor: string,
  now: number,
): Promise<IncidentDetail> {
  return withIncident(database, id, async ({ tx }, row) => {
    const infos = await componentsById(
      tx,
      components.map((c) => c.componentId),
    );
    const unknown = components.filter((c) => !infos.has(c.componentId)).map((c) => c.componentId);
    if (unknown.length > 0) {
      throw new IncidentError('invalid_request', `no component with id ${unknown.join(', ')}`, {
        field: 'components',
      });
    }
    const { events } = await setComponentStatuses(
      tx,
      id,
      new Map(components.map((c) => [c.componentId, c.status])),
      now,
    );
    if (events.length === 0) return;
    await bumpIncident(tx, row, {}, now);
    await recordIncidentEvents(
      tx,
      events.map((e) => ({ ...e, incidentId: id, actor, at: now })),
    );
  });
}

/**
 * Links an alert to an incident (linking it again changes nothing). An alert that fired before the
 * incident was detected moves detection earlier and credits monitoring (lead time over the first
 * community report). Throws IncidentError (not_found for the incident or the alert).
 */
export async function linkAlertToIncident(
  database: Database,
  incidentId: string,
  alertId: string,
  actor: string,
  now: number,
): Promise<IncidentDetail> {
  return withIncident(database, incidentId, (t, row) => linkAlertIn(t, row, alertId, actor, now));
}

/** linkAlertToIncident inside the caller's transaction, on the incident row it locked. */
export async function linkAlertIn(
  { tx }: IncidentTx,
  row: IncidentRow,
  alertId: string,
  actor: string,
  now: number,
): Promise<void> {
  const alert = await tx
    .selectFrom('alerts')
    .select(['id', 'summary', 'fired_at'])
    .where('id', '=', alertId)
    .executeTakeFirst();
  if (!alert) {
    throw new IncidentError('not_found', `no alert ${alertId}`, {
      hint: 'list alerts with GET /api/v1/alerts',
    });
  }
  const linked = await tx
    .insertInto('incident_alerts')
    .values({ incident_id: row.id, alert_id: alertId, linked_at: now })
    .onConflict((oc) => oc.columns(['incident_id', 'alert_id']).doNothing())
    .executeTakeFirst();
  if (Number(linked.numInsertedOrUpdatedRows ?? 0) === 0) return;
  const firedAt = Number(alert.fired_at);
  const earlier = firedAt < Number(row.detected_at);
  const firstReport = row.first_report_at === null ? null : Number(row.first_report_at);
  await bumpIncident(
    tx,
    row,
    earlier
      ? {
          detected_at: firedAt,
          detection_source: 'monitoring',
          lead_time_ms: firstReport === null ? null : firstReport - firedAt,
        }
      : {},
    now,
  );
  await recordIncidentEvents(tx, [
    {
      incidentId: row.id,
      kind: 'alert_linked',
      actor,
      summary: `Alert linked: ${alert.summary}${earlier ? ' (it fired before the incident was detected)' : ''}`,
      data: { alert_id: alertId, fired_at: firedAt, detection_moved: earlier },
      at: now,
    },
  ]);
}

/**
 * Records when every affected component was seen operational again (`at`), or that recovery is off
 * again (null): the automation engine's quiet period counts from it. One `recovered` event; the same
 * value again writes nothing.
 */
export async function markRecovered(
  database: Database,
  id: string,
  at: number | null,
  actor: string,
  now: number,
): Promise<IncidentDetail> {
  return withIncident(database, id, async ({ tx }, row) => {
    const current = row.recovered_at === null ? null : Number(row.recovered_at);
    if (current === at) return;
    await bumpIncident(tx, row, { recovered_at: at }, now);
    await recordIncidentEvents(tx, [
      {
        incidentId: id,
        kind: 'recovered',
        actor,
        summary:
          at === null
            ? 'Recovery over: an affected component is failing again'
            : 'Every affected component is operational again',
        data: { recovered_at: at },
        at: now,
      },
    ]);
  });
}

/** The next update's due time after an impact change: the new cadence from the last published update. */
async function dueAfterImpact(
  tx: Kysely<Schema>,
  row: IncidentRow,
  impact: Impact,
): Promise<{ next_update_due_at?: number | null }> {
  if (row.published_at === null || row.status === 'resolved' || row.status === 'postmortem') return {};
  const last = await tx
    .selectFrom('incident_updates')
    .select((eb) => eb.fn.max('published_at').as('at'))
    .where('incident_id', '=', row.id)
    .where('kind', '=', 'public')
    .where('state', '=', 'published')
    .executeTakeFirst();
  const from = last?.at == null ? Number(row.published_at) : Number(last.at);
  return { next_update_due_at: nextUpdateDueAt(impact, await loadIncidentPolicy(tx), from) };
}
