import type { ComponentStatus, Indicator } from './component-status.js';
import { indicatorDescription, worstStatus } from './component-status.js';
import type { SnapshotCommunity, SnapshotComponent, StatusSnapshot } from './status-snapshot.js';

// Atlassian Statuspage's public API v2 shapes (summary, status, components), so
// existing Statuspage clients and aggregators read Firewatch unchanged.
// Communities map to component groups (`group: true`, `components: [ids]`);
// their components carry `group_id`. Shared infrastructure has no group.

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
}

/** The fleet-wide scope: every community as a group, then shared infrastructure. */
export function fleetScope(snapshot: StatusSnapshot): V2Scope {
  const pageId = 'fleet';
  const components: V2Component[] = [];
  snapshot.communities.forEach((community, index) => {
    components.push(groupOf(community, pageId, index + 1));
    community.components.forEach((c, i) => {
      if (c.communitySlug !== null) components.push(componentOf(c, pageId, community.id, i + 1));
    });
  });
  const shared = snapshot.components.filter((c) => c.communitySlug === null);
  for (const [i, c] of shared.entries()) {
    components.push(componentOf(c, pageId, null, snapshot.communities.length + i + 1));
  }
  return {
    page: pageOf(pageId, snapshot.pageName, snapshot.pageUrl, snapshot.updatedAt),
    components,
    status: statusOf(snapshot.indicator),
  };
}

/** One community's scope: its own components and the shared ones it depends on. */
export function communityScope(snapshot: StatusSnapshot, community: SnapshotCommunity): V2Scope {
  return {
    page: pageOf(
      community.id,
      `${community.name} — ${snapshot.pageName}`,
      `${snapshot.pageUrl}/c/${community.slug}`,
      community.updatedAt,
    ),
    components: community.components.map((c, i) => componentOf(c, community.id, null, i + 1)),
    status: statusOf(community.indicator),
  };
}

/** GET /api/v2/summary.json. Incidents and maintenances arrive with the incidents work; empty until then. */
export function summaryJson(scope: V2Scope) {
  return {
    page: scope.page,
    components: scope.components,
    incidents: [] as const,
    scheduled_maintenances: [] as const,
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

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
