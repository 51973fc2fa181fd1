import type { Kysely } from 'kysely';
import type { ConsecutiveRule } from '../rules/consecutive-rule.js';
import { componentStatusFor, type MonitorState, type MonitorStatus } from '../rules/monitor-state.js';
import { quorumStatus } from '../rules/quorum.js';
import { type ComponentStatus, worstStatus } from '../statuspage/component-status.js';
import type { Capabilities } from './capabilities.js';
import { newId } from './new-id.js';
import type { Schema } from './schema.js';

/** A monitor's status change at one location. */
export interface Transition {
  readonly monitorId: string;
  readonly location: string;
  readonly state: MonitorState;
  readonly reason: string;
  readonly at: number;
}

/** A component status change that a transition caused. */
export interface ComponentChange {
  readonly componentId: string;
  readonly from: ComponentStatus;
  readonly to: ComponentStatus;
  readonly reason: string;
  readonly at: number;
}

/**
 * Records a monitor's status change at one location, and what it means for the
 * component, in one transaction:
 * 1. lock the component row (FOR UPDATE where the database has row locks; SQLite has
 *    one writer at a time), so concurrent locations decide one after the other;
 * 2. store this location's state;
 * 3. recompute the component from every location's state of every monitor on it
 *    (quorum per monitor, then the worst monitor);
 * 4. if that differs, update the component (`WHERE status = :current`, checked) and
 *    append a component_status_changes row.
 * Returns the component change, or null when the component keeps its status.
 */
export async function recordTransition(
  db: Kysely<Schema>,
  capabilities: Capabilities,
  t: Transition,
): Promise<ComponentChange | null> {
  return db.transaction().execute(async (tx) => {
    const monitor = await tx
      .selectFrom('monitors')
      .select(['component_id'])
      .where('id', '=', t.monitorId)
      .executeTakeFirst();
    if (!monitor) return null; // deleted while its check ran
    let locking = tx.selectFrom('components').select('status').where('id', '=', monitor.component_id);
    if (capabilities.rowLocks) locking = locking.forUpdate();
    const component = await locking.executeTakeFirst();
    if (!component) return null;

    await tx
      .insertInto('monitor_states')
      .values({
        monitor_id: t.monitorId,
        location: t.location,
        status: t.state.status,
        consecutive_failures: t.state.consecutiveFailures,
        consecutive_successes: t.state.consecutiveSuccesses,
        last_checked_at: t.at,
        last_reason: t.reason,
        updated_at: t.at,
      })
      .onConflict((oc) =>
        oc.columns(['monitor_id', 'location']).doUpdateSet({
          status: t.state.status,
          consecutive_failures: t.state.consecutiveFailures,
          consecutive_successes: t.state.consecutiveSuccesses,
          last_checked_at: t.at,
          last_reason: t.reason,
          updated_at: t.at,
        }),
      )
      .execute();

    const from = component.status as ComponentStatus;
    const to = await componentVerdict(tx, monitor.component_id, t.at);
    if (to === from) return null;
    const updated = await tx
      .updateTable('components')
      .set({ status: to, status_changed_at: t.at, updated_at: t.at })
      .where('id', '=', monitor.component_id)
      .where('status', '=', from)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      // Cannot happen while the row is locked; if it does, abort rather than record a wrong "from".
      throw new Error(`component ${monitor.component_id} changed while locked: expected status ${from}`);
    }
    await tx
      .insertInto('component_status_changes')
      .values({
        id: newId('csc', t.at),
        component_id: monitor.component_id,
        from_status: from,
        to_status: to,
        reason: t.reason,
        monitor_id: t.monitorId,
        at: t.at,
      })
      .execute();
    return { componentId: monitor.component_id, from, to, reason: t.reason, at: t.at };
  });
}

/** A location whose last check is older than this many intervals no longer counts (its worker is gone). */
const STALE_AFTER_INTERVALS = 3;

/** The status a component's enabled monitors add up to, across all their locations that still report. */
async function componentVerdict(
  db: Kysely<Schema>,
  componentId: string,
  now: number,
): Promise<ComponentStatus> {
  const rows = await db
    .selectFrom('monitors')
    .leftJoin('monitor_states', 'monitor_states.monitor_id', 'monitors.id')
    .select([
      'monitors.id',
      'monitors.rule',
      'monitors.interval_ms',
      'monitor_states.status',
      'monitor_states.last_checked_at',
    ])
    .where('monitors.component_id', '=', componentId)
    .where('monitors.enabled', '=', 1)
    .execute();
  const byMonitor = new Map<string, { rule: ConsecutiveRule; statuses: MonitorStatus[] }>();
  for (const row of rows) {
    const entry = byMonitor.get(row.id) ?? { rule: JSON.parse(row.rule) as ConsecutiveRule, statuses: [] };
    const fresh =
      row.last_checked_at !== null && row.last_checked_at >= now - STALE_AFTER_INTERVALS * row.interval_ms;
    if (row.status !== null && fresh) entry.statuses.push(row.status as MonitorStatus);
    byMonitor.set(row.id, entry);
  }
  return worstStatus(
    [...byMonitor.values()].map(({ rule, statuses }) =>
      componentStatusFor(quorumStatus(statuses, rule.quorum ?? 1), rule),
    ),
  );
}

/** One component's stored status, or null when it no longer exists. */
export async function loadComponentStatus(db: Kysely<Schema>, id: string): Promise<ComponentStatus | null> {
  const row = await db.selectFrom('components').select('status').where('id', '=', id).executeTakeFirst();
  return row ? (row.status as ComponentStatus) : null;
}
