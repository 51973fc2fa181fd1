import { html, type SafeHtml } from './html.js';
import { liveRegion, pageLayout, statusBadge, timeTag } from './page-layout.js';
import { formatDuration, incidentStatusLabel, incidentTags, updateList } from './render-incident-parts.js';
import type { SnapshotIncident, StatusSnapshot } from './status-snapshot.js';

/**
 * The page at `/incidents/<id>`: title, status and impact in words, when it started and (once resolved)
 * how long it lasted, the affected components with their communities, and the full trail of public
 * updates newest first, each "Posted <time>". Null when the snapshot has no such published incident
 * (unknown ids and drafts alike), which the route answers with renderMissingPage and a 404. Pure.
 */
export function renderIncidentPage(snapshot: StatusSnapshot, id: string): string | null {
  const incident = snapshot.incidents.find((i) => i.id === id);
  if (incident === undefined) return null;
  const names = new Map(snapshot.communities.map((c) => [c.slug, c.name]));
  const body = html`<p><a href="/">All communities</a>${incident.communitySlugs.map(
    (slug) => html` · <a href="/c/${encodeURIComponent(slug)}">${names.get(slug) ?? slug}</a>`,
  )}</p>
${liveRegion('live-incident', article(incident, names), true)}`;
  const scope =
    incident.communitySlugs.length === 1 && incident.communitySlugs[0] !== undefined
      ? {
          base: `/c/${encodeURIComponent(incident.communitySlugs[0])}`,
          name: names.get(incident.communitySlugs[0]) ?? incident.communitySlugs[0],
        }
      : undefined;
  return pageLayout({
    title: `${incident.title}: ${incidentStatusLabel(incident.status)} · ${snapshot.pageName}`,
    pageName: snapshot.pageName,
    body,
    asOf: snapshot.builtAt,
    ...(scope ? { scope } : {}),
  });
}

/** A 404 page for an address that names nothing public (an unknown or draft incident); no reload. */
export function renderMissingPage(pageName: string, heading: string, sentence: string): string {
  const body = html`<h1>${heading}</h1>
<p>${sentence}</p>
<p><a href="/">See the current status</a> · <a href="/history">Incident history</a></p>`;
  return pageLayout({ title: `${heading} · ${pageName}`, pageName, body, refreshSeconds: 0 });
}

function article(incident: SnapshotIncident, names: ReadonlyMap<string, string>): SafeHtml {
  const open = incident.resolvedAt === null;
  return html`<article class="incident" data-impact="${incident.impact}" aria-labelledby="incident-title">
<h1 id="incident-title">${incident.title}</h1>
<p>${incidentTags(incident)}</p>
<dl class="facts">
<dt>Started</dt><dd>${timeTag(incident.createdAt)}</dd>
${
  incident.resolvedAt === null
    ? null
    : html`<dt>Resolved</dt><dd>${timeTag(incident.resolvedAt)}</dd>
<dt>Duration</dt><dd>${formatDuration(incident.resolvedAt - incident.createdAt)}</dd>`
}
<dt>Last updated</dt><dd>${timeTag(incident.updatedAt)}</dd>
</dl>
<h2>Affected components</h2>
${
  incident.components.length === 0
    ? html`<p>No components are listed for this incident.</p>`
    : html`<ul class="affected">${incident.components.map(
        (c) =>
          html`<li>${c.name}${
            c.communitySlug === null
              ? html` <span class="muted">(shared infrastructure)</span>`
              : html` <span class="muted">(${names.get(c.communitySlug) ?? c.communitySlug})</span>`
          }${open ? html` ${statusBadge(c.status)}` : null}</li>`,
      )}</ul>`
}
<h2>Updates</h2>
${updateList(incident.updates)}
</article>`;
}
