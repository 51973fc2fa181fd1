import type { ComponentStatus, Indicator } from './component-status.js';

/** One day of a component's uptime bar; `checks === 0` means no data that day. */
export interface UptimeDay {
  /** UTC midnight, epoch ms. */
  readonly day: number;
  readonly checks: number;
  readonly failures: number;
}

/** A component as the public page shows it. */
export interface SnapshotComponent {
  readonly id: string;
  readonly ref: string;
  readonly name: string;
  readonly description: string | null;
  readonly status: ComponentStatus;
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
}

/** Length of the uptime bar. */
export const UPTIME_DAYS = 90;
