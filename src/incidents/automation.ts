import type { Impact } from '../oncall/urgency-matrix.js';
import { type ComponentStatus, worseStatus } from '../statuspage/component-status.js';
import type { IncidentOrigin, IncidentStatus } from './incident.js';
import type { IncidentPolicy } from './incident-policy.js';

/** A component as automation sees it: its monitored status and where it belongs. */
export interface ComponentFact {
  readonly id: string;
  readonly ref: string;
  readonly name: string;
  /** Owning community; null for shared infrastructure. */
  readonly communityId: string | null;
  readonly communityName: string | null;
  /** Status from checks and rules (components.status). */
  readonly status: ComponentStatus;
  readonly statusChangedAt: number;
  /** In an in-progress maintenance occurrence: outages are expected, automation leaves it alone. */
  readonly inMaintenance: boolean;
  /** Shared components its community depends on (empty for shared components). */
  readonly dependsOn: readonly string[];
}

/** An open incident (investigating, identified or monitoring) with the components it covers. */
export interface OpenIncidentFact {
  readonly id: string;
  readonly origin: IncidentOrigin;
  readonly status: IncidentStatus;
  readonly held: boolean;
  readonly published: boolean;
  readonly recoveredAt: number | null;
  readonly createdAt: number;
  readonly impact: Impact;
  readonly components: readonly { readonly componentId: string; readonly status: ComponentStatus }[];
}

/** One thing automation should do now. */
export type AutomationAction =
  | {
      readonly kind: 'open';
      readonly title: string;
      readonly impact: Impact;
      readonly components: readonly { readonly ref: string; readonly status: ComponentStatus }[];
      readonly detectedAt: number;
    }
  | {
      readonly kind: 'join';
      readonly incidentId: string;
      readonly componentId: string;
      readonly status: ComponentStatus;
      readonly reason: string;
    }
  | {
      readonly kind: 'raise_impact';
      readonly incidentId: string;
      readonly impact: Impact;
      readonly reason: string;
    }
  | { readonly kind: 'relapse'; readonly incidentId: string; readonly reason: string }
  | { readonly kind: 'monitoring'; readonly incidentId: string }
  /** Someone moved it to monitoring by hand: start the quiet period now. */
  | { readonly kind: 'recovered'; readonly incidentId: string }
  | { readonly kind: 'resolve'; readonly incidentId: string };

const OUTAGES: ReadonlySet<ComponentStatus> = new Set(['partial_outage', 'major_outage']);

/**
 * What automation does about the current facts; pure and level-triggered, so running it again after
 * its actions are stored decides nothing new. Rules (docs/incidents.md):
 * - A component in partial or major outage (not in maintenance) that no open incident covers joins the
 *   open incident on shared infrastructure its community depends on, or the open automation incident of
 *   its own community, else opens one — unless an
 *   incident covering it was resolved after its status last changed (a human closed it: respected until
 *   the component changes again). Outages of one community found in the same turn open one incident.
 * - A covered component whose status got worse updates the status the incident gives it.
 * - An incident automation opened (and nobody holds) gets a higher impact when a component it covers
 *   gets worse (a partial outage that becomes a major one: minor → major).
 * - Incidents automation opened (and nobody holds): all components operational → monitoring; a relapse
 *   while monitoring → investigating; monitoring and quiet for the policy's period → resolved.
 * `components` may leave out operational components that no open incident covers and that are not in
 * maintenance: they decide nothing (loadAutomationFacts reads only the others).
 */
export function decideAutomation(
  components: readonly ComponentFact[],
  incidents: readonly OpenIncidentFact[],
  resolvedAfter: ReadonlyMap<string, number>,
  policy: IncidentPolicy,
  now: number,
): AutomationAction[] {
  if (!policy.automation) return [];
  const actions: AutomationAction[] = [];
  const byId = new Map(components.map((c) => [c.id, c]));
  const touched = new Set<string>();

  const opening = new Map<string, ComponentFact[]>();
  for (const component of components) {
    if (!OUTAGES.has(component.status) || component.inMaintenance) continue;
    const covering = incidents.find((i) => i.components.some((c) => c.componentId === component.id));
    if (covering) {
      const declared = covering.components.find((c) => c.componentId === component.id)?.status;
      if (declared !== undefined && worseStatus(declared, component.status) !== declared) {
        actions.push({
          kind: 'join',
          incidentId: covering.id,
          componentId: component.id,
          status: component.status,
          reason: `${component.name} is now ${words(component.status)}`,
        });
      }
      if (covering.status === 'monitoring' && covering.origin === 'automation' && !covering.held) {
        if (!touched.has(covering.id)) {
          actions.push({
            kind: 'relapse',
            incidentId: covering.id,
            reason: `${component.name} failed again`,
          });
        }
      }
      touched.add(covering.id);
      continue;
    }
    const closedAt = resolvedAfter.get(component.id);
    if (closedAt !== undefined && closedAt >= component.statusChangedAt) continue;
    const communityOf = (id: string) => byId.get(id)?.communityId ?? null;
    const shared = incidents.find(
      (i) =>
        i.components.some((c) => component.dependsOn.includes(c.componentId)) ||
        (component.communityId !== null &&
          i.origin === 'automation' &&
          i.components.some((c) => communityOf(c.componentId) === component.communityId)),
    );
    if (shared) {
      actions.push({
        kind: 'join',
        incidentId: shared.id,
        componentId: component.id,
        status: component.status,
        reason: `${component.name} is ${words(component.status)} too`,
      });
      touched.add(shared.id);
      continue;
    }
    const key = component.communityId ?? `shared:${component.id}`;
    opening.set(key, [...(opening.get(key) ?? []), component]);
  }

  for (const group of opening.values()) actions.push(openAction(group));

  for (const incident of incidents) {
    if (incident.origin !== 'automation' || incident.held) continue;
    const statuses = components
      .filter((c) => c.status !== 'operational' && !c.inMaintenance)
      .filter(
        (c) =>
          incident.components.some((x) => x.componentId === c.id) ||
          actions.some((a) => a.kind === 'join' && a.incidentId === incident.id && a.componentId === c.id),
      );
    const wanted = statuses.reduce<Impact>((w, c) => higherImpact(w, impactOf(c)), incident.impact);
    if (wanted !== incident.impact) {
      const worst = statuses.find((c) => impactOf(c) === wanted) as ComponentFact;
      actions.push({
        kind: 'raise_impact',
        incidentId: incident.id,
        impact: wanted,
        reason: `${worst.name} is ${words(worst.status)}`,
      });
    }
  }

  for (const incident of incidents) {
    if (touched.has(incident.id) || incident.origin !== 'automation' || incident.held) continue;
    const facts = incident.components.map((c) => byId.get(c.componentId));
    const allOperational = facts.every(
      (f) => f === undefined || f.status === 'operational' || f.inMaintenance,
    );
    if (!allOperational) continue;
    if (incident.status === 'investigating' || incident.status === 'identified') {
      actions.push({ kind: 'monitoring', incidentId: incident.id });
    } else if (incident.status === 'monitoring' && incident.recoveredAt === null) {
      actions.push({ kind: 'recovered', incidentId: incident.id });
    } else if (
      incident.status === 'monitoring' &&
      incident.recoveredAt !== null &&
      now - incident.recoveredAt >= policy.quietPeriodMs
    ) {
      actions.push({ kind: 'resolve', incidentId: incident.id });
    }
  }
  return actions;
}

const IMPACT_RANK: Readonly<Record<Impact, number>> = { none: 0, minor: 1, major: 2, critical: 3 };

function higherImpact(a: Impact, b: Impact): Impact {
  return IMPACT_RANK[b] > IMPACT_RANK[a] ? b : a;
}

/** Major outage → major (critical on shared infrastructure), partial outage → minor, else none. */
function impactOf(component: ComponentFact): Impact {
  if (component.status === 'major_outage') return component.communityId === null ? 'critical' : 'major';
  return component.status === 'partial_outage' ? 'minor' : 'none';
}

function openAction(group: readonly ComponentFact[]): AutomationAction {
  const first = group[0] as ComponentFact;
  const worst = group.reduce<ComponentStatus>((w, c) => worseStatus(w, c.status), 'operational');
  const shared = first.communityId === null;
  const impact = group.reduce<Impact>((w, c) => higherImpact(w, impactOf(c)), 'none');
  const names = group.map((c) => c.name).join(', ');
  const where = shared ? 'Shared infrastructure' : (first.communityName ?? 'Community');
  return {
    kind: 'open',
    title: `${where}: ${names} ${worst === 'major_outage' ? 'down' : 'partly down'}`,
    impact,
    components: group.map((c) => ({ ref: c.ref, status: c.status })),
    detectedAt: Math.min(...group.map((c) => c.statusChangedAt)),
  };
}

function words(status: ComponentStatus): string {
  return status.replace(/_/g, ' ');
}
