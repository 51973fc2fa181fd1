import type { ComponentStatus } from '../../src/statuspage/component-status.js';
import { indicatorFor, worstStatus } from '../../src/statuspage/component-status.js';
import { renderMarkdown } from '../../src/statuspage/markdown.js';
import type {
  SnapshotCommunity,
  SnapshotComponent,
  SnapshotIncident,
  SnapshotIncidentUpdate,
  SnapshotMaintenance,
  StatusSnapshot,
} from '../../src/statuspage/status-snapshot.js';
import { UPTIME_DAYS } from '../../src/statuspage/status-snapshot.js';

// A hand-built status snapshot for unit tests of what reads snapshots (v2 JSON, feeds, badges),
// independent of how projectStatus() builds one.

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const NOW = Date.UTC(2026, 10, 21, 15, 0, 0);
export const PAGE_URL = 'http://status.example.org';

/** A component with a 90-day uptime bar; `checks`/`failures` go on every day when given. */
export function component(
  id: string,
  communitySlug: string | null,
  name: string,
  status: ComponentStatus = 'operational',
  uptime: { checks: number; failures: number } = { checks: 0, failures: 0 },
): SnapshotComponent {
  const today = NOW - (NOW % DAY);
  return {
    id,
    ref: `${communitySlug ?? 'shared'}/${id}`,
    name,
    description: null,
    status,
    monitoredStatus: status,
    position: 0,
    createdAt: Date.UTC(2026, 0, 1),
    updatedAt: NOW - HOUR,
    communitySlug,
    uptime: Array.from({ length: UPTIME_DAYS }, (_, i) => ({
      day: today - (UPTIME_DAYS - 1 - i) * DAY,
      checks: uptime.checks,
      failures: uptime.failures,
      incidents: [],
    })),
    uptimeRatio: uptime.checks === 0 ? null : (uptime.checks - uptime.failures) / uptime.checks,
  };
}

/** A community listing `components` (its own and shared ones); status is their worst. */
export function community(
  id: string,
  slug: string,
  name: string,
  components: readonly SnapshotComponent[],
): SnapshotCommunity {
  const status = worstStatus(components.map((c) => c.status));
  return {
    id,
    slug,
    name,
    description: null,
    url: null,
    status,
    indicator: indicatorFor(status),
    updatedAt: NOW - HOUR,
    components,
  };
}

/** A published update whose bodyHtml is `body` rendered by renderMarkdown. */
export function update(
  id: string,
  status: SnapshotIncidentUpdate['status'],
  body: string,
  publishedAt: number,
  affected: SnapshotIncidentUpdate['affected'] = [],
): SnapshotIncidentUpdate {
  return { id, status, body, bodyHtml: renderMarkdown(body), affected, publishedAt };
}

/** An incident on `components`; updates newest first. */
export function incident(
  fields: Pick<SnapshotIncident, 'id' | 'title' | 'status' | 'impact' | 'createdAt' | 'communitySlugs'> & {
    readonly components: readonly SnapshotComponent[];
    readonly updates: readonly SnapshotIncidentUpdate[];
    readonly resolvedAt?: number | null;
    readonly monitoringAt?: number | null;
  },
): SnapshotIncident {
  return {
    id: fields.id,
    title: fields.title,
    status: fields.status,
    impact: fields.impact,
    createdAt: fields.createdAt,
    updatedAt: Math.max(fields.createdAt, ...fields.updates.map((u) => u.publishedAt)),
    monitoringAt: fields.monitoringAt ?? null,
    resolvedAt: fields.resolvedAt ?? null,
    url: `${PAGE_URL}/incidents/${fields.id}`,
    components: fields.components.map((c) => ({
      id: c.id,
      ref: c.ref,
      name: c.name,
      status: c.status,
      communitySlug: c.communitySlug,
    })),
    communitySlugs: fields.communitySlugs,
    updates: fields.updates,
  };
}

/** A maintenance window on `components`. */
export function maintenance(
  fields: Pick<
    SnapshotMaintenance,
    'id' | 'title' | 'status' | 'scheduledFor' | 'scheduledUntil' | 'communitySlugs'
  > & { readonly components: readonly SnapshotComponent[]; readonly description?: string | null },
): SnapshotMaintenance {
  const description = fields.description ?? null;
  return {
    id: fields.id,
    maintenanceId: fields.id,
    title: fields.title,
    description,
    descriptionHtml: description === null ? null : renderMarkdown(description),
    status: fields.status,
    scheduledFor: fields.scheduledFor,
    scheduledUntil: fields.scheduledUntil,
    createdAt: NOW - 10 * DAY,
    url: `${PAGE_URL}/maintenances/${fields.id}`,
    components: fields.components.map((c) => ({
      id: c.id,
      ref: c.ref,
      name: c.name,
      communitySlug: c.communitySlug,
    })),
    communitySlugs: fields.communitySlugs,
  };
}

export const alphaHub = component('a-hub', 'alpha', 'Hub', 'major_outage', { checks: 1000, failures: 1 });
export const alphaLogin = component('a-login', 'alpha', 'Login', 'operational', {
  checks: 1000,
  failures: 0,
});
export const betaHub = component('b-hub', 'beta', 'Hub', 'under_maintenance');
export const east = component('east', null, 'East cluster', 'degraded_performance');

/**
 * Alpha (Hub in major outage, Login, and shared East cluster) and Beta (Hub under maintenance).
 * Incidents: alpha's open hub outage, east's monitoring incident (shown on alpha, which depends on
 * east), beta's resolved one. Maintenances: beta's in progress, alpha's upcoming, east's completed.
 */
export function sampleSnapshot(overrides: Partial<StatusSnapshot> = {}): StatusSnapshot {
  const communities = [
    community('com-alpha', 'alpha', 'Alpha Hub', [alphaHub, alphaLogin, east]),
    community('com-beta', 'beta', 'Beta Forum', [betaHub]),
  ];
  const components = [alphaHub, alphaLogin, betaHub, east];
  const status = worstStatus(components.map((c) => c.status));
  return {
    builtAt: NOW,
    pageName: 'Fleet status',
    pageUrl: PAGE_URL,
    status,
    indicator: indicatorFor(status),
    updatedAt: NOW - HOUR,
    communities,
    components,
    incidents: [
      incident({
        id: 'inc-hub',
        title: 'Alpha hub down',
        status: 'identified',
        impact: 'major',
        createdAt: NOW - 2 * HOUR,
        communitySlugs: ['alpha'],
        components: [alphaHub],
        updates: [
          update('upd-hub-2', 'identified', 'Found a **bad** deploy.', NOW - HOUR),
          update('upd-hub-1', 'investigating', 'Hub returns 500.', NOW - 2 * HOUR, [
            { componentId: 'a-hub', name: 'Hub', oldStatus: 'operational', newStatus: 'major_outage' },
          ]),
        ],
      }),
      incident({
        id: 'inc-east',
        title: 'East cluster slow',
        status: 'monitoring',
        impact: 'minor',
        createdAt: NOW - 3 * HOUR,
        monitoringAt: NOW - 30 * 60_000,
        communitySlugs: ['alpha'],
        components: [east],
        updates: [update('upd-east-1', 'monitoring', 'Watching the fix.', NOW - 30 * 60_000)],
      }),
      incident({
        id: 'inc-beta',
        title: 'Beta forum errors',
        status: 'resolved',
        impact: 'critical',
        createdAt: NOW - 5 * DAY,
        resolvedAt: NOW - 5 * DAY + HOUR,
        communitySlugs: ['beta'],
        components: [betaHub],
        updates: [
          update('upd-beta-2', 'resolved', 'All good again.', NOW - 5 * DAY + HOUR, [
            { componentId: 'b-hub', name: 'Hub', oldStatus: 'major_outage', newStatus: 'operational' },
          ]),
          update('upd-beta-1', 'investigating', 'Errors on the forum.', NOW - 5 * DAY),
        ],
      }),
    ],
    maintenances: [
      maintenance({
        id: 'mnt-east',
        title: 'East cluster upgrade',
        status: 'completed',
        scheduledFor: NOW - 3 * DAY,
        scheduledUntil: NOW - 3 * DAY + HOUR,
        communitySlugs: ['alpha'],
        components: [east],
      }),
      maintenance({
        id: 'mnt-beta',
        title: 'Beta database move',
        status: 'in_progress',
        scheduledFor: NOW - HOUR,
        scheduledUntil: NOW + HOUR,
        communitySlugs: ['beta'],
        components: [betaHub],
        description: 'Moving the **database**.',
      }),
      maintenance({
        id: 'mnt-alpha',
        title: 'Alpha login upgrade',
        status: 'scheduled',
        scheduledFor: NOW + 2 * DAY,
        scheduledUntil: NOW + 2 * DAY + HOUR,
        communitySlugs: ['alpha'],
        components: [alphaLogin],
      }),
    ],
    ...overrides,
  };
}
