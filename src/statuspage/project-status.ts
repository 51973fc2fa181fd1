import { type ComponentStatus, indicatorFor, isComponentStatus, worstStatus } from './component-status.js';
import type { SnapshotCommunity, SnapshotComponent, StatusSnapshot, UptimeDay } from './status-snapshot.js';
import { UPTIME_DAYS } from './status-snapshot.js';

const DAY_MS = 86_400_000;

/** The stored facts a snapshot is projected from. */
export interface StatusInputs {
  readonly communities: readonly {
    readonly id: string;
    readonly slug: string;
    readonly name: string;
    readonly description: string | null;
    readonly url: string | null;
    readonly position: number;
    readonly updatedAt: number;
  }[];
  readonly components: readonly {
    readonly id: string;
    readonly ref: string;
    readonly communityId: string | null;
    readonly name: string;
    readonly description: string | null;
    readonly position: number;
    readonly status: string;
    readonly createdAt: number;
    readonly updatedAt: number;
  }[];
  readonly dependencies: readonly { readonly communityId: string; readonly componentId: string }[];
  /** Checks and failures per component per UTC day (summed over its monitors). */
  readonly uptime: readonly {
    readonly componentId: string;
    readonly day: number;
    readonly checks: number;
    readonly failures: number;
  }[];
}

export interface PageSettings {
  readonly pageName: string;
  readonly pageUrl: string;
}

/**
 * Projects stored state into what the public pages show. Pure: `now` decides
 * which 90 days the uptime bars cover. A community's status is the worst of its
 * own components and the shared components it depends on.
 */
export function projectStatus(inputs: StatusInputs, page: PageSettings, now: number): StatusSnapshot {
  const today = now - (now % DAY_MS);
  const firstDay = today - (UPTIME_DAYS - 1) * DAY_MS;
  const uptimeByComponent = new Map<string, Map<number, { checks: number; failures: number }>>();
  for (const u of inputs.uptime) {
    if (u.day < firstDay || u.day > today) continue;
    const days = uptimeByComponent.get(u.componentId) ?? new Map();
    const current = days.get(u.day) ?? { checks: 0, failures: 0 };
    days.set(u.day, { checks: current.checks + u.checks, failures: current.failures + u.failures });
    uptimeByComponent.set(u.componentId, days);
  }

  const slugById = new Map(inputs.communities.map((c) => [c.id, c.slug]));
  const components = new Map<string, SnapshotComponent>();
  for (const c of [...inputs.components].sort(byPosition)) {
    const days = uptimeByComponent.get(c.id);
    const uptime: UptimeDay[] = [];
    let checks = 0;
    let failures = 0;
    for (let day = firstDay; day <= today; day += DAY_MS) {
      const d = days?.get(day) ?? { checks: 0, failures: 0 };
      uptime.push({ day, checks: d.checks, failures: d.failures, incidents: [] });
      checks += d.checks;
      failures += d.failures;
    }
    components.set(c.id, {
      id: c.id,
      ref: c.ref,
      name: c.name,
      description: c.description,
      status: isComponentStatus(c.status) ? c.status : 'operational',
      monitoredStatus: isComponentStatus(c.status) ? c.status : 'operational',
      position: c.position,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      communitySlug: c.communityId === null ? null : (slugById.get(c.communityId) ?? null),
      uptime,
      uptimeRatio: checks === 0 ? null : (checks - failures) / checks,
    });
  }

  const dependencies = new Map<string, string[]>();
  for (const d of inputs.dependencies) {
    dependencies.set(d.communityId, [...(dependencies.get(d.communityId) ?? []), d.componentId]);
  }

  const all = [...components.values()];
  const communities: SnapshotCommunity[] = [...inputs.communities].sort(byPosition).map((community) => {
    const own = all.filter((c) => c.communitySlug === community.slug);
    const shared = (dependencies.get(community.id) ?? [])
      .map((id) => components.get(id))
      .filter((c): c is SnapshotComponent => c !== undefined && c.communitySlug === null);
    const list = [...own, ...shared];
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
    ...all.filter((c) => c.communitySlug === null),
  ];
  const status = worstStatus(ordered.map((c) => c.status));
  return {
    builtAt: now,
    pageName: page.pageName,
    pageUrl: page.pageUrl,
    status,
    indicator: indicatorFor(status),
    updatedAt: Math.max(0, ...ordered.map((c) => c.updatedAt), ...communities.map((c) => c.updatedAt)),
    communities,
    components: ordered,
    incidents: [],
    maintenances: [],
  };
}

function byPosition(a: { position: number }, b: { position: number }): number {
  return a.position - b.position;
}
