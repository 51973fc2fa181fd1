import { html, type SafeHtml } from './html.js';
import { liveRegion, pageLayout } from './page-layout.js';
import {
  incidentSummaryItem,
  incidentsFor,
  maintenanceItem,
  maintenancesFor,
} from './render-incident-parts.js';
import type { SnapshotIncident, SnapshotMaintenance, StatusSnapshot } from './status-snapshot.js';
import { HISTORY_DAYS } from './status-snapshot.js';

const DAY_MS = 86_400_000;

/**
 * The page at `/history` (slug null: the whole fleet) or `/c/<slug>/history`: every month (UTC) of the
 * last HISTORY_DAYS, newest first, with the incidents that started in it and the maintenance that was
 * completed in it; a month without any says so. Null for an unknown slug. Pure.
 */
export function renderHistoryPage(snapshot: StatusSnapshot, slug: string | null): string | null {
  const community = slug === null ? null : snapshot.communities.find((c) => c.slug === slug);
  if (community === undefined) return null;
  const incidents = incidentsFor(snapshot, slug);
  const completed = maintenancesFor(snapshot, slug).filter((m) => m.status === 'completed');
  const name = community === null ? snapshot.pageName : community.name;
  const base = community === null ? '' : `/c/${encodeURIComponent(community.slug)}`;
  const months = monthsBack(snapshot.builtAt, snapshot.builtAt - HISTORY_DAYS * DAY_MS);
  const body = html`<p><a href="${base === '' ? '/' : base}">${community === null ? 'Current status' : `${name}: current status`}</a></p>
<h1>${community === null ? 'Incident history' : `${name}: incident history`}</h1>
<p>Incidents and completed maintenance of the last ${HISTORY_DAYS} days, newest first.</p>
${liveRegion(
  'live-history',
  html`${months.map((month) => monthSection(month, months.at(-1)?.start ?? 0, incidents, completed))}`,
)}`;
  return pageLayout({
    title: `Incident history · ${name}`,
    pageName: snapshot.pageName,
    body,
    asOf: snapshot.builtAt,
    scope: { base, name },
  });
}

interface Month {
  readonly start: number;
  readonly end: number;
  readonly label: string;
  readonly key: string;
}

// An incident that began before the oldest month (still open, or resolved within the window) is listed
// in the oldest month rather than dropped.
function monthSection(
  month: Month,
  oldest: number,
  incidents: readonly SnapshotIncident[],
  maintenances: readonly SnapshotMaintenance[],
): SafeHtml {
  const entries = [
    ...incidents
      .filter(
        (i) => Math.max(i.createdAt, oldest) >= month.start && Math.max(i.createdAt, oldest) < month.end,
      )
      .map((i) => ({ at: i.createdAt, markup: incidentSummaryItem(i) })),
    ...maintenances
      .filter((m) => m.scheduledFor >= month.start && m.scheduledFor < month.end)
      .map((m) => ({ at: m.scheduledFor, markup: maintenanceItem(m) })),
  ].sort((a, b) => b.at - a.at);
  return html`<section aria-labelledby="month-${month.key}">
<h2 id="month-${month.key}">${month.label}</h2>
${
  entries.length === 0
    ? html`<p class="muted">No incidents reported.</p>`
    : html`<ul class="entries">${entries.map((e) => e.markup)}</ul>`
}
</section>`;
}

// UTC months from the one containing `newest` back to the one containing `oldest`.
function monthsBack(newest: number, oldest: number): Month[] {
  const out: Month[] = [];
  const first = new Date(oldest);
  let year = new Date(newest).getUTCFullYear();
  let month = new Date(newest).getUTCMonth();
  while (year > first.getUTCFullYear() || (year === first.getUTCFullYear() && month >= first.getUTCMonth())) {
    const start = Date.UTC(year, month, 1);
    out.push({
      start,
      end: Date.UTC(year, month + 1, 1),
      label: new Date(start).toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
      key: `${year}-${String(month + 1).padStart(2, '0')}`,
    });
    month -= 1;
    if (month < 0) {
      month = 11;
      year -= 1;
    }
  }
  return out;
}
