import { type Kysely, sql } from 'kysely';
import type { AlertEventRow, AlertRow, Schema } from './schema.js';

/** Filters for listing alerts; every given one must hold. */
export interface AlertFilter {
  readonly statuses?: readonly string[];
  readonly severities?: readonly string[];
  readonly community?: string;
  readonly source?: string;
  readonly groupId?: string;
  readonly ruleKey?: string;
  readonly owner?: string;
  /** Text contained in the summary. */
  readonly text?: string;
  /** Alerts older than this id (the `next` cursor of the previous page). */
  readonly before?: string;
  readonly limit: number;
}

/** Alerts newest first, one page; `next` is the cursor for the following page, or null. */
export async function listAlerts(
  db: Kysely<Schema>,
  filter: AlertFilter,
): Promise<{ readonly alerts: readonly AlertRow[]; readonly next: string | null }> {
  let query = db.selectFrom('alerts').selectAll('alerts');
  if (filter.statuses?.length) query = query.where('alerts.status', 'in', filter.statuses);
  if (filter.severities?.length) query = query.where('alerts.severity', 'in', filter.severities);
  if (filter.community) query = query.where('alerts.community', '=', filter.community);
  if (filter.source) query = query.where('alerts.source', '=', filter.source);
  if (filter.groupId) query = query.where('alerts.group_id', '=', filter.groupId);
  if (filter.owner) query = query.where('alerts.owner', '=', filter.owner);
  // ESCAPE names the backslash: SQLite has no default escape character in LIKE.
  if (filter.text)
    query = query.where(sql<boolean>`alerts.summary like ${`%${escapeLike(filter.text)}%`} escape '\\'`);
  if (filter.ruleKey) {
    query = query
      .innerJoin('alert_rules', 'alert_rules.id', 'alerts.rule_id')
      .where('alert_rules.key', '=', filter.ruleKey);
  }
  if (filter.before) query = query.where('alerts.id', '<', filter.before);
  const rows = await query
    .orderBy('alerts.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  return { alerts: page, next: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null };
}

/** One alert and its whole history (oldest event first), or null. */
export async function getAlert(
  db: Kysely<Schema>,
  id: string,
): Promise<{ readonly alert: AlertRow; readonly events: readonly AlertEventRow[] } | null> {
  const alert = await db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!alert) return null;
  const events = await db
    .selectFrom('alert_events')
    .selectAll()
    .where('alert_id', '=', id)
    .orderBy('id')
    .execute();
  return { alert, events };
}

/** Alert groups, newest first, open ones only unless `all`. */
export async function listAlertGroups(
  db: Kysely<Schema>,
  options: { readonly all: boolean; readonly limit: number },
) {
  let query = db.selectFrom('alert_groups').selectAll();
  if (!options.all) query = query.where('status', '=', 'open');
  return query.orderBy('id', 'desc').limit(options.limit).execute();
}

/** The dedup keys the clock must visit: keys of time-judged rules, and keys whose open alert is flapping. */
export async function keysToTick(db: Kysely<Schema>, ruleIds: readonly string[]): Promise<string[]> {
  const keys = new Set<string>();
  if (ruleIds.length > 0) {
    const rows = await db
      .selectFrom('alert_keys')
      .select('dedup_key')
      .where('rule_id', 'in', ruleIds)
      .execute();
    for (const row of rows) keys.add(row.dedup_key);
  }
  const flapping = await db
    .selectFrom('alerts')
    .select('dedup_key')
    .where('flapping', '=', 1)
    .where('status', '!=', 'resolved')
    .execute();
  for (const row of flapping) keys.add(row.dedup_key);
  return [...keys];
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
