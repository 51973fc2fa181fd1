import type { Kysely } from 'kysely';
import type { MonitorType } from '../checks/monitor-spec.js';
import { findReferenceProblems } from '../config/find-reference-problems.js';
import {
  type CommunityConfig,
  type ComponentConfig,
  type FleetConfig,
  type MonitorConfig,
  SHARED_REF_PREFIX,
} from '../config/fleet-config.js';
import { MONITOR_KINDS } from '../config/monitor-kinds/index.js';
import {
  ALERTING_SETTINGS_REF,
  type ChangeKind,
  type ConfigPlan,
  INCIDENTS_SETTINGS_REF,
  planConfig,
} from '../config/plan-config.js';
import { type ConsecutiveRule, DEFAULT_RULE } from '../rules/consecutive-rule.js';
import {
  loadAlertingSettings,
  loadAlertRules,
  writeAlertingSettings,
  writeConfigRules,
} from './alert-rule-repository.js';
import { ensureHeartbeatTokens } from './heartbeat-repository.js';
import { loadIncidentPolicy, writeIncidentPolicy } from './incident-policy-repository.js';
import { listIntegrations, writeIntegrations } from './integration-repository.js';
import { settingsFromStored, settingsToStored } from './monitor-settings.js';
import { newId } from './new-id.js';
import {
  loadOncallConfig,
  refuseOncallConflicts,
  type StoredOncall,
  writeOncallConfig,
} from './oncall-config-repository.js';
import type { CommunityRow, ComponentRow, MonitorRow, Schema } from './schema.js';

// Rows per statement: monitors have 14 columns, so 500 rows stay far below every dialect's parameter limit.
const CHUNK_ROWS = 500;

/**
 * The stored fleet as config: communities and components by position, monitors, integrations and alert
 * rules by key. Alert rules made through the API are not part of it.
 */
export async function loadFleetConfig(db: Kysely<Schema>): Promise<FleetConfig> {
  return (await loadStoredFleet(db)).config;
}

/**
 * What applyFleetConfig would change, without changing anything (`apply --dry-run`). Throws, like
 * applyFleetConfig, when an alert rule, user, schedule or policy of `desired` has the key of one made
 * through the API (or removes what an API-made one refers to).
 */
export async function planFleetConfig(db: Kysely<Schema>, desired: FleetConfig): Promise<ConfigPlan> {
  const stored = await loadStoredFleet(db);
  refuseApiRuleKeys(desired, stored);
  refuseOncallConflicts(desired, stored.oncall);
  return planConfig(desired, stored.config);
}

/**
 * Makes the stored communities, components, monitors, alerting settings, integrations, config alert
 * rules, on-call config (oncall-config-repository.ts) and incident policy match `desired` in one
 * transaction and returns
 * what it changed. Rows are matched by ref or key, so kept rows keep their ids (and history, and
 * integration tokens); rows missing from `desired` are deleted, except those made through the API,
 * which apply never touches. Throws, having changed nothing, when `desired` is inconsistent, names an
 * API-made key, or a write fails.
 */
export async function applyFleetConfig(
  db: Kysely<Schema>,
  desired: FleetConfig,
  now: number,
): Promise<ConfigPlan> {
  const problems = findReferenceProblems(desired);
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path.join('.')}: ${p.message} — ${p.hint}`).join('; ');
    throw new Error(`apply fleet config: the config is inconsistent: ${list}`);
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const stored = await loadStoredFleet(trx);
      refuseApiRuleKeys(desired, stored);
      refuseOncallConflicts(desired, stored.oncall);
      const plan = planConfig(desired, stored.config);
      if (plan.changes.length > 0) await writePlan(trx, plan, desired, stored, now);
      await ensureHeartbeatTokens(trx, now);
      return plan;
    });
  } catch (error) {
    throw new Error('apply fleet config: nothing was changed', { cause: error });
  }
}

interface StoredFleet {
  readonly config: FleetConfig;
  /** Ids by community slug, component ref and monitor ref. */
  readonly ids: ReadonlyMap<string, string>;
  /** Keys of the alert rules made through the API (not in `config`). */
  readonly apiRuleKeys: ReadonlySet<string>;
  /** On-call rows: those of the config (also in `config`) and those made through the API. */
  readonly oncall: StoredOncall;
}

function refuseApiRuleKeys(desired: FleetConfig, stored: StoredFleet): void {
  const taken = desired.alertRules.map((r) => r.rule.key).filter((key) => stored.apiRuleKeys.has(key));
  const [first] = taken;
  if (first === undefined) return;
  throw new Error(
    taken.length === 1
      ? `alert rule "${first}" of the file has the key of a rule made through the API — delete that rule ` +
          `(DELETE /api/v1/alert-rules/${first}) or rename the rule in the file`
      : `alert rules ${taken.map((key) => `"${key}"`).join(', ')} of the file have the keys of rules made ` +
          'through the API — delete those rules (DELETE /api/v1/alert-rules/<key>) or rename them in the file',
  );
}

async function loadStoredFleet(db: Kysely<Schema>): Promise<StoredFleet> {
  const communities = await db
    .selectFrom('communities')
    .selectAll()
    .orderBy('position')
    .orderBy('slug')
    .execute();
  const components = await db
    .selectFrom('components')
    .selectAll()
    .orderBy('position')
    .orderBy('key')
    .execute();
  const monitors = await db.selectFrom('monitors').selectAll().orderBy('key').execute();
  const dependencies = await db.selectFrom('community_dependencies').selectAll().execute();
  const rules = await loadAlertRules(db);
  const integrations = await listIntegrations(db);
  const oncall = await loadOncallConfig(db);

  const ids = new Map<string, string>();
  const monitorsByComponent = groupBy(monitors, (m) => m.component_id);
  const componentsByCommunity = groupBy(
    components.filter((c) => c.community_id !== null),
    (c) => c.community_id!,
  );
  const toComponent = (row: ComponentRow): ComponentConfig => {
    ids.set(row.ref, row.id);
    return {
      key: row.key,
      name: row.name,
      description: row.description,
      monitors: (monitorsByComponent.get(row.id) ?? []).map((m) => {
        ids.set(m.ref, m.id);
        return toMonitor(m);
      }),
    };
  };
  const sharedRows = components.filter((c) => c.community_id === null);
  const shared = sharedRows.map(toComponent);
  const dependedOn = groupBy(dependencies, (d) => d.community_id);
  const toCommunity = (row: CommunityRow): CommunityConfig => {
    ids.set(row.slug, row.id);
    const componentIds = new Set((dependedOn.get(row.id) ?? []).map((d) => d.component_id));
    return {
      slug: row.slug,
      name: row.name,
      description: row.description,
      url: row.url,
      dependsOn: sharedRows.filter((s) => componentIds.has(s.id)).map((s) => s.key),
      components: (componentsByCommunity.get(row.id) ?? []).map(toComponent),
    };
  };
  return {
    config: {
      communities: communities.map(toCommunity),
      shared,
      alerting: await loadAlertingSettings(db),
      integrations: integrations.map(({ key, name, kind, settings }) => ({ key, name, kind, settings })),
      alertRules: rules.filter((r) => r.origin === 'config').map(({ rule, enabled }) => ({ rule, enabled })),
      ...oncall.config,
      incidents: await loadIncidentPolicy(db),
    },
    ids,
    apiRuleKeys: new Set(rules.filter((r) => r.origin === 'api').map((r) => r.key)),
    oncall,
  };
}

function toMonitor(row: MonitorRow): MonitorConfig {
  const kind = MONITOR_KINDS[row.type as MonitorType];
  if (!kind) {
    throw new Error(
      `monitor ${row.ref} has type "${row.type}", which this version of Firewatch does not know`,
    );
  }
  let spec: Record<string, unknown>;
  let rule: Partial<ConsecutiveRule>;
  let settings: ReturnType<typeof settingsFromStored>;
  try {
    spec = JSON.parse(row.spec) as Record<string, unknown>;
    rule = JSON.parse(row.rule) as Partial<ConsecutiveRule>;
    settings = settingsFromStored(row.settings);
  } catch (error) {
    throw new Error(`read monitor ${row.ref}: its spec, rule or settings are not valid JSON`, {
      cause: error,
    });
  }
  return {
    type: kind.type,
    // Rows written by older code may lack newer fields: the kind fills them with the defaults a file would get.
    spec: kind.fromStored(spec, row.timeout_ms),
    key: row.key,
    name: row.name,
    intervalMs: row.interval_ms,
    enabled: row.enabled === 1,
    rule: { ...DEFAULT_RULE, ...rule },
    ...settings,
  } as MonitorConfig;
}

type FleetKind = Extract<ChangeKind, 'community' | 'component' | 'monitor'>;

/** What the write steps share: the plan's refs by kind and action, and ids (stored or new) by ref. */
interface WriteContext {
  readonly trx: Kysely<Schema>;
  readonly desired: FleetConfig;
  readonly now: number;
  readonly deleted: Readonly<Record<FleetKind, readonly string[]>>;
  readonly written: Readonly<Record<FleetKind, ReadonlySet<string>>>;
  readonly rewired: ReadonlySet<string>;
  idFor(ref: string, prefix: string): string;
}

async function writePlan(
  trx: Kysely<Schema>,
  plan: ConfigPlan,
  desired: FleetConfig,
  stored: StoredFleet,
  now: number,
): Promise<void> {
  const ids = new Map(stored.ids);
  const refs = (kind: FleetKind, deleted: boolean) =>
    plan.changes.filter((c) => c.kind === kind && (c.action === 'delete') === deleted).map((c) => c.ref);
  const context: WriteContext = {
    trx,
    desired,
    now,
    deleted: {
      community: refs('community', true).map((ref) => ids.get(ref)!),
      component: refs('component', true).map((ref) => ids.get(ref)!),
      monitor: refs('monitor', true).map((ref) => ids.get(ref)!),
    },
    written: {
      community: new Set(refs('community', false)),
      component: new Set(refs('component', false)),
      monitor: new Set(refs('monitor', false)),
    },
    rewired: new Set(
      plan.changes
        .filter((c) => c.kind === 'community' && (c.action === 'create' || c.fields?.includes('depends_on')))
        .map((c) => c.ref),
    ),
    idFor(ref, prefix) {
      let id = ids.get(ref);
      if (id === undefined) {
        id = newId(prefix, now);
        ids.set(ref, id);
      }
      return id;
    },
  };
  await deleteRemoved(context);
  await upsertCommunities(context);
  await upsertComponents(context);
  await rewireDependencies(context);
  await upsertMonitors(context);
  const changesOf = (kind: ChangeKind) => plan.changes.filter((c) => c.kind === kind);
  if (changesOf('settings').some((c) => c.ref === ALERTING_SETTINGS_REF)) {
    await writeAlertingSettings(trx, desired.alerting, now);
  }
  await writeIntegrations(trx, desired.integrations, changesOf('integration'), now);
  await writeConfigRules(trx, desired.alertRules, changesOf('alert_rule'), now);
  await writeOncallConfig(trx, desired, plan.changes, now);
  if (changesOf('settings').some((c) => c.ref === INCIDENTS_SETTINGS_REF)) {
    await writeIncidentPolicy(trx, desired.incidents, now);
  }
}

async function deleteRemoved({ trx, deleted }: WriteContext): Promise<void> {
  // Children first, so no foreign key ever points at a deleted row.
  for (const ids of chunks(deleted.monitor)) {
    await trx.deleteFrom('monitor_states').where('monitor_id', 'in', ids).execute();
    await trx.deleteFrom('monitors').where('id', 'in', ids).execute();
  }
  for (const ids of chunks(deleted.component)) {
    await trx.deleteFrom('components').where('id', 'in', ids).execute();
  }
  for (const ids of chunks(deleted.community)) {
    await trx.deleteFrom('communities').where('id', 'in', ids).execute();
  }
}

async function upsertCommunities({ trx, desired, now, written, idFor }: WriteContext): Promise<void> {
  const rows = desired.communities.flatMap((c, position) =>
    written.community.has(c.slug)
      ? [
          {
            id: idFor(c.slug, 'com'),
            slug: c.slug,
            name: c.name,
            description: c.description,
            url: c.url,
            position,
            created_at: now,
            updated_at: now,
          },
        ]
      : [],
  );
  for (const chunk of chunks(rows)) {
    await trx
      .insertInto('communities')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('slug').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          description: eb.ref('excluded.description'),
          url: eb.ref('excluded.url'),
          position: eb.ref('excluded.position'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

async function upsertComponents({ trx, desired, now, written, idFor }: WriteContext): Promise<void> {
  const rows = componentsWithOwner(desired).flatMap(({ ref, communitySlug, component, position }) =>
    written.component.has(ref)
      ? [
          {
            id: idFor(ref, 'cmp'),
            ref,
            community_id: communitySlug === null ? null : idFor(communitySlug, 'com'),
            key: component.key,
            name: component.name,
            description: component.description,
            position,
            status: 'operational',
            status_changed_at: now,
            created_at: now,
            updated_at: now,
          },
        ]
      : [],
  );
  for (const chunk of chunks(rows)) {
    await trx
      .insertInto('components')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('ref').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          description: eb.ref('excluded.description'),
          position: eb.ref('excluded.position'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/** A community whose dependencies changed gets its whole (small) set rewritten. */
async function rewireDependencies({ trx, desired, rewired, idFor }: WriteContext): Promise<void> {
  const communities = desired.communities.filter((c) => rewired.has(c.slug));
  for (const ids of chunks(communities.map((c) => idFor(c.slug, 'com')))) {
    await trx.deleteFrom('community_dependencies').where('community_id', 'in', ids).execute();
  }
  const rows = communities.flatMap((c) =>
    c.dependsOn.map((key) => ({
      community_id: idFor(c.slug, 'com'),
      component_id: idFor(`${SHARED_REF_PREFIX}/${key}`, 'cmp'),
    })),
  );
  for (const chunk of chunks(rows)) {
    await trx.insertInto('community_dependencies').values(chunk).execute();
  }
}

async function upsertMonitors({ trx, desired, now, written, idFor }: WriteContext): Promise<void> {
  const rows = componentsWithOwner(desired).flatMap(({ ref: componentRef, component }) =>
    component.monitors.flatMap((m) => {
      const ref = `${componentRef}/${m.key}`;
      if (!written.monitor.has(ref)) return [];
      return [
        {
          id: idFor(ref, 'mon'),
          ref,
          component_id: idFor(componentRef, 'cmp'),
          key: m.key,
          name: m.name,
          type: m.type,
          interval_ms: m.intervalMs,
          timeout_ms: m.spec.timeoutMs,
          spec: JSON.stringify(m.spec),
          rule: JSON.stringify(m.rule),
          settings: settingsToStored(m),
          enabled: m.enabled ? 1 : 0,
          created_at: now,
          updated_at: now,
        },
      ];
    }),
  );
  for (const chunk of chunks(rows)) {
    await trx
      .insertInto('monitors')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('ref').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          type: eb.ref('excluded.type'),
          interval_ms: eb.ref('excluded.interval_ms'),
          timeout_ms: eb.ref('excluded.timeout_ms'),
          spec: eb.ref('excluded.spec'),
          rule: eb.ref('excluded.rule'),
          settings: eb.ref('excluded.settings'),
          enabled: eb.ref('excluded.enabled'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  // A location taken off a monitor's list no longer counts towards its quorum.
  for (const { ref: componentRef, component } of componentsWithOwner(desired)) {
    for (const m of component.monitors) {
      const ref = `${componentRef}/${m.key}`;
      if (!written.monitor.has(ref) || m.locations === null) continue;
      await trx
        .deleteFrom('monitor_states')
        .where('monitor_id', '=', idFor(ref, 'mon'))
        .where('location', 'not in', m.locations)
        .execute();
    }
  }
}

interface OwnedComponent {
  readonly ref: string;
  /** Null for shared components. */
  readonly communitySlug: string | null;
  readonly component: ComponentConfig;
  readonly position: number;
}

function componentsWithOwner(config: FleetConfig): OwnedComponent[] {
  return [
    ...config.communities.flatMap((c) =>
      c.components.map((component, position) => ({
        ref: `${c.slug}/${component.key}`,
        communitySlug: c.slug,
        component,
        position,
      })),
    ),
    ...config.shared.map((component, position) => ({
      ref: `${SHARED_REF_PREFIX}/${component.key}`,
      communitySlug: null,
      component,
      position,
    })),
  ];
}

function* chunks<T>(list: readonly T[]): Generator<T[]> {
  for (let i = 0; i < list.length; i += CHUNK_ROWS) yield list.slice(i, i + CHUNK_ROWS);
}

function groupBy<T>(list: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of list) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
