import type { Person } from '../oncall/person.js';
import { configuredRuleToFile } from './alert-rule-schema.js';
import { alertingToFile } from './alerting-schema.js';
import { escalationPolicyToFile } from './escalation-policy-schema.js';
import type { CommunityConfig, ComponentConfig, FleetConfig, MonitorConfig } from './fleet-config.js';
import { SHARED_REF_PREFIX } from './fleet-config.js';
import { incidentPolicyToFile } from './incident-policy-schema.js';
import { integrationToFile } from './integration-schema.js';
import { monitorToFile } from './monitor-schema.js';
import { personToFile } from './person-schema.js';
import { routingToFile } from './routing-schema.js';
import { scheduleToFile } from './schedule-schema.js';

export type ChangeAction = 'create' | 'update' | 'delete';
export type ChangeKind =
  | 'community'
  | 'component'
  | 'monitor'
  | 'settings'
  | 'integration'
  | 'alert_rule'
  | 'person'
  | 'schedule'
  | 'escalation_policy';

/** The ref of the alerting settings in plans (always an update: they exist with their defaults). */
export const ALERTING_SETTINGS_REF = 'alerting';
/** The ref of the routing settings in plans (an update, like the alerting settings). */
export const ROUTING_SETTINGS_REF = 'routing';
/** The ref of the urgency matrix in plans (an update whose fields are the severities that changed). */
export const URGENCY_SETTINGS_REF = 'urgency';
/** The ref of the incident policy in plans (an update whose fields are the `incidents:` keys that changed). */
export const INCIDENTS_SETTINGS_REF = 'incidents';

/**
 * One row to write. `ref` is the community slug, `<slug>/<key>` or `shared/<key>` for a component,
 * `<component ref>/<key>` for a monitor, the key of an integration, alert rule, person (user), schedule
 * or escalation policy, `alerting`, `routing`, `urgency` or `incidents` for the settings; `fields` (updates only)
 * names what changed in file terms.
 */
export interface ConfigChange {
  readonly action: ChangeAction;
  readonly kind: ChangeKind;
  readonly ref: string;
  readonly fields?: readonly string[];
}

/** What applying a config would change, in file order; deletions of a kept parent follow its other changes. */
export interface ConfigPlan {
  readonly changes: readonly ConfigChange[];
}

export interface PlanCounts {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
}

type FieldReader<T> = readonly [field: string, read: (value: T, position: number) => unknown];

const COMMUNITY_FIELDS: readonly FieldReader<CommunityConfig>[] = [
  ['name', (c) => c.name],
  ['description', (c) => c.description],
  ['url', (c) => c.url],
  // Dependencies are a set: the store keeps no order for them.
  ['depends_on', (c) => [...c.dependsOn].sort()],
  ['position', (_, position) => position],
];

const COMPONENT_FIELDS: readonly FieldReader<ComponentConfig>[] = [
  ['name', (c) => c.name],
  ['description', (c) => c.description],
  ['position', (_, position) => position],
];

/**
 * Monitor fields that differ, compared as the file writes them (monitor-schema.ts), so a new monitor type
 * needs nothing here. Monitors have no stored order, so their position is not compared.
 */
function changedMonitorFields(desired: MonitorConfig, current: MonitorConfig): string[] {
  return changedFileFields(monitorToFile(desired), monitorToFile(current));
}

/** Names of the YAML fields whose values differ (a field left out is its default, written as null). */
function changedFileFields(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  names.delete('key');
  return [...names].filter((name) => canonical(a[name] ?? null) !== canonical(b[name] ?? null));
}

/**
 * The changes that turn `current` into `desired`, matching communities by slug, components and monitors
 * by ref. Pure: both configs are taken as already valid (see findReferenceProblems).
 */
export function planConfig(desired: FleetConfig, current: FleetConfig): ConfigPlan {
  const changes: ConfigChange[] = [];
  const currentBySlug = indexBy(current.communities, (c) => c.slug);
  desired.communities.forEach((community, position) => {
    const existing = currentBySlug.get(community.slug);
    if (existing === undefined) {
      changes.push({ action: 'create', kind: 'community', ref: community.slug });
    } else {
      const fields = changedFields(COMMUNITY_FIELDS, community, position, existing.value, existing.position);
      if (fields.length > 0)
        changes.push({ action: 'update', kind: 'community', ref: community.slug, fields });
    }
    planComponents(community.slug, community.components, existing?.value.components ?? [], changes);
  });
  planComponents(SHARED_REF_PREFIX, desired.shared, current.shared, changes);
  const desiredSlugs = new Set(desired.communities.map((c) => c.slug));
  for (const community of current.communities) {
    if (desiredSlugs.has(community.slug)) continue;
    changes.push({ action: 'delete', kind: 'community', ref: community.slug });
    for (const component of community.components)
      deleteComponent(`${community.slug}/${component.key}`, component, changes);
  }
  const alerting = changedFileFields(alertingToFile(desired.alerting), alertingToFile(current.alerting));
  if (alerting.length > 0) {
    changes.push({ action: 'update', kind: 'settings', ref: ALERTING_SETTINGS_REF, fields: alerting });
  }
  planKeyed(
    'integration',
    desired.integrations,
    current.integrations,
    (i) => i.key,
    integrationToFile,
    changes,
  );
  planKeyed(
    'alert_rule',
    desired.alertRules,
    current.alertRules,
    (r) => r.rule.key,
    configuredRuleToFile,
    changes,
  );
  planOncall(desired, current, changes);
  const incidents = changedFileFields(
    incidentPolicyToFile(desired.incidents),
    incidentPolicyToFile(current.incidents),
  );
  if (incidents.length > 0) {
    changes.push({ action: 'update', kind: 'settings', ref: INCIDENTS_SETTINGS_REF, fields: incidents });
  }
  return { changes };
}

/** People, schedules (with the file's overrides), policies by key; then routing and urgency. */
function planOncall(desired: FleetConfig, current: FleetConfig, changes: ConfigChange[]): void {
  // Contact methods are a set (the store reads them by key): their order is no change.
  const personFields = (p: Person) =>
    personToFile({ ...p, contactMethods: [...p.contactMethods].sort((a, b) => (a.key < b.key ? -1 : 1)) });
  planKeyed('person', desired.people, current.people, (p) => p.key, personFields, changes);
  planKeyed('schedule', desired.schedules, current.schedules, (s) => s.key, scheduleToFile, changes);
  planKeyed(
    'escalation_policy',
    desired.escalationPolicies,
    current.escalationPolicies,
    (p) => p.key,
    escalationPolicyToFile,
    changes,
  );
  const routing = changedFileFields(
    routingToFile(desired.routing) ?? {},
    routingToFile(current.routing) ?? {},
  );
  if (routing.length > 0) {
    changes.push({ action: 'update', kind: 'settings', ref: ROUTING_SETTINGS_REF, fields: routing });
  }
  const bySeverity = (config: FleetConfig) =>
    Object.fromEntries(config.urgency.map((row) => [row.severity, row]));
  const urgency = changedFileFields(bySeverity(desired), bySeverity(current));
  if (urgency.length > 0) {
    changes.push({ action: 'update', kind: 'settings', ref: URGENCY_SETTINGS_REF, fields: urgency });
  }
}

/** How many rows the plan creates, updates and deletes. */
export function countChanges(plan: ConfigPlan): PlanCounts {
  const count = (action: ChangeAction) => plan.changes.filter((c) => c.action === action).length;
  return { create: count('create'), update: count('update'), delete: count('delete') };
}

/**
 * The plan for people, one change a line (`+ community alpha`, `~ monitor alpha/hub/front (interval)`,
 * `- component beta/login`) and a summary line; just `No changes.` when there are none. No final newline.
 */
export function formatPlan(plan: ConfigPlan): string {
  if (plan.changes.length === 0) return 'No changes.';
  const symbol: Readonly<Record<ChangeAction, string>> = { create: '+', update: '~', delete: '-' };
  const lines = plan.changes.map(
    (c) => `${symbol[c.action]} ${c.kind} ${c.ref}${c.fields?.length ? ` (${c.fields.join(', ')})` : ''}`,
  );
  const counts = countChanges(plan);
  lines.push('', `Plan: ${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete.`);
  return lines.join('\n');
}

function planComponents(
  prefix: string,
  desired: readonly ComponentConfig[],
  current: readonly ComponentConfig[],
  changes: ConfigChange[],
): void {
  const currentByKey = indexBy(current, (c) => c.key);
  desired.forEach((component, position) => {
    const ref = `${prefix}/${component.key}`;
    const existing = currentByKey.get(component.key);
    if (existing === undefined) {
      changes.push({ action: 'create', kind: 'component', ref });
    } else {
      const fields = changedFields(COMPONENT_FIELDS, component, position, existing.value, existing.position);
      if (fields.length > 0) changes.push({ action: 'update', kind: 'component', ref, fields });
    }
    planMonitors(ref, component.monitors, existing?.value.monitors ?? [], changes);
  });
  const desiredKeys = new Set(desired.map((c) => c.key));
  for (const component of current) {
    if (!desiredKeys.has(component.key)) deleteComponent(`${prefix}/${component.key}`, component, changes);
  }
}

function planMonitors(
  componentRef: string,
  desired: readonly MonitorConfig[],
  current: readonly MonitorConfig[],
  changes: ConfigChange[],
): void {
  const currentByKey = indexBy(current, (m) => m.key);
  for (const monitor of desired) {
    const ref = `${componentRef}/${monitor.key}`;
    const existing = currentByKey.get(monitor.key);
    if (existing === undefined) {
      changes.push({ action: 'create', kind: 'monitor', ref });
    } else {
      const fields = changedMonitorFields(monitor, existing.value);
      if (fields.length > 0) changes.push({ action: 'update', kind: 'monitor', ref, fields });
    }
  }
  const desiredKeys = new Set(desired.map((m) => m.key));
  for (const monitor of current) {
    if (!desiredKeys.has(monitor.key))
      changes.push({ action: 'delete', kind: 'monitor', ref: `${componentRef}/${monitor.key}` });
  }
}

/** Creates, updates (compared as the file writes them) and then deletes of items matched by key. */
function planKeyed<T>(
  kind: ChangeKind,
  desired: readonly T[],
  current: readonly T[],
  key: (item: T) => string,
  toFile: (item: T) => Record<string, unknown>,
  changes: ConfigChange[],
): void {
  const currentByKey = indexBy(current, key);
  for (const item of desired) {
    const ref = key(item);
    const existing = currentByKey.get(ref);
    if (existing === undefined) {
      changes.push({ action: 'create', kind, ref });
      continue;
    }
    const fields = changedFileFields(toFile(item), toFile(existing.value));
    if (fields.length > 0) changes.push({ action: 'update', kind, ref, fields });
  }
  const desiredKeys = new Set(desired.map(key));
  for (const item of current) {
    if (!desiredKeys.has(key(item))) changes.push({ action: 'delete', kind, ref: key(item) });
  }
}

function deleteComponent(ref: string, component: ComponentConfig, changes: ConfigChange[]): void {
  changes.push({ action: 'delete', kind: 'component', ref });
  for (const monitor of component.monitors)
    changes.push({ action: 'delete', kind: 'monitor', ref: `${ref}/${monitor.key}` });
}

function changedFields<T>(
  readers: readonly FieldReader<T>[],
  desired: T,
  desiredPosition: number,
  current: T,
  currentPosition: number,
): string[] {
  return readers
    .filter(
      ([, read]) => canonical(read(desired, desiredPosition)) !== canonical(read(current, currentPosition)),
    )
    .map(([field]) => field);
}

function indexBy<T>(
  list: readonly T[],
  key: (item: T) => string,
): Map<string, { value: T; position: number }> {
  return new Map(list.map((value, position) => [key(value), { value, position }]));
}

/** JSON with object keys sorted, so equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
