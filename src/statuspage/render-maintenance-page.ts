import { html, SafeHtml } from './html.js';
import { liveRegion, pageLayout } from './page-layout.js';
import { formatDuration, maintenanceTag, windowText } from './render-incident-parts.js';
import type { StatusSnapshot } from './status-snapshot.js';

/**
 * The page at `/maintenances/<id>` (the `url` of a snapshot maintenance): title, status in words, the
 * window, the components it covers with their communities, and the description. Null when the snapshot
 * has no such occurrence. Pure.
 */
export function renderMaintenancePage(snapshot: StatusSnapshot, id: string): string | null {
  const m = snapshot.maintenances.find((x) => x.id === id);
  if (m === undefined) return null;
  const names = new Map(snapshot.communities.map((c) => [c.slug, c.name]));
  const content = html`<article aria-labelledby="maintenance-title">
<h1 id="maintenance-title">${m.title}</h1>
<p>${maintenanceTag(m.status)}</p>
<p>${windowText(m)} (${formatDuration(m.scheduledUntil - m.scheduledFor)})</p>
<h2>Affected components</h2>
${
  m.components.length === 0
    ? html`<p>No components are listed.</p>`
    : html`<ul class="affected">${m.components.map(
        (c) =>
          html`<li>${c.name} <span class="muted">(${c.communitySlug === null ? 'shared infrastructure' : (names.get(c.communitySlug) ?? c.communitySlug)})</span></li>`,
      )}</ul>`
}
${m.descriptionHtml === null ? null : html`<h2>Details</h2><div class="update-body">${new SafeHtml(m.descriptionHtml)}</div>`}
</article>`;
  const body = html`<p><a href="/">All communities</a>${m.communitySlugs.map(
    (slug) => html` · <a href="/c/${encodeURIComponent(slug)}">${names.get(slug) ?? slug}</a>`,
  )}</p>
${liveRegion('live-maintenance', content, true)}`;
  return pageLayout({
    title: `${m.title}: maintenance · ${snapshot.pageName}`,
    pageName: snapshot.pageName,
    body,
    asOf: snapshot.builtAt,
  });
}
