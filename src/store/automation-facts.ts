import type { Kysely } from 'kysely';
import type { ComponentFact, OpenIncidentFact } from '../incidents/automation.js';
import { type IncidentOrigin, type IncidentStatus, OPEN_INCIDENT_STATUSES } from '../incidents/incident.js';
import { occurrenceAt } from '../incidents/maintenance-occurrences.js';
import type { Impact } from '../oncall/urgency-matrix.js';
import { type ComponentStatus, isComponentStatus } from '../statuspage/component-status.js';
import { loadRunningMaintenances } from './mute-repository.js';
import type { Schema } from './schema.js';

/** What decideAutomation() reads: the components that matter, the open incidents and when covering incidents closed. */
export interface AutomationFacts {
  /**
   * Components that are not operational, covered by an open incident, or in a running maintenance
   * occurrence. The others (operational, uncovered, no maintenance) decide nothing, and a fleet is mostly
   * them: a turn reads a handful of rows instead of every component.
   */
  readonly components: readonly ComponentFact[];
  readonly incidents: readonly OpenIncidentFact[];
  /** Per component: the latest resolved_at of a closed incident that covered it. */
  readonly resolvedAfter: ReadonlyMap<string, number>;
}

/** Loads the facts for one automation turn in a handful of queries. */
export async function loadAutomationFacts(db: Kysely<Schema>, now: number): Promise<AutomationFacts> {
  // Component refs with an occurrence running now.
  const inMaintenance = new Set(
    (await loadRunningMaintenances(db, now))
      .filter((m) => occurrenceAt(m, now) !== null)
      .flatMap((m) => m.components),
  );
  const [components, dependencies, open, closed] = await Promise.all([
    db
      .selectFrom('components')
      .leftJoin('communities', 'communities.id', 'components.community_id')
      .select([
        'components.id',
        'components.ref',
        'components.name',
        'components.community_id',
        'communities.name as community_name',
        'components.status',
        'components.status_changed_at',
      ])
      .where((eb) =>
        eb.or([
          eb('components.status', '!=', 'operational'),
          eb(
            'components.id',
            'in',
            eb
              .selectFrom('incident_components')
              .innerJoin('incidents', 'incidents.id', 'incident_components.incident_id')
              .select('incident_components.component_id')
              .where('incidents.status', 'in', [...OPEN_INCIDENT_STATUSES]),
          ),
          ...(inMaintenance.size > 0 ? [eb('components.ref', 'in', [...inMaintenance])] : []),
        ]),
      )
      .execute(),
    db.selectFrom('community_dependencies').select(['community_id', 'component_id']).execute(),
    db
      .selectFrom('incidents')
      .leftJoin('incident_components', 'incident_components.incident_id', 'incidents.id')
      .select([
        'incidents.id',
        'incidents.origin',
        'incidents.status',
        'incidents.held',
        'incidents.published_at',
        'incidents.recovered_at',
        'incidents.created_at',
        'incidents.impact',
        'incident_components.component_id',
        'incident_components.status as component_status',
      ])
      .where('incidents.status', 'in', [...OPEN_INCIDENT_STATUSES])
      .orderBy('incidents.created_at')
      .execute(),
    db
      .selectFrom('incidents')
      .innerJoin('incident_components', 'incident_components.incident_id', 'incidents.id')
      .select((eb) => [
        'incident_components.component_id',
        eb.fn.max('incidents.resolved_at').as('resolved_at'),
      ])
      .where('incidents.status', 'not in', [...OPEN_INCIDENT_STATUSES])
      .where('incidents.resolved_at', 'is not', null)
      .groupBy('incident_components.component_id')
      .execute(),
  ]);

  const dependsOn = new Map<string, string[]>();
  for (const d of dependencies) {
    const list = dependsOn.get(d.community_id);
    if (list === undefined) dependsOn.set(d.community_id, [d.component_id]);
    else list.push(d.component_id);
  }

  const incidents = new Map<
    string,
    OpenIncidentFact & { components: OpenIncidentFact['components'][number][] }
  >();
  for (const row of open) {
    const entry = incidents.get(row.id) ?? {
      id: row.id,
      origin: row.origin as IncidentOrigin,
      status: row.status as IncidentStatus,
      held: Number(row.held) === 1,
      published: row.published_at !== null,
      recoveredAt: row.recovered_at === null ? null : Number(row.recovered_at),
      createdAt: Number(row.created_at),
      impact: row.impact as Impact,
      components: [],
    };
    if (row.component_id !== null && row.component_status !== null) {
      entry.components.push({ componentId: row.component_id, status: statusOf(row.component_status) });
    }
    incidents.set(row.id, entry);
  }

  return {
    components: components.map((c) => ({
      id: c.id,
      ref: c.ref,
      name: c.name,
      communityId: c.community_id,
      communityName: c.community_name,
      status: statusOf(c.status),
      statusChangedAt: Number(c.status_changed_at),
      inMaintenance: inMaintenance.has(c.ref),
      dependsOn: c.community_id === null ? [] : (dependsOn.get(c.community_id) ?? []),
    })),
    incidents: [...incidents.values()],
    resolvedAfter: new Map(closed.map((r) => [r.component_id, Number(r.resolved_at)])),
  };
}

function statusOf(value: string): ComponentStatus {
  return isComponentStatus(value) ? value : 'operational';
}

/**
 * Open alerts (firing or acknowledged) on components an open incident covers that are not linked to it
 * yet — a component's own alert is raised alongside the incident, so it often lands a moment later.
 */
export async function unlinkedAlerts(
  db: Kysely<Schema>,
): Promise<{ readonly incidentId: string; readonly alertId: string }[]> {
  const rows = await db
    .selectFrom('incidents')
    .innerJoin('incident_components', 'incident_components.incident_id', 'incidents.id')
    .innerJoin('components', 'components.id', 'incident_components.component_id')
    .innerJoin('alerts', 'alerts.component', 'components.ref')
    .leftJoin('incident_alerts', (join) =>
      join
        .onRef('incident_alerts.incident_id', '=', 'incidents.id')
        .onRef('incident_alerts.alert_id', '=', 'alerts.id'),
    )
    .select(['incidents.id as incident_id', 'alerts.id as alert_id'])
    .where('incidents.status', 'in', [...OPEN_INCIDENT_STATUSES])
    .where('alerts.status', 'in', ['firing', 'acknowledged'])
    .where('incident_alerts.alert_id', 'is', null)
    .execute();
  return rows.map((r) => ({ incidentId: r.incident_id, alertId: r.alert_id }));
}
