import type { IncidentStatus } from '../incidents/incident.js';
import { html } from './html.js';
import type {
  MaintenanceStatus,
  SnapshotCommunity,
  SnapshotIncident,
  SnapshotMaintenance,
  StatusSnapshot,
} from './status-snapshot.js';

// RSS 2.0 and Atom 1.0 feeds of the page's history: one entry per published incident and per
// maintenance window. Entry content is HTML (status, time, and the sanitised update bodies) carried
// as escaped text, never CDATA, so nothing in a body can end the element or the document.

/** One feed entry: an incident or a maintenance window with all its public updates as HTML. */
export interface FeedEntry {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  readonly published: number;
  /** The latest update. */
  readonly updated: number;
  /** Safe HTML (sanitised bodies, escaped words), to be XML-escaped by the renderers. */
  readonly html: string;
}

/** A history feed of the fleet or one community; entries most recently updated first. */
export interface Feed {
  readonly title: string;
  readonly description: string;
  /** The HTML page the feed belongs to. */
  readonly pageUrl: string;
  /** The feed's own URL without extension: `${historyUrl}.rss` and `${historyUrl}.atom`. */
  readonly historyUrl: string;
  readonly updated: number;
  readonly entries: readonly FeedEntry[];
}

/** The fleet-wide feed: every incident and maintenance in the snapshot. */
export function fleetFeed(snapshot: StatusSnapshot): Feed {
  return feedOf(snapshot, snapshot.pageName, snapshot.pageUrl, () => true);
}

/** One community's feed: the incidents and maintenances its page shows. */
export function communityFeed(snapshot: StatusSnapshot, community: SnapshotCommunity): Feed {
  return feedOf(
    snapshot,
    `${community.name} — ${snapshot.pageName}`,
    `${snapshot.pageUrl}/c/${community.slug}`,
    (slugs) => slugs.includes(community.slug),
  );
}

function feedOf(
  snapshot: StatusSnapshot,
  title: string,
  pageUrl: string,
  shows: (communitySlugs: readonly string[]) => boolean,
): Feed {
  const entries = [
    ...snapshot.incidents.filter((i) => shows(i.communitySlugs)).map(incidentEntry),
    ...snapshot.maintenances.filter((m) => shows(m.communitySlugs)).map(maintenanceEntry),
  ].sort((a, b) => b.updated - a.updated || b.published - a.published);
  return {
    title,
    description: `Incident and maintenance history of ${title}`,
    pageUrl,
    historyUrl: `${pageUrl}/history`,
    updated: entries[0]?.updated ?? snapshot.updatedAt,
    entries,
  };
}

const INCIDENT_WORDS: Readonly<Record<IncidentStatus, string>> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  postmortem: 'Postmortem',
};

const MAINTENANCE_WORDS: Readonly<Record<MaintenanceStatus, string>> = {
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  completed: 'Completed',
};

function incidentEntry(incident: SnapshotIncident): FeedEntry {
  return {
    id: incident.id,
    title: incident.title,
    url: incident.url,
    published: incident.createdAt,
    updated: Math.max(incident.createdAt, ...incident.updates.map((u) => u.publishedAt)),
    html: incident.updates
      .map((u) => heading(INCIDENT_WORDS[u.status], u.publishedAt) + u.bodyHtml)
      .join('\n'),
  };
}

function maintenanceEntry(m: SnapshotMaintenance): FeedEntry {
  const window = html`<p>Scheduled for ${when(m.scheduledFor)} until ${when(m.scheduledUntil)}</p>`;
  const parts = [heading(MAINTENANCE_WORDS.scheduled, m.createdAt) + window + (m.descriptionHtml ?? '')];
  let updated = m.createdAt;
  if (m.status !== 'scheduled') {
    parts.unshift(heading(MAINTENANCE_WORDS.in_progress, m.scheduledFor));
    updated = Math.max(updated, m.scheduledFor);
  }
  if (m.status === 'completed') {
    parts.unshift(heading(MAINTENANCE_WORDS.completed, m.scheduledUntil));
    updated = Math.max(updated, m.scheduledUntil);
  }
  return { id: m.id, title: m.title, url: m.url, published: m.createdAt, updated, html: parts.join('\n') };
}

function heading(status: string, at: number): string {
  return html`<p><strong>${status}</strong> — ${when(at)}</p>`.toString();
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "21 Nov 2026, 15:00 UTC" */
function when(ms: number): string {
  const d = new Date(ms);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hh}:${mm} UTC`;
}

/** RSS 2.0 of `feed`; item guid is the incident (or maintenance) id, description the escaped HTML. */
export function renderRss(feed: Feed): string {
  const items = feed.entries.map(
    (e) => `    <item>
      <title>${escapeXml(e.title)}</title>
      <link>${escapeXml(e.url)}</link>
      <guid isPermaLink="false">${escapeXml(e.id)}</guid>
      <pubDate>${new Date(e.published).toUTCString()}</pubDate>
      <description>${escapeXml(e.html)}</description>
    </item>
`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${escapeXml(feed.title)}</title>
    <link>${escapeXml(feed.pageUrl)}</link>
    <description>${escapeXml(feed.description)}</description>
    <language>en</language>
    <lastBuildDate>${new Date(feed.updated).toUTCString()}</lastBuildDate>
    <atom:link href="${escapeXml(`${feed.historyUrl}.rss`)}" rel="self" type="application/rss+xml"/>
${items.join('')}  </channel>
</rss>
`;
}

/** Atom 1.0 of `feed`; entry id is the incident's page URL, content the escaped HTML (type="html"). */
export function renderAtom(feed: Feed): string {
  const entries = feed.entries.map(
    (e) => `  <entry>
    <id>${escapeXml(e.url)}</id>
    <title type="text">${escapeXml(e.title)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(e.url)}"/>
    <published>${iso(e.published)}</published>
    <updated>${iso(e.updated)}</updated>
    <content type="html">${escapeXml(e.html)}</content>
  </entry>
`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <id>${escapeXml(`${feed.historyUrl}.atom`)}</id>
  <title type="text">${escapeXml(feed.title)}</title>
  <subtitle type="text">${escapeXml(feed.description)}</subtitle>
  <updated>${iso(feed.updated)}</updated>
  <link rel="alternate" type="text/html" href="${escapeXml(feed.pageUrl)}"/>
  <link rel="self" type="application/atom+xml" href="${escapeXml(`${feed.historyUrl}.atom`)}"/>
  <author><name>${escapeXml(feed.title)}</name></author>
${entries.join('')}</feed>
`;
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Escapes text for XML element content and quoted attributes alike, dropping characters XML 1.0
 * cannot carry at all (control characters, lone surrogates), so any string yields well-formed XML.
 */
export function escapeXml(text: string): string {
  return text
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to drop
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      '',
    )
    .replace(/[&<>"']/g, (char) => XML_ENTITIES[char] ?? char);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
