import type { PastUptime } from './uptime-bars.js';

/** A published incident as loaded: drafts and internal notes are filtered out by the loader. */
export interface IncidentInput {
  readonly id: string;
  readonly title: string;
  /** An IncidentStatus; anything else is shown as investigating. */
  readonly status: string;
  /** An Impact; anything else is shown as none. */
  readonly impact: string;
  readonly publishedAt: number;
  readonly updatedAt: number;
  readonly monitoringAt: number | null;
  readonly resolvedAt: number | null;
  /** The components it affects and the status it declares for each. */
  readonly components: readonly { readonly componentId: string; readonly status: string }[];
  /** Published public updates only, in any order. */
  readonly updates: readonly {
    readonly id: string;
    readonly status: string;
    readonly body: string;
    readonly affected: readonly {
      readonly componentId: string;
      readonly name: string;
      readonly oldStatus: string;
      readonly newStatus: string;
    }[];
    readonly publishedAt: number;
  }[];
}

/** A maintenance window that is not cancelled, one-off or recurring, with the components it covers. */
export interface MaintenanceInput {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly repeat: string | null;
  readonly repeatUntil: number | null;
  readonly createdAt: number;
  readonly componentIds: readonly string[];
}

/** The stored facts a snapshot is projected from. */
export interface StatusInputs {
  readonly communities: readonly {
    readonly id: string;
    readonly slug: string;
    readonly name: string;
    readonly description: string | null;
    readonly url: string | null;
    readonly position: number;
    readonly updatedAt: number;
  }[];
  readonly components: readonly {
    readonly id: string;
    readonly ref: string;
    readonly communityId: string | null;
    readonly name: string;
    readonly description: string | null;
    readonly position: number;
    readonly status: string;
    readonly createdAt: number;
    readonly updatedAt: number;
  }[];
  readonly dependencies: readonly { readonly communityId: string; readonly componentId: string }[];
  /**
   * Checks and failures per component per UTC day (summed over its monitors): every day of the bar, or
   * only today's when `pastUptime` holds the days before.
   */
  readonly uptime: readonly {
    readonly componentId: string;
    readonly day: number;
    readonly checks: number;
    readonly failures: number;
  }[];
  /** The bars' days before today, kept between rebuilds; ignored unless built for the same UTC day. */
  readonly pastUptime?: PastUptime;
  /** Published incidents, open or resolved within HISTORY_DAYS; absent means none. */
  readonly incidents?: readonly IncidentInput[];
  /** Maintenance windows that may have occurrences near now; absent means none. */
  readonly maintenances?: readonly MaintenanceInput[];
}

/** The page's name and public base URL (no trailing slash). */
export interface PageSettings {
  readonly pageName: string;
  readonly pageUrl: string;
}
