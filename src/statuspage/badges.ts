import type { ComponentStatus } from './component-status.js';
import { statusLabel } from './component-status.js';
import { escapeXml } from './feeds.js';
import type { SnapshotCommunity, StatusSnapshot } from './status-snapshot.js';

// Shields-style "flat" SVG badges for READMEs and wikis. The message is always words ("major
// outage", "99.95%"), so the colour is never the only signal; the SVG carries role="img", an
// aria-label and a <title> with the same words. Colours are dark enough for white text.

/** What a badge says: a grey label on the left, a coloured message on the right. */
export interface Badge {
  readonly label: string;
  readonly message: string;
  /** Fill of the message half, e.g. #2e7d32. */
  readonly color: string;
}

const STATUS_COLORS: Readonly<Record<ComponentStatus, string>> = {
  operational: '#2e7d32',
  under_maintenance: '#1d5fbf',
  degraded_performance: '#8a6100',
  partial_outage: '#c2410c',
  major_outage: '#b42318',
};

const NO_DATA_COLOR = '#6b7280';

/** The whole fleet's status in words, labelled with the page's name. */
export function fleetStatusBadge(snapshot: StatusSnapshot): Badge {
  return statusBadge(snapshot.pageName, snapshot.status);
}

/** A community's status in words ("operational", "major outage", ...), labelled with its name. */
export function communityStatusBadge(community: SnapshotCommunity): Badge {
  return statusBadge(community.name, community.status);
}

function statusBadge(label: string, status: ComponentStatus): Badge {
  return { label, message: statusLabel(status).toLowerCase(), color: STATUS_COLORS[status] };
}

/**
 * A community's uptime over the 90-day bar, all its components' checks together (its own and the
 * shared ones it depends on): "99.95%", truncated so 100% means no failed check; "no data" without checks.
 */
export function communityUptimeBadge(community: SnapshotCommunity): Badge {
  let checks = 0;
  let failures = 0;
  for (const component of community.components) {
    for (const day of component.uptime) {
      checks += day.checks;
      failures += day.failures;
    }
  }
  const label = `${community.name} uptime`;
  if (checks === 0) return { label, message: 'no data', color: NO_DATA_COLOR };
  const percent = ((checks - failures) / checks) * 100;
  return { label, message: formatPercent(percent), color: uptimeColor(percent) };
}

function formatPercent(percent: number): string {
  if (percent >= 100) return '100%';
  return `${(Math.floor(percent * 100) / 100).toFixed(2)}%`;
}

function uptimeColor(percent: number): string {
  if (percent >= 99.9) return STATUS_COLORS.operational;
  if (percent >= 99) return '#4d7c0f';
  if (percent >= 95) return STATUS_COLORS.degraded_performance;
  if (percent >= 90) return STATUS_COLORS.partial_outage;
  return STATUS_COLORS.major_outage;
}

/** The badge as a standalone SVG document (image/svg+xml); every text is XML-escaped. */
export function renderBadge(badge: Badge): string {
  const labelWidth = textWidth(badge.label) + 10;
  const messageWidth = textWidth(badge.message) + 10;
  const width = labelWidth + messageWidth;
  const words = escapeXml(`${badge.label}: ${badge.message}`);
  const label = escapeXml(badge.label);
  const message = escapeXml(badge.message);
  const color = /^#[0-9a-f]{3,8}$/i.test(badge.color) ? badge.color : NO_DATA_COLOR;
  const labelX = labelWidth / 2;
  const messageX = labelWidth + messageWidth / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${words}">
<title>${words}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${labelWidth}" height="20" fill="#555"/><rect x="${labelWidth}" width="${messageWidth}" height="20" fill="${color}"/><rect width="${width}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11" aria-hidden="true">
<text x="${labelX}" y="15" fill="#010101" fill-opacity=".3">${label}</text><text x="${labelX}" y="14">${label}</text>
<text x="${messageX}" y="15" fill="#010101" fill-opacity=".3">${message}</text><text x="${messageX}" y="14">${message}</text>
</g>
</svg>
`;
}

// Approximate advance widths of Verdana at 11px; close enough that text never overflows its half.
const NARROW = new Set([..."iljtfrI!|.,:;'` ()[]"]);
const WIDE = new Set([...'mwMW%@']);

function textWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    if (NARROW.has(char)) width += 4;
    else if (WIDE.has(char)) width += 11;
    else if (char >= 'A' && char <= 'Z') width += 8;
    else width += 7;
  }
  return Math.ceil(width);
}
