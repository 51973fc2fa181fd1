import type { Impact, IncidentStatus } from '../incidents/incident.js';
import type { ComponentStatus, Indicator } from './component-status.js';

/** One day of a component's uptime bar; `checks === 0` means no data that day. */
export interface UptimeDay {
  /** UTC midnight, epoch ms. */
  readonly day: number;
  readonly checks: number;
  readonly failures: number;
  /** Published incidents that affected this component on this day (per-day details). */
  readonly incidents: readonly { readonly id: string; readonly title: string; readonly impact: Impact }[];
}

/** A component as the public page shows it. */
export interface SnapshotComponent {
  readonly id: string;
  readonly ref: string;
  readonly name: string;
  readonly description: string | null;
  /**
   * What the page shows: under_maintenance during an active maintenance (unless an open incident says
   * otherwise), else the worse of the monitored status and what open incidents declare.
   */
  readonly status: ComponentStatus;
  /** The status from checks and rules alone. */
  readonly monitoredStatus: ComponentStatus;
  readonly position: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Owning community's slug; null for shared infrastructure. */
  readonly communitySlug: string | null;
  /** Oldest first, exactly `UPTIME_DAYS` entries ending today (UTC). */
  readonly uptime: readonly UptimeDay[];
  /** Uptime over the bar as a fraction 0..1, or null without any checks. */
  readonly uptimeRatio: number | null;
}

/** A community with its own components and the shared ones it depends on. */
export interface SnapshotCommunity {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string | null;
  readonly url: string | null;
  /** Worst status of `components`. */
  readonly status: ComponentStatus;
  readonly indicator: Indicator;
  readonly updatedAt: number;
  readonly components: readonly SnapshotComponent[];
}

/** One published public update of an incident. */
export interface SnapshotIncidentUpdate {
  readonly id: string;
  readonly status: IncidentStatus;
  /** Markdown as written. */
  readonly body: string;
  /** The Markdown rendered and sanitised (see statuspage/markdown.ts); safe to emit as it is. */
  readonly bodyHtml: string;
  readonly affected: readonly {
    readonly componentId: string;
    readonly name: string;
    readonly oldStatus: ComponentStatus;
    readonly newStatus: ComponentStatus;
  }[];
  readonly publishedAt: number;
}

/** A published incident as the public sees it (drafts and internal notes never reach the snapshot). */
export interface SnapshotIncident {
  readonly id: string;
  readonly title: string;
  readonly status: IncidentStatus;
  readonly impact: Impact;
  /** When it was published (Statuspage's created_at / started_at). */
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly monitoringAt: number | null;
  readonly resolvedAt: number | null;
  /** `${pageUrl}/incidents/${id}` */
  readonly url: string;
  /** Affected components with the status the incident gives them. */
  readonly components: readonly {
    readonly id: string;
    readonly ref: string;
    readonly name: string;
    readonly status: ComponentStatus;
    readonly communitySlug: string | null;
  }[];
  /**
   * Communities whose page shows it: owners of affected components, and communities that depend on an
   * affected shared component.
   */
  readonly communitySlugs: readonly string[];
  /** Newest first. */
  readonly updates: readonly SnapshotIncidentUpdate[];
}

/** Statuspage's scheduled-maintenance statuses. */
export type MaintenanceStatus = 'scheduled' | 'in_progress' | 'completed';

/** One occurrence of a maintenance window (a recurring window has one per occurrence). */
export interface SnapshotMaintenance {
  /** `${maintenanceId}` for one-off windows, `${maintenanceId}-${start}` for an occurrence of a recurring one. */
  readonly id: string;
  readonly maintenanceId: string;
  readonly title: string;
  readonly description: string | null;
  /** Sanitised HTML of `description`, or null. */
  readonly descriptionHtml: string | null;
  readonly status: MaintenanceStatus;
  readonly scheduledFor: number;
  readonly scheduledUntil: number;
  readonly createdAt: number;
  readonly url: string;
  readonly components: readonly {
    readonly id: string;
    readonly ref: string;
    readonly name: string;
    readonly communitySlug: string | null;
  }[];
  readonly communitySlugs: readonly string[];
}

/**
 * Everything the public pages, JSON and badges show, computed in one go by
 * projectStatus(). Readers never touch the database.
 */
export interface StatusSnapshot {
  readonly builtAt: number;
  readonly pageName: string;
  /** Public base URL of the page, e.g. http://127.0.0.1:8080 (no trailing slash). */
  readonly pageUrl: string;
  readonly status: ComponentStatus;
  readonly indicator: Indicator;
  readonly updatedAt: number;
  readonly communities: readonly SnapshotCommunity[];
  /** Every component once: each community's own, then shared infrastructure. */
  readonly components: readonly SnapshotComponent[];
  /**
   * Published incidents: every unresolved one, and those resolved within HISTORY_DAYS; newest first.
   */
  readonly incidents: readonly SnapshotIncident[];
  /**
   * Maintenance occurrences: in progress, upcoming within UPCOMING_DAYS, and completed within
   * HISTORY_DAYS; soonest first.
   */
  readonly maintenances: readonly SnapshotMaintenance[];
}

/** How far back incident and maintenance history reaches on pages, JSON and feeds. */
export const HISTORY_DAYS = 90;

/** How far ahead upcoming maintenance is shown. */
export const UPCOMING_DAYS = 30;

/** Length of the uptime bar. */
export const UPTIME_DAYS = 90;
