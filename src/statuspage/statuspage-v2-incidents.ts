import type { Impact, IncidentStatus } from '../incidents/incident.js';
import type { ComponentStatus } from './component-status.js';
import type { SnapshotIncident, SnapshotMaintenance } from './status-snapshot.js';
import type { V2Component } from './statuspage-v2.js';

// Atlassian Statuspage's incident and scheduled-maintenance shapes (incidents.json,
// scheduled-maintenances.json and the lists inside summary.json). A scheduled maintenance is an
// incident with impact "maintenance", maintenance statuses and the scheduled window.

/** Statuspage's `affected_components` entry of an incident update. */
export interface V2AffectedComponent {
  readonly code: string;
  readonly name: string;
  readonly old_status: ComponentStatus;
  readonly new_status: ComponentStatus;
}

/** Statuspage's scheduled-maintenance statuses (Firewatch never reports `verifying`). */
export type V2MaintenanceStatus = 'scheduled' | 'in_progress' | 'verifying' | 'completed';

/** One public update of an incident or a maintenance. `body` is the Markdown source as written. */
export interface V2IncidentUpdate<S extends string = IncidentStatus> {
  readonly id: string;
  readonly status: S;
  readonly body: string;
  readonly incident_id: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly display_at: string;
  readonly affected_components: readonly V2AffectedComponent[];
  readonly deliver_notifications: boolean;
  readonly custom_tweet: null;
  readonly tweet_id: null;
}

/** Statuspage's incident object. */
export interface V2Incident {
  readonly id: string;
  readonly name: string;
  readonly status: IncidentStatus;
  readonly created_at: string;
  readonly updated_at: string;
  readonly monitoring_at: string | null;
  readonly resolved_at: string | null;
  readonly impact: Impact;
  readonly shortlink: string;
  readonly started_at: string;
  readonly page_id: string;
  /** Newest first. */
  readonly incident_updates: readonly V2IncidentUpdate[];
  readonly components: readonly V2Component[];
}

/** Statuspage's scheduled-maintenance object. */
export interface V2ScheduledMaintenance extends Omit<V2Incident, 'status' | 'impact' | 'incident_updates'> {
  readonly status: V2MaintenanceStatus;
  readonly impact: 'maintenance';
  readonly incident_updates: readonly V2IncidentUpdate<V2MaintenanceStatus>[];
  readonly scheduled_for: string;
  readonly scheduled_until: string;
}

/** What converting an incident needs from its document's scope. */
export interface V2Context {
  readonly pageId: string;
  /** The component as this document lists it; undefined when it is outside the document's scope. */
  component(id: string): V2Component | undefined;
  /** Statuspage's affected-component name: "Group - Component" for grouped components. */
  affectedName(id: string, fallback: string): string;
}

/** A published incident in Statuspage's shape, keeping only components inside the document's scope. */
export function v2Incident(incident: SnapshotIncident, context: V2Context): V2Incident {
  return {
    id: incident.id,
    name: incident.title,
    status: incident.status,
    created_at: iso(incident.createdAt),
    updated_at: iso(incident.updatedAt),
    monitoring_at: incident.monitoringAt === null ? null : iso(incident.monitoringAt),
    resolved_at: incident.resolvedAt === null ? null : iso(incident.resolvedAt),
    impact: incident.impact,
    shortlink: incident.url,
    started_at: iso(incident.createdAt),
    page_id: context.pageId,
    incident_updates: incident.updates.map((update) => ({
      id: update.id,
      status: update.status,
      body: update.body,
      incident_id: incident.id,
      created_at: iso(update.publishedAt),
      updated_at: iso(update.publishedAt),
      display_at: iso(update.publishedAt),
      affected_components: update.affected
        .filter((a) => context.component(a.componentId) !== undefined)
        .map((a) => ({
          code: a.componentId,
          name: context.affectedName(a.componentId, a.name),
          old_status: a.oldStatus,
          new_status: a.newStatus,
        })),
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: inScope(
      incident.components.map((c) => c.id),
      context,
    ),
  };
}

const MAINTENANCE_TEXT: Readonly<Record<'scheduled' | 'in_progress' | 'completed', string>> = {
  scheduled: 'We will be undergoing scheduled maintenance during this time.',
  in_progress: 'Scheduled maintenance is currently in progress. We will provide updates as necessary.',
  completed: 'The scheduled maintenance has been completed.',
};

/**
 * A maintenance occurrence in Statuspage's shape. Firewatch stores no maintenance updates, so the
 * updates are the window's own milestones: announced (with the description), started, completed.
 */
export function v2Maintenance(maintenance: SnapshotMaintenance, context: V2Context): V2ScheduledMaintenance {
  const componentIds = maintenance.components.map((c) => c.id);
  const milestones: { status: 'scheduled' | 'in_progress' | 'completed'; at: number; body: string }[] = [
    {
      status: 'scheduled',
      at: maintenance.createdAt,
      body: maintenance.description ?? MAINTENANCE_TEXT.scheduled,
    },
  ];
  if (maintenance.status !== 'scheduled') {
    milestones.push({
      status: 'in_progress',
      at: maintenance.scheduledFor,
      body: MAINTENANCE_TEXT.in_progress,
    });
  }
  if (maintenance.status === 'completed') {
    milestones.push({
      status: 'completed',
      at: maintenance.scheduledUntil,
      body: MAINTENANCE_TEXT.completed,
    });
  }
  const updates = milestones.reverse().map((m) => ({
    id: `${maintenance.id}-${m.status}`,
    status: m.status,
    body: m.body,
    incident_id: maintenance.id,
    created_at: iso(m.at),
    updated_at: iso(m.at),
    display_at: iso(m.at),
    affected_components: componentIds
      .filter((id) => context.component(id) !== undefined)
      .map((id) => ({
        code: id,
        name: context.affectedName(id, maintenance.components.find((c) => c.id === id)?.name ?? id),
        old_status: m.status === 'completed' ? ('under_maintenance' as const) : ('operational' as const),
        new_status: m.status === 'in_progress' ? ('under_maintenance' as const) : ('operational' as const),
      })),
    deliver_notifications: true,
    custom_tweet: null,
    tweet_id: null,
  }));
  return {
    id: maintenance.id,
    name: maintenance.title,
    status: maintenance.status,
    created_at: iso(maintenance.createdAt),
    updated_at: iso(Math.max(...milestones.map((m) => m.at))),
    monitoring_at: null,
    resolved_at: maintenance.status === 'completed' ? iso(maintenance.scheduledUntil) : null,
    impact: 'maintenance',
    shortlink: maintenance.url,
    started_at: iso(maintenance.createdAt),
    page_id: context.pageId,
    incident_updates: updates,
    components: inScope(componentIds, context),
    scheduled_for: iso(maintenance.scheduledFor),
    scheduled_until: iso(maintenance.scheduledUntil),
  };
}

function inScope(ids: readonly string[], context: V2Context): V2Component[] {
  return ids.map((id) => context.component(id)).filter((c): c is V2Component => c !== undefined);
}

/** Epoch ms as Statuspage's ISO 8601 UTC timestamp. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
