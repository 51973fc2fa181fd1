import type { Kysely } from 'kysely';
import type { MonitorSpec } from '../checks/monitor-spec.js';
import type { MonitorSettings } from '../config/monitor-schema.js';
import { type ConsecutiveRule, DEFAULT_RULE } from '../rules/consecutive-rule.js';
import type { MonitorState, MonitorStatus } from '../rules/monitor-state.js';
import { settingsFromStored } from './monitor-settings.js';
import type { Schema } from './schema.js';

/** A monitor ready to schedule at one location: its probe, rule, settings and that location's last state. */
export type ActiveMonitor = MonitorSpec & {
  readonly id: string;
  readonly ref: string;
  readonly componentId: string;
  readonly intervalMs: number;
  readonly createdAt: number;
  readonly rule: ConsecutiveRule;
  readonly settings: Pick<MonitorSettings, 'locations' | 'confirm' | 'allowPrivateTargets' | 'tags'>;
  readonly state: MonitorState | null;
};

/**
 * Every enabled monitor that runs at `location` (its locations list names it, or it has
 * none), with that location's persisted rule state (null before its first check there).
 */
export async function loadActiveMonitors(db: Kysely<Schema>, location: string): Promise<ActiveMonitor[]> {
  const rows = await db
    .selectFrom('monitors')
    .leftJoin('monitor_states', (join) =>
      join
        .onRef('monitor_states.monitor_id', '=', 'monitors.id')
        .on('monitor_states.location', '=', location),
    )
    .select([
      'monitors.id',
      'monitors.ref',
      'monitors.component_id',
      'monitors.type',
      'monitors.interval_ms',
      'monitors.created_at',
      'monitors.spec',
      'monitors.rule',
      'monitors.settings',
      'monitor_states.status',
      'monitor_states.consecutive_failures',
      'monitor_states.consecutive_successes',
      'monitor_states.updated_at',
    ])
    .where('monitors.enabled', '=', 1)
    .orderBy('monitors.ref')
    .execute();
  return rows
    .map(
      (row) =>
        ({
          type: row.type,
          spec: JSON.parse(row.spec),
          id: row.id,
          ref: row.ref,
          componentId: row.component_id,
          intervalMs: row.interval_ms,
          rule: { ...DEFAULT_RULE, ...(JSON.parse(row.rule) as Partial<ConsecutiveRule>) },
          settings: settingsFromStored(row.settings),
          state:
            row.status === null
              ? null
              : {
                  status: row.status as MonitorStatus,
                  consecutiveFailures: row.consecutive_failures ?? 0,
                  consecutiveSuccesses: row.consecutive_successes ?? 0,
                  since: row.updated_at,
                },
        }) as ActiveMonitor,
    )
    .filter((m) => m.settings.locations === null || m.settings.locations.includes(location));
}

/**
 * A cheap summary that changes whenever monitors are created, updated or deleted (apply stamps
 * updated_at on every row it writes), so the engine re-reads every monitor only when something changed.
 */
export async function monitorsFingerprint(db: Kysely<Schema>): Promise<string> {
  const row = await db
    .selectFrom('monitors')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('latest')])
    .executeTakeFirstOrThrow();
  return `${Number(row.n)}:${Number(row.latest ?? 0)}`;
}
