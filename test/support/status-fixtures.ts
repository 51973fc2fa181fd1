import type { IncidentInput, MaintenanceInput, StatusInputs } from '../../src/statuspage/project-status.js';

/** 2026-11-21 15:00 UTC: the clock status-page tests project at. */
export const STATUS_NOW = Date.UTC(2026, 10, 21, 15, 0, 0);
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const STATUS_PAGE = { pageName: 'Fleet status', pageUrl: 'http://127.0.0.1:8080' };

type Community = StatusInputs['communities'][number];
type Component = StatusInputs['components'][number];

/** A community row for StatusInputs. */
export function communityInput(id: string, slug: string, name: string, position: number): Community {
  return { id, slug, name, description: null, url: null, position, updatedAt: 1 };
}

/** A component row for StatusInputs; ref `<communityId or shared>/<id>`. */
export function componentInput(
  id: string,
  communityId: string | null,
  name: string,
  status = 'operational',
): Component {
  const ref = `${communityId ?? 'shared'}/${id}`;
  return { id, ref, communityId, name, description: null, position: 0, status, createdAt: 1, updatedAt: 5 };
}

/** Alpha (hub, login; depends on shared east), beta (hub), gamma (hub) and shared east. */
export function fleetInputs(overrides: Partial<StatusInputs> = {}): StatusInputs {
  return {
    communities: [
      communityInput('alpha', 'alpha', 'Alpha Hub', 0),
      communityInput('beta', 'beta', 'Beta Forum', 1),
      communityInput('gamma', 'gamma', 'Gamma Lab', 2),
    ],
    components: [
      componentInput('a-hub', 'alpha', 'Hub'),
      componentInput('a-login', 'alpha', 'Login'),
      componentInput('b-hub', 'beta', 'Hub'),
      componentInput('g-hub', 'gamma', 'Hub'),
      componentInput('east', null, 'East cluster'),
    ],
    dependencies: [{ communityId: 'alpha', componentId: 'east' }],
    uptime: [],
    ...overrides,
  };
}

/** An open, published incident on a-hub (partial_outage) started two hours before STATUS_NOW. */
export function incidentInput(overrides: Partial<IncidentInput> = {}): IncidentInput {
  const publishedAt = STATUS_NOW - 2 * HOUR_MS;
  return {
    id: 'inc_1',
    title: 'Hub is slow to start servers',
    status: 'investigating',
    impact: 'major',
    publishedAt,
    updatedAt: publishedAt + 30 * 60_000,
    monitoringAt: null,
    resolvedAt: null,
    components: [{ componentId: 'a-hub', status: 'partial_outage' }],
    updates: [
      {
        id: 'upd_1',
        status: 'investigating',
        body: 'We are **looking** into slow server starts.',
        affected: [
          { componentId: 'a-hub', name: 'Hub', oldStatus: 'operational', newStatus: 'partial_outage' },
        ],
        publishedAt,
      },
      {
        id: 'upd_2',
        status: 'identified',
        body: 'A node pool is full; adding capacity.',
        affected: [],
        publishedAt: publishedAt + 30 * 60_000,
      },
    ],
    ...overrides,
  };
}

/** A one-off maintenance on b-hub from one hour before to one hour after STATUS_NOW. */
export function maintenanceInput(overrides: Partial<MaintenanceInput> = {}): MaintenanceInput {
  return {
    id: 'mnt_1',
    title: 'Database upgrade',
    description: 'Upgrading PostgreSQL; hubs may be **read-only**.',
    startsAt: STATUS_NOW - HOUR_MS,
    endsAt: STATUS_NOW + HOUR_MS,
    repeat: null,
    repeatUntil: null,
    createdAt: STATUS_NOW - 7 * DAY_MS,
    componentIds: ['b-hub'],
    ...overrides,
  };
}

/** Markdown that must render inert everywhere. */
export const HOSTILE_MARKDOWN =
  '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))';
