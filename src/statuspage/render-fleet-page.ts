import { indicatorDescription } from './component-status.js';
import { html, type SafeHtml } from './html.js';
import { liveRegion, pageLayout, statusBadge, statusIcon } from './page-layout.js';
import { incidentSummaryItem, maintenanceItem, upcomingMaintenance } from './render-incident-parts.js';
import type { SnapshotCommunity, StatusSnapshot } from './status-snapshot.js';

/** The no-JS filter on `/`, read by the route from `?q=` and `?status=`. */
export interface FleetPageOptions {
  /** Keeps communities whose name or slug contains this text, ignoring case and surrounding spaces. */
  readonly query?: string;
  /** 'affected' keeps only communities that are not operational; default 'all'. */
  readonly filter?: 'all' | 'affected';
}

/**
 * The page at `/`: the overall state in words, how many communities are affected, active incidents,
 * in-progress and upcoming maintenance, a filter form, and every community that passes the filter in
 * configured order, each linking to `/c/<slug>`. Pure.
 */
export function renderFleetPage(snapshot: StatusSnapshot, options: FleetPageOptions = {}): string {
  const query = options.query?.trim() ?? '';
  const filter = options.filter ?? 'all';
  const shown = snapshot.communities.filter((c) => matches(c, query.toLowerCase(), filter));
  const active = snapshot.incidents.filter((i) => i.resolvedAt === null);
  const maintenance = upcomingMaintenance(snapshot.maintenances);
  const body = html`${liveRegion('live-banner', banner(snapshot), true)}
${liveRegion(
  'live-incidents',
  active.length === 0
    ? null
    : html`<section aria-labelledby="incidents-heading">
<h2 id="incidents-heading">Active incidents</h2>
<ul class="cards">${active.map(incidentSummaryItem)}</ul>
</section>`,
)}
${liveRegion(
  'live-maintenance',
  maintenance.length === 0
    ? null
    : html`<section aria-labelledby="maintenance-heading">
<h2 id="maintenance-heading">Maintenance</h2>
<ul class="entries">${maintenance.map((m) => maintenanceItem(m.maintenance, { more: m.more }))}</ul>
</section>`,
)}
<section aria-labelledby="communities-heading">
<h2 id="communities-heading">Communities</h2>
${filterForm(query, filter)}
${liveRegion(
  'live-communities',
  html`${resultLine(snapshot.communities.length, shown.length, query !== '' || filter === 'affected')}
${shown.length === 0 ? null : html`<ul class="cards">${shown.map(communityItem)}</ul>`}`,
)}
</section>`;
  return pageLayout({
    title: `${indicatorDescription(snapshot.indicator)} · ${snapshot.pageName}`,
    pageName: snapshot.pageName,
    body,
    asOf: snapshot.builtAt,
  });
}

function matches(community: SnapshotCommunity, query: string, filter: 'all' | 'affected'): boolean {
  if (filter === 'affected' && !isAffected(community)) return false;
  if (query === '') return true;
  return community.name.toLowerCase().includes(query) || community.slug.toLowerCase().includes(query);
}

// Maintenance counts as affected: people reading the page want to know the community is not fully usable.
function isAffected(community: SnapshotCommunity): boolean {
  return community.status !== 'operational';
}

function banner(snapshot: StatusSnapshot): SafeHtml {
  const affected = snapshot.communities.filter(isAffected).length;
  const total = snapshot.communities.length;
  return html`<section class="banner" data-status="${snapshot.status}">
<h1>${statusIcon(snapshot.status)} ${indicatorDescription(snapshot.indicator)}</h1>
<p>${affected} of ${plural(total, 'community', 'communities')} affected</p>
</section>`;
}

function filterForm(query: string, filter: 'all' | 'affected'): SafeHtml {
  return html`<form class="filter" method="get" action="/" role="search" aria-label="Filter communities">
<div><label for="q">Name contains</label><input id="q" name="q" type="search" value="${query}"></div>
<div><label for="status">Show</label><select id="status" name="status">
<option value="all"${filter === 'all' ? html` selected` : null}>All communities</option>
<option value="affected"${filter === 'affected' ? html` selected` : null}>Affected only</option>
</select></div>
<button type="submit">Filter</button>
</form>`;
}

function resultLine(total: number, shown: number, filtered: boolean): SafeHtml | null {
  if (total === 0) return html`<p>No communities are configured yet.</p>`;
  if (!filtered) return null;
  const what = shown === 0 ? 'No communities match this filter.' : `Showing ${shown} of ${total}.`;
  return html`<p>${what} <a href="/">Show all communities</a></p>`;
}

function communityItem(community: SnapshotCommunity): SafeHtml {
  const href = `/c/${encodeURIComponent(community.slug)}`;
  return html`<li>
<a href="${href}">${community.name}</a>
${statusBadge(community.status)}
<span class="muted">${plural(community.components.length, 'component', 'components')}</span>
</li>`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
