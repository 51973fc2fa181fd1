import { statusLabel } from './component-status.js';
import { html, type SafeHtml } from './html.js';
import { liveRegion, pageLayout, statusBadge } from './page-layout.js';
import {
  incidentArticle,
  incidentHref,
  incidentSummaryItem,
  incidentsFor,
  maintenanceItem,
  maintenancesFor,
  upcomingMaintenance,
} from './render-incident-parts.js';
import { reportForm } from './render-report-pages.js';
import { subscribeForm } from './render-subscribe-form.js';
import type { SnapshotCommunity, SnapshotComponent, StatusSnapshot, UptimeDay } from './status-snapshot.js';
import { HISTORY_DAYS, UPTIME_DAYS } from './status-snapshot.js';

const RECENT_DAYS = 14;
const DAY_MS = 86_400_000;

/**
 * The page at `/c/<slug>`: the community's overall status, its active incidents with every public update,
 * in-progress and upcoming maintenance, its own components then the shared infrastructure it depends on
 * (each with a 90-day bar and a list of days with problems), incidents of the last 14 days, and the
 * "Report a problem" and "Get updates by email" forms. Null when no community has this slug, which the
 * route answers with renderNotFoundPage and a 404. Pure.
 */
export function renderCommunityPage(snapshot: StatusSnapshot, slug: string): string | null {
  const community = snapshot.communities.find((c) => c.slug === slug);
  if (community === undefined) return null;
  const own = community.components.filter((c) => c.communitySlug !== null);
  const shared = community.components.filter((c) => c.communitySlug === null);
  const incidents = incidentsFor(snapshot, slug);
  const active = incidents.filter((i) => i.resolvedAt === null);
  const recent = incidents.filter(
    (i) => i.resolvedAt !== null && i.resolvedAt >= snapshot.builtAt - RECENT_DAYS * DAY_MS,
  );
  const maintenance = upcomingMaintenance(maintenancesFor(snapshot, slug));
  const base = `/c/${encodeURIComponent(slug)}`;
  const names = new Map(snapshot.communities.map((c) => [c.slug, c.name]));
  const body = html`<p><a href="/">All communities</a></p>
${liveRegion('live-banner', banner(community), true)}
${liveRegion(
  'live-incidents',
  active.length === 0
    ? null
    : html`<section aria-labelledby="incidents-heading">
<h2 id="incidents-heading">Active incidents</h2>
${active.map((i) => incidentArticle(i))}
</section>`,
)}
${liveRegion(
  'live-maintenance',
  maintenance.length === 0
    ? null
    : html`<section aria-labelledby="maintenance-heading">
<h2 id="maintenance-heading">Maintenance</h2>
<ul class="entries">${maintenance.map((m) => maintenanceItem(m.maintenance, { more: m.more, details: true, communityNames: names }))}</ul>
</section>`,
)}
${liveRegion(
  'live-components',
  html`${componentSection('components-heading', 'Components', own, 'No components are configured yet.')}
${shared.length === 0 ? null : componentSection('shared-heading', 'Shared infrastructure', shared, '')}`,
)}
${liveRegion(
  'live-history',
  html`<section aria-labelledby="history-heading">
<h2 id="history-heading">Recent history</h2>
${recent.length === 0 ? html`<p>No incidents in the last ${RECENT_DAYS} days.</p>` : html`<ul class="cards">${recent.map(incidentSummaryItem)}</ul>`}
<p><a href="${base}/history">Full history (last ${HISTORY_DAYS} days)</a></p>
</section>`,
)}
<section aria-labelledby="report-heading">
<h2 id="report-heading">Report a problem</h2>
<p>Something not working that is not listed above? Tell the team running ${community.name}. No account needed.</p>
${reportForm(community)}
</section>
<section aria-labelledby="subscribe-heading">
<h2 id="subscribe-heading">Get updates by email</h2>
${subscribeForm(community)}
</section>`;
  return pageLayout({
    title: `${community.name}: ${statusLabel(community.status)} · ${snapshot.pageName}`,
    pageName: snapshot.pageName,
    body,
    asOf: snapshot.builtAt,
    scope: { base, name: community.name },
  });
}

/** The 404 page for `/c/<slug>` when no community has that slug; it does not reload itself. */
export function renderNotFoundPage(pageName: string, slug: string): string {
  const body = html`<h1>Community not found</h1>
<p>This status page has no community called “${slug}”. Check the address, or find the community in the list.</p>
<p><a href="/">See all communities</a></p>`;
  return pageLayout({ title: `Community not found · ${pageName}`, pageName, body, refreshSeconds: 0 });
}

function banner(community: SnapshotCommunity): SafeHtml {
  return html`<section class="banner" data-status="${community.status}">
<h1>${community.name}</h1>
${community.description === null ? null : html`<p>${community.description}</p>`}
<p>Current status: ${statusBadge(community.status)}</p>
${visitLink(community)}
</section>`;
}

// Only http(s) links: a configured `javascript:` URL must never become a clickable link.
function visitLink(community: SnapshotCommunity): SafeHtml | null {
  if (community.url === null || !/^https?:\/\//i.test(community.url)) return null;
  return html`<p><a href="${community.url}">Go to ${community.name}</a></p>`;
}

function componentSection(
  id: string,
  heading: string,
  components: readonly SnapshotComponent[],
  empty: string,
): SafeHtml {
  const content =
    components.length === 0
      ? html`<p>${empty}</p>`
      : html`<ul class="components">${components.map(componentItem)}</ul>`;
  return html`<section aria-labelledby="${id}">
<h2 id="${id}">${heading}</h2>
${content}
</section>`;
}

function componentItem(component: SnapshotComponent): SafeHtml {
  const ratio = component.uptimeRatio;
  return html`<li data-component="${component.ref}">
<div class="head"><h3>${component.name}</h3>${statusBadge(component.status)}</div>
${component.description === null ? null : html`<p class="muted">${component.description}</p>`}
<p>${ratio === null ? 'No data yet' : `${formatPercent(ratio)} uptime`}</p>
${uptimeBar(component)}
${problemDays(component)}
</li>`;
}

const STEP = 5;
const RECT_WIDTH = 3;
const BAR_HEIGHT = 32;

function uptimeBar(component: SnapshotComponent): SafeHtml {
  const width = component.uptime.length * STEP - (STEP - RECT_WIDTH);
  const svg = html`<svg class="bar" viewBox="0 0 ${width} ${BAR_HEIGHT}" preserveAspectRatio="none"
 aria-hidden="true" focusable="false">${component.uptime.map(dayRect)}</svg>`;
  return html`<figure>
${svg}
<div class="axis" aria-hidden="true"><span>${UPTIME_DAYS} days ago</span><span>Today</span></div>
<figcaption class="sr-only">${uptimeSummary(component)}</figcaption>
</figure>`;
}

function dayRect(day: UptimeDay, index: number): SafeHtml {
  const box = html`x="${index * STEP}" y="0" width="${RECT_WIDTH}" height="${BAR_HEIGHT}" rx="1"`;
  return html`<rect class="${dayClass(day)}" ${box}><title>${dayTitle(day)}</title></rect>`;
}

function dayClass(day: UptimeDay): string {
  if (day.checks === 0) return 'none';
  const ratio = dayRatio(day);
  if (ratio >= 1) return 'full';
  if (ratio >= 0.99) return 'high';
  if (ratio >= 0.95) return 'mid';
  return 'low';
}

function dayTitle(day: UptimeDay): string {
  const incidents =
    day.incidents.length === 0 ? '' : `; incidents: ${day.incidents.map((i) => i.title).join(', ')}`;
  return `${isoDate(day.day)}: ${dayUptime(day)}${incidents}`;
}

function dayUptime(day: UptimeDay): string {
  if (day.checks === 0) return 'no data';
  return `${formatPercent(dayRatio(day))} uptime (${day.checks} checks, ${day.failures} failed)`;
}

// The accessible per-day detail: the bar's tooltips need a pointer, this list needs nothing.
function problemDays(component: SnapshotComponent): SafeHtml {
  const days = component.uptime.filter((d) => d.failures > 0 || d.incidents.length > 0).reverse();
  if (days.length === 0)
    return html`<p class="muted">No failed checks or incidents in the last ${UPTIME_DAYS} days.</p>`;
  return html`<details id="days-${component.id}">
<summary>${days.length} ${days.length === 1 ? 'day' : 'days'} with problems</summary>
<ul class="days">${days.map(
    (d) =>
      html`<li><time datetime="${isoDate(d.day)}">${isoDate(d.day)}</time>: ${dayUptime(d)}${d.incidents.map(
        (i, n) => html`${n === 0 ? '. Incidents: ' : ', '}<a href="${incidentHref(i)}">${i.title}</a>`,
      )}</li>`,
  )}</ul>
</details>`;
}

// Screen readers get one sentence instead of 90 tooltips.
function uptimeSummary(component: SnapshotComponent): string {
  if (component.uptimeRatio === null)
    return `${component.name}: no uptime data in the last ${UPTIME_DAYS} days.`;
  const days = component.uptime;
  const failing = days.filter((d) => d.failures > 0);
  const noData = days.filter((d) => d.checks === 0).length;
  const clean = days.length - failing.length - noData;
  const sentence =
    `${component.name}: ${formatPercent(component.uptimeRatio)} uptime over the last ${UPTIME_DAYS} days; ` +
    `${clean} ${clean === 1 ? 'day' : 'days'} without failures, ${failing.length} with failures, ${noData} without data.`;
  const worst = [...failing].sort((a, b) => dayRatio(a) - dayRatio(b))[0];
  return worst === undefined ? sentence : `${sentence} Worst day: ${dayTitle(worst)}.`;
}

function dayRatio(day: UptimeDay): number {
  return (day.checks - day.failures) / day.checks;
}

// Two decimals, but never round a day or a component with failures up to a perfect 100.00 %.
function formatPercent(ratio: number): string {
  const rounded = Math.round(ratio * 10_000) / 100;
  const shown = ratio < 1 && rounded >= 100 ? 99.99 : rounded;
  return `${shown.toFixed(2)} %`;
}

function isoDate(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}
