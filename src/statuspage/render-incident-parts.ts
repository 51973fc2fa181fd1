import type { Impact, IncidentStatus } from '../incidents/incident.js';
import { statusLabel } from './component-status.js';
import { html, SafeHtml } from './html.js';
import { statusBadge, timeTag } from './page-layout.js';
import type {
  MaintenanceStatus,
  SnapshotIncident,
  SnapshotIncidentUpdate,
  SnapshotMaintenance,
  StatusSnapshot,
} from './status-snapshot.js';

const INCIDENT_STATUS_LABELS: Readonly<Record<IncidentStatus, string>> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  postmortem: 'Postmortem',
};

const IMPACT_LABELS: Readonly<Record<Impact, string>> = {
  critical: 'Critical impact',
  major: 'Major impact',
  minor: 'Minor impact',
  none: 'No impact',
};

const MAINTENANCE_LABELS: Readonly<Record<MaintenanceStatus, string>> = {
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  completed: 'Completed',
};

/** "Investigating", "Resolved", … */
export function incidentStatusLabel(status: IncidentStatus): string {
  return INCIDENT_STATUS_LABELS[status];
}

/** An incident's status and impact as words, with data attributes for colour (never colour alone). */
export function incidentTags(incident: SnapshotIncident): SafeHtml {
  return html`<span class="tag" data-incident-status="${incident.status}">${incidentStatusLabel(incident.status)}</span>
<span class="tag" data-impact="${incident.impact}">${IMPACT_LABELS[incident.impact]}</span>`;
}

/** A maintenance occurrence's status in words. */
export function maintenanceTag(status: MaintenanceStatus): SafeHtml {
  return html`<span class="tag" data-maintenance-status="${status}">${MAINTENANCE_LABELS[status]}</span>`;
}

/** The site-relative link of an incident's page. */
export function incidentHref(incident: { readonly id: string }): string {
  return `/incidents/${encodeURIComponent(incident.id)}`;
}

/** The site-relative link of a maintenance occurrence's page. */
export function maintenanceHref(maintenance: { readonly id: string }): string {
  return `/maintenances/${encodeURIComponent(maintenance.id)}`;
}

/** Incidents shown on a community's page; every incident when `slug` is null (the fleet). */
export function incidentsFor(snapshot: StatusSnapshot, slug: string | null): SnapshotIncident[] {
  return snapshot.incidents.filter((i) => slug === null || i.communitySlugs.includes(slug));
}

/** Maintenance occurrences touching a community; all when `slug` is null. */
export function maintenancesFor(snapshot: StatusSnapshot, slug: string | null): SnapshotMaintenance[] {
  return snapshot.maintenances.filter((m) => slug === null || m.communitySlugs.includes(slug));
}

/**
 * In-progress and upcoming occurrences, one per window (its next one), soonest first: a window that
 * repeats daily shows once with how many more times it runs in the shown range.
 */
export function upcomingMaintenance(
  maintenances: readonly SnapshotMaintenance[],
): { readonly maintenance: SnapshotMaintenance; readonly more: number }[] {
  const byWindow = new Map<string, { maintenance: SnapshotMaintenance; more: number }>();
  for (const m of maintenances) {
    if (m.status === 'completed') continue;
    const seen = byWindow.get(m.maintenanceId);
    if (seen === undefined) byWindow.set(m.maintenanceId, { maintenance: m, more: 0 });
    else seen.more += 1;
  }
  return [...byWindow.values()];
}

/** The trail of public updates, newest first, each with its status and "Posted <time>". */
export function updateList(updates: readonly SnapshotIncidentUpdate[]): SafeHtml {
  if (updates.length === 0) return html`<p class="muted">No public updates yet.</p>`;
  return html`<ol class="updates" reversed>${updates.map(
    (u) => html`<li>
<p class="update-head"><strong>${incidentStatusLabel(u.status)}</strong> <span class="muted">Posted ${timeTag(u.publishedAt)}</span></p>
<div class="update-body">${new SafeHtml(u.bodyHtml)}</div>
${u.affected.length === 0 ? null : html`<p class="muted">${u.affected.map((a, i) => html`${i > 0 ? '; ' : null}${a.name}: ${statusLabel(a.oldStatus)} → ${statusLabel(a.newStatus)}`)}</p>`}
</li>`,
  )}</ol>`;
}

/**
 * An incident with everything a reader needs on a community page: title linking its own page, status and
 * impact, affected components, and every public update. `level` is the heading level of its title.
 */
export function incidentArticle(incident: SnapshotIncident, level: 2 | 3 = 3): SafeHtml {
  const title = html`<a href="${incidentHref(incident)}">${incident.title}</a>`;
  return html`<article class="incident" data-impact="${incident.impact}" aria-labelledby="incident-${incident.id}">
${level === 2 ? html`<h2 id="incident-${incident.id}">${title}</h2>` : html`<h3 id="incident-${incident.id}">${title}</h3>`}
<p>${incidentTags(incident)}</p>
${affectedLine(incident)}
${updateList(incident.updates)}
</article>`;
}

/** One line per incident for lists: title link, status, impact, and when it was last updated. */
export function incidentSummaryItem(incident: SnapshotIncident): SafeHtml {
  const latest = incident.updates[0]?.publishedAt ?? incident.updatedAt;
  return html`<li data-impact="${incident.impact}">
<a href="${incidentHref(incident)}">${incident.title}</a>
${incidentTags(incident)}
<span class="muted">${incident.resolvedAt === null ? html`Updated ${timeTag(latest)}` : resolvedText(incident)}</span>
</li>`;
}

/**
 * One maintenance occurrence for lists: title link, status and window; with `details`, also the
 * components it covers (with their community's name when it spans several) and its description.
 */
export function maintenanceItem(
  maintenance: SnapshotMaintenance,
  options: {
    readonly more?: number;
    readonly details?: boolean;
    readonly communityNames?: ReadonlyMap<string, string>;
  } = {},
): SafeHtml {
  const more = options.more ?? 0;
  const details = options.details ?? false;
  return html`<li>
<div><a href="${maintenanceHref(maintenance)}">${maintenance.title}</a> ${maintenanceTag(maintenance.status)}</div>
<p class="muted">${windowText(maintenance)}${more > 0 ? `; repeats ${more} more ${more === 1 ? 'time' : 'times'} in the next weeks` : ''}</p>
${details ? componentNames(maintenance, options.communityNames) : null}
${details && maintenance.descriptionHtml !== null ? html`<div class="update-body">${new SafeHtml(maintenance.descriptionHtml)}</div>` : null}
</li>`;
}

function componentNames(
  maintenance: SnapshotMaintenance,
  names: ReadonlyMap<string, string> | undefined,
): SafeHtml | null {
  if (maintenance.components.length === 0) return null;
  const owners = new Set(maintenance.components.map((c) => c.communitySlug));
  const label = (c: SnapshotMaintenance['components'][number]) => {
    if (owners.size < 2) return c.name;
    const owner = c.communitySlug === null ? 'shared' : (names?.get(c.communitySlug) ?? c.communitySlug);
    return `${c.name} (${owner})`;
  };
  return html`<p>Affects: ${maintenance.components.map(label).join(', ')}</p>`;
}

/** "2026-11-21 02:00 UTC to 2026-11-21 04:00 UTC" as <time> elements. */
export function windowText(maintenance: SnapshotMaintenance): SafeHtml {
  return html`${timeTag(maintenance.scheduledFor)} to ${timeTag(maintenance.scheduledUntil)}`;
}

/** "Resolved <time> after 2 h 5 min". */
export function resolvedText(incident: SnapshotIncident): SafeHtml | null {
  if (incident.resolvedAt === null) return null;
  return html`Resolved ${timeTag(incident.resolvedAt)} after ${formatDuration(incident.resolvedAt - incident.createdAt)}`;
}

/** A duration for people: "45 min", "2 h 5 min", "3 d 4 h"; under a minute is "less than a minute". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${rest} min`;
}

function affectedLine(incident: SnapshotIncident): SafeHtml | null {
  if (incident.components.length === 0) return null;
  const open = incident.resolvedAt === null;
  return html`<p>Affected: ${incident.components.map(
    (c, i) => html`${i > 0 ? ', ' : null}${c.name}${open ? html` (${statusBadge(c.status)})` : null}`,
  )}</p>`;
}
