import {
  type ComponentStatus,
  indicatorFor,
  isComponentStatus,
  worseStatus,
  worstStatus,
} from './component-status.js';
import {
  type ComponentIndex,
  incidentsByComponentDay,
  isOpenIncident,
  projectIncidents,
} from './project-incidents.js';
import { projectMaintenances } from './project-maintenances.js';
import type { PageSettings, StatusInputs } from './status-inputs.js';
import type {
  SnapshotCommunity,
  SnapshotComponent,
  SnapshotIncident,
  SnapshotMaintenance,
  StatusSnapshot,
} from './status-snapshot.js';
import { UPTIME_DAYS } from './status-snapshot.js';
import { countsOn, pastUptime, uptimeBar } from './uptime-bars.js';

export type { IncidentInput, MaintenanceInput, PageSettings, StatusInputs } from './status-inputs.js';

const DAY_MS = 86_400_000;
const DAYS = UPTIME_DAYS;

/**
 * Projects stored state into what the public pages show. Pure: `now` decides which 90 days the uptime
 * bars cover, which incidents and maintenance occurrences are shown and which maintenance is in progress.
 * A component shows under_maintenance during an in-progress occurrence unless an open incident declares a
 * status for it, else the worse of its monitored status and what open incidents declare. A community's
 * status is the worst of its own components and the shared components it depends on.
 */
export function projectStatus(inputs: StatusInputs, page: PageSettings, now: number): StatusSnapshot {
  const today = now - (now % DAY_MS);
  const firstDay = today - (DAYS - 1) * DAY_MS;
  const index = componentIndex(inputs);
  const incidents = projectIncidents(inputs.incidents ?? [], index, page.pageUrl, now);
  const maintenances = projectMaintenances(inputs.maintenances ?? [], index, page.pageUrl, now);
  const overrides = statusOverrides(incidents, maintenances);
  const perDay = incidentsByComponentDay(incidents, firstDay, DAYS, now);
  const past = inputs.pastUptime?.today === today ? inputs.pastUptime : pastUptime(inputs.uptime, today);
  const todayCounts = countsOn(inputs.uptime, today);

  const components = new Map<string, SnapshotComponent>();
  for (const c of [...inputs.components].sort(byPosition)) {
    const { uptime, uptimeRatio } = uptimeBar(
      past.bars.get(c.id) ?? past.empty,
      today,
      todayCounts.get(c.id),
      perDay.get(c.id),
    );
    const monitoredStatus: ComponentStatus = isComponentStatus(c.status) ? c.status : 'operational';
    const override = overrides.get(c.id);
    components.set(c.id, {
      id: c.id,
      ref: c.ref,
      name: c.name,
      description: c.description,
      status: shownStatus(monitoredStatus, override),
      monitoredStatus,
      position: c.position,
      createdAt: c.createdAt,
      updatedAt: Math.max(c.updatedAt, override?.since ?? 0),
      communitySlug: index.byId.get(c.id)?.communitySlug ?? null,
      uptime,
      uptimeRatio,
    });
  }

  const own = new Map<string, SnapshotComponent[]>();
  const shared: SnapshotComponent[] = [];
  for (const c of components.values()) {
    if (c.communitySlug === null) shared.push(c);
    else pushTo(own, c.communitySlug, c);
  }
  const dependencies = new Map<string, string[]>();
  for (const d of inputs.dependencies) pushTo(dependencies, d.communityId, d.componentId);

  const communities: SnapshotCommunity[] = [...inputs.communities].sort(byPosition).map((community) => {
    const depended = (dependencies.get(community.id) ?? [])
      .map((id) => components.get(id))
      .filter((c): c is SnapshotComponent => c !== undefined && c.communitySlug === null);
    const list = [...(own.get(community.slug) ?? []), ...depended];
    const status: ComponentStatus = worstStatus(list.map((c) => c.status));
    return {
      id: community.id,
      slug: community.slug,
      name: community.name,
      description: community.description,
      url: community.url,
      status,
      indicator: indicatorFor(status),
      updatedAt: Math.max(community.updatedAt, ...list.map((c) => c.updatedAt)),
      components: list,
    };
  });

  const ordered = [
    ...communities.flatMap((c) => c.components.filter((x) => x.communitySlug !== null)),
    ...shared,
  ];
  const status = worstStatus(ordered.map((c) => c.status));
  return {
    builtAt: now,
    pageName: page.pageName,
    pageUrl: page.pageUrl,
    status,
    indicator: indicatorFor(status),
    updatedAt: Math.max(
      0,
      ...ordered.map((c) => c.updatedAt),
      ...communities.map((c) => c.updatedAt),
      ...incidents.map((i) => i.updatedAt),
    ),
    communities,
    components: ordered,
    incidents,
    maintenances,
  };
}

/** What open incidents and in-progress maintenance say about one component. */
interface Override {
  /** Worst status open incidents declare for it; null when none does. */
  readonly declared: ComponentStatus | null;
  readonly inMaintenance: boolean;
  /** When the newest of those started or changed, for the component's updatedAt. */
  readonly since: number;
}

function statusOverrides(
  incidents: readonly SnapshotIncident[],
  maintenances: readonly SnapshotMaintenance[],
): Map<string, Override> {
  const out = new Map<string, Override>();
  for (const incident of incidents) {
    if (!isOpenIncident(incident)) continue;
    for (const c of incident.components) {
      const current = out.get(c.id);
      out.set(c.id, {
        declared: current?.declared ? worseStatus(current.declared, c.status) : c.status,
        inMaintenance: current?.inMaintenance ?? false,
        since: Math.max(current?.since ?? 0, incident.updatedAt),
      });
    }
  }
  for (const m of maintenances) {
    if (m.status !== 'in_progress') continue;
    for (const c of m.components) {
      const current = out.get(c.id);
      out.set(c.id, {
        declared: current?.declared ?? null,
        inMaintenance: true,
        since: Math.max(current?.since ?? 0, m.scheduledFor),
      });
    }
  }
  return out;
}

function shownStatus(monitored: ComponentStatus, override: Override | undefined): ComponentStatus {
  if (override === undefined) return monitored;
  if (override.declared === null) return override.inMaintenance ? 'under_maintenance' : monitored;
  return worseStatus(monitored, override.declared);
}

function componentIndex(inputs: StatusInputs): ComponentIndex {
  const communities = [...inputs.communities].sort(byPosition);
  const slugById = new Map(communities.map((c) => [c.id, c.slug]));
  const communityOrder = new Map(communities.map((c, i) => [c.slug, i]));
  const byId = new Map(
    inputs.components.map((c) => [
      c.id,
      {
        id: c.id,
        ref: c.ref,
        name: c.name,
        communitySlug: c.communityId === null ? null : (slugById.get(c.communityId) ?? null),
      },
    ]),
  );
  const dependents = new Map<string, string[]>();
  for (const d of inputs.dependencies) {
    const slug = slugById.get(d.communityId);
    if (slug !== undefined) pushTo(dependents, d.componentId, slug);
  }
  return { byId, dependents, communityOrder };
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function byPosition(a: { position: number }, b: { position: number }): number {
  return a.position - b.position;
}
