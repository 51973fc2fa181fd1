import { OPEN_INCIDENT_STATUSES } from '../incidents/incident.js';
import type { ComponentStatus, Indicator } from './component-status.js';
import { indicatorDescription, worstStatus } from './component-status.js';
import type { SnapshotCommunity, SnapshotComponent, StatusSnapshot } from './status-snapshot.js';
import {
  iso,
  type V2Context,
  type V2Incident,
  type V2ScheduledMaintenance,
  v2Incident,
  v2Maintenance,
} from './statuspage-v2-incidents.js';

// Atlassian Statuspage's public API v2 shapes (summary, status, components), so
// existing Statuspage clients and aggregators read Firewatch unchanged.
// Communities map to component groups (`group: true`, `components: [ids]`);
// their components carry `group_id`. Shared infrastructure has no group. Incidents and
// maintenances are converted in statuspage-v2-incidents.ts.

export interface V2Page {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly time_zone: string;
  readonly updated_at: string;
}

export interface V2Component {
  readonly id: string;
  readonly name: string;
  readonly status: ComponentStatus;
  readonly created_at: string;
  readonly updated_at: string;
  readonly position: number;
  readonly description: string | null;
  readonly showcase: boolean;
  readonly start_date: string | null;
  readonly group_id: string | null;
  readonly page_id: string;
  readonly group: boolean;
  readonly only_show_if_degraded: boolean;
  readonly components?: readonly string[];
}

export interface V2Status {
  readonly indicator: Indicator;
  readonly description: string;
}

/** What one v2 document covers: the whole fleet, or one community. */
export interface V2Scope {
  readonly page: V2Page;
  readonly components: readonly V2Component[];
  readonly status: V2Status;
  /** Published incidents in scope, newest first. */
  readonly incidents: readonly V2Incident[];
  /** Maintenance occurrences in scope, soonest first. */
  readonly maintenances: readonly V2ScheduledMaintenance[];
}

/** Statuspage's incidents.json and scheduled-maintenances.json list this many of the most recent. */
export const V2_RECENT_LIMIT = 50;

/** The fleet-wide scope: every community as a group, then shared infrastructure; every incident. */
export function fleetScope(snapshot: StatusSnapshot): V2Scope {
  const pageId = 'fleet';
  const components: V2Component[] = [];
  const groupName = new Map<string, string>();
  snapshot.communities.forEach((community, index) => {
    components.push(groupOf(community, pageId, index + 1));
    community.components.forEach((c, i) => {
      if (c.communitySlug === null) return;
      components.push(componentOf(c, pageId, community.id, i + 1));
      groupName.set(c.id, community.name);
    });
  });
  const shared = snapshot.components.filter((c) => c.communitySlug === null);
  for (const [i, c] of shared.entries()) {
    components.push(componentOf(c, pageId, null, snapshot.communities.length + i + 1));
  }
  return scopeOf(
    snapshot,
    pageOf(pageId, snapshot.pageName, snapshot.pageUrl, snapshot.updatedAt),
    components,
    statusOf(snapshot.indicator),
    (id, name) => (groupName.has(id) ? `${groupName.get(id)} - ${name}` : name),
    () => true,
  );
}

/** One community's scope: its own components, the shared ones it depends on, and the incidents shown on its page. */
export function communityScope(snapshot: StatusSnapshot, community: SnapshotCommunity): V2Scope {
  return scopeOf(
    snapshot,
    pageOf(
      community.id,
      `${community.name} — ${snapshot.pageName}`,
      `${snapshot.pageUrl}/c/${community.slug}`,
      community.updatedAt,
    ),
    community.components.map((c, i) => componentOf(c, community.id, null, i + 1)),
    statusOf(community.indicator),
    (_id, name) => name,
    (slugs) => slugs.includes(community.slug),
  );
}

function scopeOf(
  snapshot: StatusSnapshot,
  page: V2Page,
  components: readonly V2Component[],
  status: V2Status,
  groupedName: (id: string, name: string) => string,
  shows: (communitySlugs: readonly string[]) => boolean,
): V2Scope {
  const leaves = new Map(components.filter((c) => !c.group).map((c) => [c.id, c]));
  const context: V2Context = {
    pageId: page.id,
    component: (id) => leaves.get(id),
    affectedName: (id, fallback) => groupedName(id, leaves.get(id)?.name ?? fallback),
  };
  return {
    page,
    components,
    status,
    incidents: snapshot.incidents
      .filter((i) => shows(i.communitySlugs))
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((i) => v2Incident(i, context)),
    maintenances: snapshot.maintenances
      .filter((m) => shows(m.communitySlugs))
      .sort((a, b) => a.scheduledFor - b.scheduledFor)
      .map((m) => v2Maintenance(m, context)),
  };
}

/** GET /api/v2/summary.json: components, unresolved incidents, and in-progress and upcoming maintenances. */
export function summaryJson(scope: V2Scope) {
  return {
    page: scope.page,
    components: scope.components,
    incidents: unresolved(scope),
    scheduled_maintenances: [...active(scope), ...upcoming(scope)],
    status: scope.status,
  };
}

/** GET /api/v2/status.json */
export function statusJson(scope: V2Scope) {
  return { page: scope.page, status: scope.status };
}

/** GET /api/v2/components.json */
export function componentsJson(scope: V2Scope) {
  return { page: scope.page, components: scope.components };
}

/** GET /api/v2/incidents.json: the 50 most recent incidents, newest first, resolved ones included. */
export function incidentsJson(scope: V2Scope) {
  return { page: scope.page, incidents: scope.incidents.slice(0, V2_RECENT_LIMIT) };
}

/** GET /api/v2/incidents/unresolved.json: incidents investigating, identified or monitoring. */
export function unresolvedIncidentsJson(scope: V2Scope) {
  return { page: scope.page, incidents: unresolved(scope) };
}

/** GET /api/v2/scheduled-maintenances.json: the 50 most recent windows (latest start first), any status. */
export function scheduledMaintenancesJson(scope: V2Scope) {
  const recent = [...scope.maintenances]
    .sort((a, b) => Date.parse(b.scheduled_for) - Date.parse(a.scheduled_for))
    .slice(0, V2_RECENT_LIMIT);
  return { page: scope.page, scheduled_maintenances: recent };
}

/** GET /api/v2/scheduled-maintenances/upcoming.json: windows not started yet, soonest first. */
export function upcomingMaintenancesJson(scope: V2Scope) {
  return { page: scope.page, scheduled_maintenances: upcoming(scope) };
}

/** GET /api/v2/scheduled-maintenances/active.json: windows in progress (or verifying), soonest first. */
export function activeMaintenancesJson(scope: V2Scope) {
  return { page: scope.page, scheduled_maintenances: active(scope) };
}

/** Every v2 document by its path under /api/v2/. */
export const V2_DOCUMENTS: Readonly<Record<string, (scope: V2Scope) => unknown>> = {
  'summary.json': summaryJson,
  'status.json': statusJson,
  'components.json': componentsJson,
  'incidents.json': incidentsJson,
  'incidents/unresolved.json': unresolvedIncidentsJson,
  'scheduled-maintenances.json': scheduledMaintenancesJson,
  'scheduled-maintenances/upcoming.json': upcomingMaintenancesJson,
  'scheduled-maintenances/active.json': activeMaintenancesJson,
};

function unresolved(scope: V2Scope): V2Incident[] {
  return scope.incidents.filter((i) => (OPEN_INCIDENT_STATUSES as readonly string[]).includes(i.status));
}

function upcoming(scope: V2Scope): V2ScheduledMaintenance[] {
  return scope.maintenances.filter((m) => m.status === 'scheduled');
}

function active(scope: V2Scope): V2ScheduledMaintenance[] {
  return scope.maintenances.filter((m) => m.status === 'in_progress' || m.status === 'verifying');
}

function pageOf(id: string, name: string, url: string, updatedAt: number): V2Page {
  return { id, name, url, time_zone: 'Etc/UTC', updated_at: iso(updatedAt) };
}

function statusOf(indicator: Indicator): V2Status {
  return { indicator, description: indicatorDescription(indicator) };
}

function groupOf(community: SnapshotCommunity, pageId: string, position: number): V2Component {
  const own = community.components.filter((c) => c.communitySlug !== null);
  return {
    id: community.id,
    name: community.name,
    status: worstStatus(own.map((c) => c.status)),
    created_at: iso(Math.min(community.updatedAt, ...own.map((c) => c.createdAt))),
    updated_at: iso(community.updatedAt),
    position,
    description: community.description,
    showcase: false,
    start_date: null,
    group_id: null,
    page_id: pageId,
    group: true,
    only_show_if_degraded: false,
    components: own.map((c) => c.id),
  };
}

function componentOf(
  c: SnapshotComponent,
  pageId: string,
  groupId: string | null,
  position: number,
): V2Component {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    position,
    description: c.description,
    showcase: true,
    start_date: new Date(c.createdAt).toISOString().slice(0, 10),
    group_id: groupId,
    page_id: pageId,
    group: false,
    only_show_if_degraded: false,
  };
}
