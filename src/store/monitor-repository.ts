import type { Kysely } from 'kysely';
import type { HttpSpec } from '../checks/http-spec.js';
import type { ConsecutiveRule } from '../rules/consecutive-rule.js';
import type { MonitorState, MonitorStatus } from '../rules/monitor-state.js';
import type { Schema } from './schema.js';

/** A monitor ready to schedule: its probe settings, rule and last known state. */
export interface ActiveMonitor {
  readonly id: string;
  readonly ref: string;
  readonly componentId: string;
  readonly type: string;
  readonly intervalMs: number;
  readonly spec: HttpSpec;
  readonly rule: ConsecutiveRule;
  readonly state: MonitorState | null;
}

/** Every enabled monitor with its persisted rule state (null before its first check). */
export async function loadActiveMonitors(db: Kysely<Schema>): Promise<ActiveMonitor[]> {
  const rows = await db
    .selectFrom('monitors')
    .leftJoin('monitor_states', 'monitor_states.monitor_id', 'monitors.id')
    .select([
      'monitors.id',
      'monitors.ref',
      'monitors.component_id',
      'monitors.type',
      'monitors.interval_ms',
      'monitors.spec',
      'monitors.rule',
      'monitor_states.status',
      'monitor_states.consecutive_failures',
      'monitor_states.consecutive_successes',
      'monitor_states.updated_at',
    ])
    .where('monitors.enabled', '=', 1)
    .orderBy('monitors.ref')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    ref: row.ref,
    componentId: row.component_id,
    type: row.type,
    intervalMs: row.interval_ms,
    spec: JSON.parse(row.spec) as HttpSpec,
    rule: JSON.parse(row.rule) as ConsecutiveRule,
    state:
      row.status === null
        ? null
        : {
            status: row.status as MonitorStatus,
            consecutiveFailures: row.consecutive_failures ?? 0,
            consecutiveSuccesses: row.consecutive_successes ?? 0,
            since: row.updated_at,
          },
  }));
}
