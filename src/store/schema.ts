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

/** An inbound integration (Alertmanager, Grafana, generic JSON); its token is the secret in its URL. */
export interface IntegrationsTable {
  id: string;
  key: string;
  name: string;
  /** alertmanager | grafana | generic */
  kind: string;
  token: string;
  /** JSON: IntegrationSettings (see ingest/integration-settings.ts). */
  settings: string;
  created_at: number;
  updated_at: number;
}

/** A delivery already taken in: the same (integration, idempotency key) again is answered from here. */
export interface IngestReceiptsTable {
  integration_id: string;
  idempotency_key: string;
  received_at: number;
  /** JSON: the response the first delivery got. */
  response: string;
}

/** Every signal that came in, append-only (check results live in check_results instead). */
export interface SignalsTable {
  id: string;
  integration_id: string | null;
  source: string;
  type: string;
  dedup_key: string;
  status: string;
  community: string | null;
  component: string | null;
  severity: string | null;
  summary: string;
  details: string;
  labels: string;
  occurred_at: number;
  received_at: number;
}

export interface AlertRulesTable {
  id: string;
  key: string;
  name: string;
  kind: string;
  /** JSON: the AlertRule (rules/alert-rule.ts). */
  definition: string;
  enabled: number;
  /** `config` (managed by `firewatch apply`) or `api` (managed through the API; apply leaves it alone). */
  origin: string;
  created_at: number;
  updated_at: number;
}

/** Small named settings as JSON (`alerting`: time boxes and defaults). */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

/**
 * The state behind one dedup key: the rule's state for that subject, the flap history, and the
 * key's current (or last) alert. The row a process locks while it decides about that key.
 */
export interface AlertKeysTable {
  dedup_key: string;
  rule_id: string | null;
  /** JSON RuleState, for keys a rule owns. */
  rule_state: string | null;
  /** JSON FlapState (alerts/flap-damping.ts). */
  flap: string;
  alert_id: string | null;
  updated_at: number;
}

export interface AlertsTable {
  id: string;
  dedup_key: string;
  rule_id: string | null;
  group_id: string | null;
  /** firing | acknowledged | resolved */
  status: string;
  severity: string;
  source: string;
  summary: string;
  details: string;
  labels: string;
  community: string | null;
  component: string | null;
  flapping: number;
  /** `silence:<id>` or `maintenance:<id>` while notifications are muted; null otherwise. */
  muted_by: string | null;
  owner: string | null;
  repeat_count: number;
  fired_at: number;
  last_signal_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  /** How it ended: auto, manual, deferred, incident. */
  resolution: string | null;
  timebox_ends_at: number | null;
  /** running | expired | null */
  timebox_state: string | null;
  created_at: number;
  updated_at: number;
  /** Urgency the matrix gave (high, low, follow_up); null before on-call existed. */
  urgency: string | null;
  /** The matrix row that applied, e.g. "P1 · critical · high". */
  urgency_row: string | null;
}

/** Append-only history of every alert transition: who, what, when, why. */
export interface AlertEventsTable {
  id: string;
  alert_id: string;
  kind: string;
  actor: string;
  reason: string | null;
  data: string | null;
  at: number;
}

export interface AlertGroupsTable {
  id: string;
  group_key: string;
  /** open | closed */
  status: string;
  title: string;
  alert_count: number;
  open_alerts: number;
  opened_at: number;
  closed_at: number | null;
  updated_at: number;
}

export interface AlertGroupKeysTable {
  group_key: string;
  group_id: string | null;
  updated_at: number;
}

export interface SilencesTable {
  id: string;
  /** JSON LabelMatcher[] */
  matchers: string;
  starts_at: number;
  ends_at: number;
  reason: string;
  author: string;
  created_at: number;
  /** Set when someone ends the silence early. */
  expired_at: number | null;
}

export interface MaintenancesTable {
  id: string;
  title: string;
  starts_at: number;
  ends_at: number;
  author: string;
  created_at: number;
  cancelled_at: number | null;
  /** Markdown shown on the page and in notices; null = none. */
  description: Generated<string | null>;
  /** Null = one-off; else a 5-field cron expression (UTC) for when each occurrence starts. */
  repeat: Generated<string | null>;
  /** Last instant an occurrence may start (recurring only); null = no end. */
  repeat_until: Generated<number | null>;
  /** How long before an occurrence subscribers are told (default 24 h). */
  notify_before_ms: Generated<number>;
}

export interface MaintenanceComponentsTable {
  maintenance_id: string;
  component_id: string;
}

export interface PeopleTable {
  id: string;
  key: string;
  name: string;
  time_zone: string;
  /** JSON: { workingHours, notificationRules }. */
  definition: string;
  /** `config` (firewatch apply owns it) or `api`. */
  origin: string;
  created_at: number;
  updated_at: number;
}

export interface ContactMethodsTable {
  id: string;
  person_id: string;
  key: string;
  kind: string;
  address: string;
  secret: string | null;
  /** Set when a delivery failed permanently (the method needs fixing); cleared when it changes. */
  flagged_at: number | null;
  flag_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface SchedulesTable {
  id: string;
  key: string;
  name: string;
  time_zone: string;
  /** JSON: { layers }. */
  definition: string;
  origin: string;
  created_at: number;
  updated_at: number;
}

export interface ScheduleOverridesTable {
  id: string;
  schedule_id: string;
  kind: string;
  person_key: string;
  starts_at: number;
  ends_at: number;
  origin: string;
  author: string;
  created_at: number;
}

export interface EscalationPoliciesTable {
  id: string;
  key: string;
  name: string;
  /** JSON: { steps, repeat, reminderEveryMs, maxReminders }. */
  definition: string;
  origin: string;
  created_at: number;
  updated_at: number;
}

export interface PagesTable {
  id: string;
  group_id: string;
  /** The alert that opened the page. */
  alert_id: string;
  policy_key: string | null;
  severity: string;
  urgency: string;
  /** escalating | acknowledged | resolved | exhausted */
  status: string;
  round: number;
  next_step: number;
  /** When the next step (escalating) or reminder (acknowledged) is due; null = nothing due. */
  next_due_at: number | null;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  reminders_sent: number;
  /** Bumped on every change: claims are conditional on it. */
  version: number;
  created_at: number;
  updated_at: number;
}

export interface NotificationsTable {
  id: string;
  /** Set for status-page subscriber notices (then page/person are null); the signing secret is read from it. */
  subscriber_id: Generated<string | null>;
  dedup_key: string;
  page_id: string | null;
  alert_id: string | null;
  person_key: string | null;
  method_key: string | null;
  contact_method_id: string | null;
  channel: string;
  address: string;
  /** page | notify | reminder | test … */
  reason: string;
  urgency: string;
  /** JSON OutboundMessage. */
  message: string;
  /** pending | sending | sent | failed | cancelled | bundled */
  state: string;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  bundle_id: string | null;
  sent_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface NotificationAttemptsTable {
  id: string;
  notification_id: string;
  attempt: number;
  /** Which Firewatch process made the attempt. */
  process: string;
  /** sent | retryable_error | permanent_error */
  result: string;
  detail: string | null;
  error: string | null;
  bundle_id: string | null;
  started_at: number;
  duration_ms: number;
}

export interface ActionTokensTable {
  id: string;
  token_hash: string;
  person_key: string;
  /** acknowledge | resolve */
  action: string;
  page_id: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface FollowUpsTable {
  id: string;
  /** What opened it: `alert` (a P4 alert), later `incident`. */
  source: string;
  source_id: string;
  title: string;
  /** open | done */
  state: string;
  owner: string | null;
  due_at: number | null;
  created_at: number;
  updated_at: number;
}

/** One incident: what the public sees (title, status, impact) and how it is run (roles, hold, cadence). */
export interface IncidentsTable {
  id: string;
  title: string;
  /** investigating | identified | monitoring | resolved | postmortem */
  status: string;
  /** none | minor | major | critical */
  impact: string;
  /** P1..P4 from the urgency matrix row for the impact. */
  severity: string;
  /** How the problem was found first: monitoring | community | manual */
  detection_source: string;
  /** What declared it: automation | manual | alert | report */
  origin: string;
  /** When the problem was first known (alert fired, report received, or declared). */
  detected_at: number;
  /** First community report linked to it. */
  first_report_at: number | null;
  /** first_report_at - detected_at when monitoring found it first (positive = monitoring was earlier). */
  lead_time_ms: number | null;
  commander: string | null;
  communications: string | null;
  /** 1 = a human holds it open: automation never moves it to monitoring or resolved. */
  held: Generated<number>;
  /** Null while it is a draft nobody published; drafts never show publicly. */
  published_at: number | null;
  /** When every affected component was last seen operational again (automation's quiet period counts from here). */
  recovered_at: number | null;
  monitoring_at: number | null;
  resolved_at: number | null;
  postmortem_at: number | null;
  /** When the commander owes the next public update (cadence by severity); null when resolved. */
  next_update_due_at: number | null;
  update_reminders: Generated<number>;
  /** Bumped on every change; conditional updates check it. */
  version: Generated<number>;
  created_at: number;
  updated_at: number;
}

/** A component an incident affects and the status the incident says it should show. */
export interface IncidentComponentsTable {
  incident_id: string;
  component_id: string;
  /** A ComponentStatus (degraded_performance, partial_outage, major_outage, under_maintenance, operational). */
  status: string;
  added_at: number;
}

/** A public update (Markdown, shown on the page and sent to subscribers) or an internal note. */
export interface IncidentUpdatesTable {
  id: string;
  incident_id: string;
  /** public | internal */
  kind: string;
  /** The incident status this update announces. */
  status: string;
  /** Markdown source; rendered sanitised. */
  body: string;
  /** JSON [{component_id, name, old_status, new_status}] at the time of the update. */
  affected: string;
  author: string;
  /** draft | published */
  state: string;
  created_at: number;
  published_at: number | null;
}

/** The incident timeline: every event (opened, alert linked, paged, acknowledged, update, status, roles...). */
export interface IncidentEventsTable {
  id: string;
  incident_id: string;
  kind: string;
  actor: string;
  summary: string;
  data: string | null;
  at: number;
}

export interface IncidentAlertsTable {
  incident_id: string;
  alert_id: string;
  linked_at: number;
}

/** A problem report from a community member, waiting in the triage inbox or linked to an incident. */
export interface CommunityReportsTable {
  id: string;
  community_id: string;
  component_id: string | null;
  description: string;
  /** Optional email or other contact the reporter left. */
  contact: string | null;
  /** SHA-256 of the reporter's address (never the address itself), for the per-address limit. */
  address_hash: string;
  /** new | linked | dismissed */
  state: string;
  incident_id: string | null;
  triaged_by: string | null;
  triaged_at: number | null;
  /** Why it was dismissed (the triager's note); null otherwise. */
  triage_note: string | null;
  created_at: number;
}

/** A status-page subscriber: an email address (double opt-in) or a webhook URL. */
export interface SubscribersTable {
  id: string;
  /** email | webhook */
  kind: string;
  address: string;
  /** JSON array of community slugs; null = the whole fleet. */
  communities: string | null;
  /** Webhook signing secret (HMAC, like contact methods); null for email. */
  secret: string | null;
  /** SHA-256 of the confirmation token while unconfirmed. */
  confirm_token_hash: string | null;
  /** Random token in every message's one-click unsubscribe link. */
  unsubscribe_token: string;
  confirmed_at: number | null;
  unsubscribed_at: number | null;
  created_at: number;
  updated_at: number;
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
  integrations: IntegrationsTable;
  ingest_receipts: IngestReceiptsTable;
  signals: SignalsTable;
  alert_rules: AlertRulesTable;
  settings: SettingsTable;
  alert_keys: AlertKeysTable;
  alerts: AlertsTable;
  alert_events: AlertEventsTable;
  alert_groups: AlertGroupsTable;
  alert_group_keys: AlertGroupKeysTable;
  silences: SilencesTable;
  maintenances: MaintenancesTable;
  maintenance_components: MaintenanceComponentsTable;
  people: PeopleTable;
  contact_methods: ContactMethodsTable;
  schedules: SchedulesTable;
  schedule_overrides: ScheduleOverridesTable;
  escalation_policies: EscalationPoliciesTable;
  pages: PagesTable;
  notifications: NotificationsTable;
  notification_attempts: NotificationAttemptsTable;
  action_tokens: ActionTokensTable;
  follow_ups: FollowUpsTable;
  incidents: IncidentsTable;
  incident_components: IncidentComponentsTable;
  incident_updates: IncidentUpdatesTable;
  incident_events: IncidentEventsTable;
  incident_alerts: IncidentAlertsTable;
  community_reports: CommunityReportsTable;
  subscribers: SubscribersTable;
}

export type CommunityRow = Selectable<CommunitiesTable>;
export type ComponentRow = Selectable<ComponentsTable>;
export type MonitorRow = Selectable<MonitorsTable>;
export type MonitorStateRow = Selectable<MonitorStatesTable>;
export type NewCheckResult = Insertable<CheckResultsTable>;
export type RollupRow = Selectable<CheckRollupsTable>;
export type AlertRow = Selectable<AlertsTable>;
export type AlertEventRow = Selectable<AlertEventsTable>;
export type SilenceRow = Selectable<SilencesTable>;
export type IntegrationRow = Selectable<IntegrationsTable>;
export type PageRow = Selectable<PagesTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type IncidentRow = Selectable<IncidentsTable>;
export type IncidentUpdateRow = Selectable<IncidentUpdatesTable>;
export type IncidentEventRow = Selectable<IncidentEventsTable>;
export type CommunityReportRow = Selectable<CommunityReportsTable>;
export type SubscriberRow = Selectable<SubscribersTable>;
