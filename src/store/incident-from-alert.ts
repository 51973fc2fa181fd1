import { OPEN_INCIDENT_STATUSES } from '../incidents/incident.js';
import type { Impact } from '../oncall/urgency-matrix.js';
import { rowForSeverity } from '../oncall/urgency-matrix.js';
import type { Severity } from '../rules/signal.js';
import { type ComponentStatus, worseStatus } from '../statuspage/component-status.js';
import type { Database } from './database.js';
import { linkAlertIn } from './incident-changes.js';
import { IncidentError } from './incident-error.js';
import { getIncident, type IncidentDetail } from './incident-queries.js';
import { declareIncidentIn, type IncidentSettings } from './incident-repository.js';
import { componentsByRef, type IncidentTx, lockIncident } from './incident-writes.js';
import type { AlertRow } from './schema.js';

/** How to turn an alert into an incident: link it to `incidentId`, or declare one (title etc. optional). */
export interface FromAlertOptions {
  /** Link the alert to this incident instead of declaring a new one. */
  readonly incidentId?: string;
  /** Default: the alert's summary. */
  readonly title?: string;
  /** Markdown of the first update; default the template. */
  readonly message?: string | null;
  /** Default: a draft when the template is used and the policy's first_update is draft. */
  readonly draft?: boolean;
  readonly actor: string;
}

/** The component status an incident of an impact gives a component at least. */
const STATUS_FOR_IMPACT: Readonly<Record<Impact, ComponentStatus>> = {
  critical: 'major_outage',
  major: 'partial_outage',
  minor: 'degraded_performance',
  none: 'operational',
};

/**
 * Declares an incident from an alert, or links the alert to one, inside the caller's transaction.
 * With `incidentId` the alert is linked to that incident. Otherwise, when the alert is already linked
 * to an open incident, that one is the answer; else a new incident is declared: title the alert's
 * summary, impact the urgency matrix's for its severity, its component (when it names a known one),
 * origin `alert`, detection `monitoring` at the alert's firing time, the alert's owner as commander.
 */
export async function incidentFromAlert(
  t: IncidentTx,
  alert: AlertRow,
  options: FromAlertOptions,
  settings: IncidentSettings,
  now: number,
): Promise<{ readonly incidentId: string; readonly declared: boolean }> {
  const { tx } = t;
  if (options.incidentId !== undefined) {
    const row = await lockIncident(t, options.incidentId);
    await linkAlertIn(t, row, alert.id, options.actor, now);
    return { incidentId: row.id, declared: false };
  }
  const open = await tx
    .selectFrom('incident_alerts')
    .innerJoin('incidents', 'incidents.id', 'incident_alerts.incident_id')
    .select('incidents.id')
    .where('incident_alerts.alert_id', '=', alert.id)
    .where('incidents.status', 'in', [...OPEN_INCIDENT_STATUSES])
    .orderBy('incidents.created_at', 'desc')
    .executeTakeFirst();
  if (open) return { incidentId: open.id, declared: false };

  const impact = rowForSeverity(settings.matrix, alert.severity as Severity).impact;
  const { found } = await componentsByRef(tx, alert.component === null ? [] : [alert.component]);
  const components = [...found.values()].map((c) => ({
    ref: c.ref,
    status: worseStatus(c.status, STATUS_FOR_IMPACT[impact]),
  }));
  const message = options.message ?? null;
  const declared = await declareIncidentIn(
    t,
    {
      title: options.title ?? alert.summary,
      impact,
      components,
      message,
      draft: options.draft ?? (message === null && settings.policy.firstUpdate === 'draft'),
      origin: 'alert',
      detectionSource: 'monitoring',
      detectedAt: Number(alert.fired_at),
      commander: alert.owner ?? options.actor,
      alertIds: [alert.id],
      actor: options.actor,
    },
    settings,
    now,
  );
  if ('unknown' in declared)
    throw new Error(`declare from alert ${alert.id}: ${declared.unknown.join(', ')} vanished`);
  return { incidentId: declared.id, declared: true };
}

/**
 * incidentFromAlert in a transaction of its own, for the alert `alertId`; returns the incident and
 * whether it was declared (false: linked). Throws IncidentError not_found without such an alert.
 */
export async function declareIncidentFromAlert(
  database: Database,
  alertId: string,
  options: FromAlertOptions,
  settings: IncidentSettings,
  now: number,
): Promise<{ readonly incident: IncidentDetail; readonly declared: boolean }> {
  return database.db.transaction().execute(async (tx) => {
    const alert = await tx.selectFrom('alerts').selectAll().where('id', '=', alertId).executeTakeFirst();
    if (!alert) {
      throw new IncidentError('not_found', `no alert ${alertId}`, {
        hint: 'list alerts with GET /api/v1/alerts',
      });
    }
    const result = await incidentFromAlert(
      { tx, capabilities: database.capabilities },
      alert,
      options,
      settings,
      now,
    );
    return {
      incident: (await getIncident(tx, result.incidentId)) as IncidentDetail,
      declared: result.declared,
    };
  });
}
