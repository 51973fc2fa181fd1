import {
  type Impact,
  INCIDENT_STATUSES,
  type IncidentStatus,
  OPEN_INCIDENT_STATUSES,
} from '../incidents/incident.js';
import { IMPACTS } from '../oncall/urgency-matrix.js';
import { type ComponentStatus, isComponentStatus } from './component-status.js';
import { renderMarkdown } from './markdown.js';
import type { IncidentInput } from './status-inputs.js';
import { HISTORY_DAYS, type SnapshotIncident, type SnapshotIncidentUpdate } from './status-snapshot.js';

const DAY_MS = 86_400_000;

// renderMarkdown is pure and update bodies rarely change, while the snapshot is rebuilt on every status
// change: remember recent renders so a rebuild does not re-render every update of the last 90 days.
const MARKDOWN_MEMO_LIMIT = 5_000;
const markdownMemo = new Map<string, string>();

/** renderMarkdown with a bounded memo (same source, same output). */
export function renderMarkdownMemo(source: string): string {
  const hit = markdownMemo.get(source);
  if (hit !== undefined) return hit;
  const rendered = renderMarkdown(source);
  if (markdownMemo.size >= MARKDOWN_MEMO_LIMIT) markdownMemo.clear();
  markdownMemo.set(source, rendered);
  return rendered;
}

/** What incident and maintenance projection need to know about a component besides its status. */
export interface ComponentFacts {
  readonly id: string;
  readonly ref: string;
  readonly name: string;
  readonly communitySlug: string | null;
}

/** Components by id, and for each shared component the slugs of communities depending on it (page order). */
export interface ComponentIndex {
  readonly byId: ReadonlyMap<string, ComponentFacts>;
  readonly dependents: ReadonlyMap<string, readonly string[]>;
  /** Community slug → its position on the page, to order communitySlugs. */
  readonly communityOrder: ReadonlyMap<string, number>;
}

/**
 * Published incidents as the page shows them: every open one and those resolved within HISTORY_DAYS of
 * `now`, newest first, with updates newest first and their Markdown rendered sanitised. Pure.
 */
export function projectIncidents(
  incidents: readonly IncidentInput[],
  index: ComponentIndex,
  pageUrl: string,
  now: number,
): SnapshotIncident[] {
  const oldest = now - HISTORY_DAYS * DAY_MS;
  const out: SnapshotIncident[] = [];
  for (const incident of incidents) {
    const status = incidentStatus(incident.status);
    const open = OPEN_INCIDENT_STATUSES.includes(status);
    const resolvedAt = open ? null : (incident.resolvedAt ?? incident.updatedAt);
    if (resolvedAt !== null && resolvedAt < oldest) continue;
    const components = incident.components.flatMap((c) => {
      const facts = index.byId.get(c.componentId);
      if (facts === undefined) return [];
      const declared: ComponentStatus = isComponentStatus(c.status) ? c.status : 'operational';
      return [{ ...facts, status: declared }];
    });
    out.push({
      id: incident.id,
      title: incident.title,
      status,
      impact: (IMPACTS as readonly string[]).includes(incident.impact) ? (incident.impact as Impact) : 'none',
      createdAt: incident.publishedAt,
      updatedAt: incident.updatedAt,
      monitoringAt: incident.monitoringAt,
      resolvedAt,
      url: `${pageUrl}/incidents/${encodeURIComponent(incident.id)}`,
      components,
      communitySlugs: communitySlugs(
        components.map((c) => c.id),
        index,
      ),
      updates: incident.updates.map(projectUpdate).sort((a, b) => b.publishedAt - a.publishedAt),
    });
  }
  return out.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
}

/** True while an incident is investigating, identified or monitoring. */
export function isOpenIncident(incident: { readonly status: IncidentStatus }): boolean {
  return OPEN_INCIDENT_STATUSES.includes(incident.status);
}

/**
 * Owners of these components, plus communities that depend on any of them that is shared infrastructure,
 * in page order. Pure.
 */
export function communitySlugs(componentIds: readonly string[], index: ComponentIndex): string[] {
  const slugs = new Set<string>();
  for (const id of componentIds) {
    const facts = index.byId.get(id);
    if (facts === undefined) continue;
    if (facts.communitySlug !== null) slugs.add(facts.communitySlug);
    else for (const slug of index.dependents.get(id) ?? []) slugs.add(slug);
  }
  const order = index.communityOrder;
  return [...slugs].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

/** Per component, per UTC day of the bar (index 0 = `firstDay`), the incidents that affected it. Pure. */
export function incidentsByComponentDay(
  incidents: readonly SnapshotIncident[],
  firstDay: number,
  days: number,
  now: number,
): Map<string, SnapshotIncident[][]> {
  const out = new Map<string, SnapshotIncident[][]>();
  for (const incident of incidents) {
    const from = Math.max(0, Math.floor((incident.createdAt - firstDay) / DAY_MS));
    const to = Math.min(days - 1, Math.floor(((incident.resolvedAt ?? now) - firstDay) / DAY_MS));
    if (to < from) continue;
    for (const component of incident.components) {
      let perDay = out.get(component.id);
      if (perDay === undefined) {
        perDay = [];
        out.set(component.id, perDay);
      }
      for (let day = from; day <= to; day++) {
        const list = perDay[day] ?? [];
        list.push(incident);
        perDay[day] = list;
      }
    }
  }
  return out;
}

function projectUpdate(update: IncidentInput['updates'][number]): SnapshotIncidentUpdate {
  return {
    id: update.id,
    status: incidentStatus(update.status),
    body: update.body,
    bodyHtml: renderMarkdownMemo(update.body),
    affected: update.affected.map((a) => ({
      componentId: a.componentId,
      name: a.name,
      oldStatus: isComponentStatus(a.oldStatus) ? a.oldStatus : 'operational',
      newStatus: isComponentStatus(a.newStatus) ? a.newStatus : 'operational',
    })),
    publishedAt: update.publishedAt,
  };
}

function incidentStatus(value: string): IncidentStatus {
  return (INCIDENT_STATUSES as readonly string[]).includes(value)
    ? (value as IncidentStatus)
    : 'investigating';
}
