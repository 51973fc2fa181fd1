import type { Generated, Insertable, Selectable } from 'kysely';

// Table types shared by both dialects. Times are epoch milliseconds (bigint in
// PostgreSQL, integer in SQLite); booleans are 0/1 integers so one schema fits both.

export interface CommunitiesTable {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  url: string | null;
  position: number;
  created_at: number;
  updated_at: number;
}

export interface ComponentsTable {
  id: string;
  /** `<community slug>/<key>` or `shared/<key>`: the stable identity config-as-code matches on. */
  ref: string;
  /** Null for shared infrastructure (see community_dependencies). */
  community_id: string | null;
  key: string;
  name: string;
  description: string | null;
  position: number;
  status: string;
  status_changed_at: number;
  created_at: number;
  updated_at: number;
}

export interface CommunityDependenciesTable {
  community_id: string;
  component_id: string;
}

export interface MonitorsTable {
  id: string;
  /** `<component ref>/<key>`. */
  ref: string;
  component_id: string;
  key: string;
  name: string;
  type: string;
  interval_ms: number;
  timeout_ms: number;
  /** JSON: the type-specific probe settings. */
  spec: string;
  /** JSON: the rule thresholds (see rules/consecutive-rule.ts). */
  rule: string;
  /** JSON: locations, confirmation retries, private targets (see store/monitor-settings.ts). */
  settings: Generated<string>;
  enabled: number;
  created_at: number;
  updated_at: number;
}

/** A monitor's rule state at one location (primary key: monitor_id, location). */
export interface MonitorStatesTable {
  monitor_id: string;
  location: string;
  status: string;
  consecutive_failures: number;
  consecutive_successes: number;
  last_checked_at: number | null;
  last_reason: string | null;
  updated_at: number;
}

export interface CheckResultsTable {
  monitor_id: string;
  started_at: number;
  duration_ms: number;
  ok: number;
  /** 1 when every assertion passed except the latency limit. */
  slow: number;
  reason: string | null;
  location: string;
  /** Probe runs this result took: 1, or more when confirmation retries ran. */
  attempts: Generated<number>;
}

/** Rollup granularities and their bucket length in ms. */
export const GRANULARITIES = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type Granularity = keyof typeof GRANULARITIES;

export interface CheckRollupsTable {
  monitor_id: string;
  granularity: Granularity;
  /** Start of the bucket (UTC), epoch ms. */
  bucket: number;
  checks: number;
  failures: number;
  latency_sum_ms: number;
  latency_min_ms: number;
  latency_max_ms: number;
}

export interface ComponentStatusChangesTable {
  /** Time-ordered id (see store/new-id.ts): sorting by id is sorting by time of insert. */
  id: string;
  component_id: string;
  from_status: string;
  to_status: string;
  reason: string;
  monitor_id: string | null;
  at: number;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  token_hash: string;
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface HeartbeatTokensTable {
  monitor_id: string;
  token: string;
  created_at: number;
}

export interface HeartbeatPingsTable {
  id: string;
  monitor_id: string;
  kind: string;
  at: number;
  /** Client address the ping came from, for people looking into a failure. */
  source: string | null;
}

export interface Schema {
  communities: CommunitiesTable;
  components: ComponentsTable;
  community_dependencies: CommunityDependenciesTable;
  monitors: MonitorsTable;
  monitor_states: MonitorStatesTable;
  check_results: CheckResultsTable;
  check_rollups: CheckRollupsTable;
  component_status_changes: ComponentStatusChangesTable;
  api_tokens: ApiTokensTable;
  heartbeat_tokens: HeartbeatTokensTable;
  heartbeat_pings: HeartbeatPingsTable;
}

export type CommunityRow = Selectable<CommunitiesTable>;
export type ComponentRow = Selectable<ComponentsTable>;
export type MonitorRow = Selectable<MonitorsTable>;
export type MonitorStateRow = Selectable<MonitorStatesTable>;
export type NewCheckResult = Insertable<CheckResultsTable>;
export type RollupRow = Selectable<CheckRollupsTable>;
