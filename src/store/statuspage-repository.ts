import { type Kysely, sql } from 'kysely';
import { OPEN_INCIDENT_STATUSES } from '../incidents/incident.js';
import type { IncidentInput, MaintenanceInput, StatusInputs } from '../statuspage/project-status.js';
import { HISTORY_DAYS, UPCOMING_DAYS, UPTIME_DAYS } from '../statuspage/status-snapshot.js';
import { type PastUptime, pastUptime } from '../statuspage/uptime-bars.js';
import type { Schema } from './schema.js';

const DAY_MS = 86_400_000;

/** Day rollups a caller keeps between loads: the bars' past days and today's counts (see SnapshotCache). */
export interface KeptUptime {
  readonly past: PastUptime;
  /** Today's rows, as loadTodayUptime() read them. */
  readonly today: StatusInputs['uptime'];
}

/**
 * Reads what projectStatus() needs in a fixed number of queries (no query per incident or window):
 * communities, components, dependencies, 90 days of rollups (none when `kept` is for today's UTC day);
 * published incidents that are open or resolved within HISTORY_DAYS with their components and published
 * public updates; and maintenance windows that are not cancelled and may have an occurrence within
 * [now - HISTORY_DAYS, now + UPCOMING_DAYS].
 */
export async function loadStatusInputs(
  db: Kysely<Schema>,
  now: number,
  kept?: KeptUptime,
): Promise<StatusInputs> {
  const today = now - (now % DAY_MS);
  const firstDay = today - (UPTIME_DAYS - 1) * DAY_MS;
  const keep = kept?.past.today === today ? kept : undefined;
  const [communities, components, dependencies, uptime, incidents, maintenances] = await Promise.all([
    db
      .selectFrom('communities')
      .select(['id', 'slug', 'name', 'description', 'url', 'position', 'updated_at'])
      .execute(),
    db
      .selectFrom('components')
      .select([
        'id',
        'ref',
        'community_id',
        'name',
        'description',
        'position',
        'status',
        'created_at',
        'updated_at',
      ])
      .execute(),
    db.selectFrom('community_dependencies').select(['community_id', 'component_id']).execute(),
    keep ? keep.today : loadUptime(db, firstDay, today),
    loadIncidents(db, now),
    loadMaintenances(db, now),
  ]);
  return {
    communities: communities.map((c) => ({
      id: c.id,
      slug: c.slug,
      name: c.name,
      description: c.description,
      url: c.url,
      position: c.position,
      updatedAt: c.updated_at,
    })),
    components: components.map((c) => ({
      id: c.id,
      ref: c.ref,
      communityId: c.community_id,
      name: c.name,
      description: c.description,
      position: c.position,
      status: c.status,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
    })),
    dependencies: dependencies.map((d) => ({ communityId: d.community_id, componentId: d.component_id })),
    uptime,
    ...(keep ? { pastUptime: keep.past } : {}),
    incidents,
    maintenances,
  };
}

// Published, and open or resolved recently; a resolved row without resolved_at is kept for the projection
// to judge by its updated_at.
function visibleIncidentIds(db: Kysely<Schema>, now: number) {
  const oldest = now - HISTORY_DAYS * DAY_MS;
  return db
    .selectFrom('incidents')
    .select('id')
    .where('published_at', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('status', 'in', OPEN_INCIDENT_STATUSES),
        eb('resolved_at', 'is', null),
        eb('resolved_at', '>=', oldest),
      ]),
    );
}

/**
 * The uptime bars' past days (before today, within UPTIME_DAYS), read to be kept by the caller: with
 * 2,000 components they are 180,000 rollup rows, and only today's change between rebuilds. Read one day
 * per query so that, on SQLite, other work runs between them (see TimeSlicedSqliteDialect).
 */
export async function loadUptimeHistory(db: Kysely<Schema>, now: number): Promise<PastUptime> {
  const today = now - (now % DAY_MS);
  const rows: StatusInputs['uptime'][number][] = [];
  for (let day = today - (UPTIME_DAYS - 1) * DAY_MS; day < today; day += DAY_MS) {
    for (const row of await loadUptime(db, day, day)) rows.push(row);
  }
  return pastUptime(rows, today);
}

/** Today's day rollups per component (the last day of the bars), for KeptUptime. */
export function loadTodayUptime(db: Kysely<Schema>, now: number): Promise<StatusInputs['uptime']> {
  const today = now - (now % DAY_MS);
  return loadUptime(db, today, today);
}

/** Checks and failures per component per UTC day in [fromDay, toDay], summed over its monitors. */
async function loadUptime(
  db: Kysely<Schema>,
  fromDay: number,
  toDay: number,
): Promise<StatusInputs['uptime']> {
  const rows = await db
    .selectFrom('check_rollups')
    .innerJoin('monitors', 'monitors.id', 'check_rollups.monitor_id')
    .select((eb) => [
      'monitors.component_id',
      'check_rollups.bucket',
      eb.fn.sum<number>('check_rollups.checks').as('checks'),
      eb.fn.sum<number>('check_rollups.failures').as('failures'),
    ])
    .where('check_rollups.granularity', '=', 'day')
    .where('check_rollups.bucket', '>=', fromDay)
    .where('check_rollups.bucket', '<=', toDay)
    .groupBy(['monitors.component_id', 'check_rollups.bucket'])
    .execute();
  // SUM comes back as a string (numeric) from PostgreSQL.
  return rows.map((u) => ({
    componentId: u.component_id,
    day: Number(u.bucket),
    checks: Number(u.checks),
    failures: Number(u.failures),
  }));
}

async function loadIncidents(db: Kysely<Schema>, now: number): Promise<IncidentInput[]> {
  const [rows, components, updates] = await Promise.all([
    db
      .selectFrom('incidents')
      .select([
        'id',
        'title',
        'status',
        'impact',
        'published_at',
        'updated_at',
        'monitoring_at',
        'resolved_at',
      ])
      .where('id', 'in', visibleIncidentIds(db, now))
      .execute(),
    db
      .selectFrom('incident_components')
      .select(['incident_id', 'component_id', 'status'])
      .where('incident_id', 'in', visibleIncidentIds(db, now))
      .orderBy('added_at')
      .orderBy('component_id')
      .execute(),
    db
      .selectFrom('incident_updates')
      .select(['id', 'incident_id', 'status', 'body', 'affected', 'published_at'])
      .where('kind', '=', 'public')
      .where('state', '=', 'published')
      .where('published_at', 'is not', null)
      .where('incident_id', 'in', visibleIncidentIds(db, now))
      .execute(),
  ]);
  const componentsOf = group(components, (c) => c.incident_id);
  const updatesOf = group(updates, (u) => u.incident_id);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    impact: r.impact,
    publishedAt: Number(r.published_at),
    updatedAt: Number(r.updated_at),
    monitoringAt: nullableNumber(r.monitoring_at),
    resolvedAt: nullableNumber(r.resolved_at),
    components: (componentsOf.get(r.id) ?? []).map((c) => ({
      componentId: c.component_id,
      status: c.status,
    })),
    updates: (updatesOf.get(r.id) ?? []).map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      affected: parseAffected(u.affected),
      publishedAt: Number(u.published_at),
    })),
  }));
}

// Prefilters in SQL (a recurring window may have occurrences long after its first end); the projection
// expands occurrences exactly.
function windowIds(db: Kysely<Schema>, now: number) {
  return db
    .selectFrom('maintenances')
    .select('id')
    .where('cancelled_at', 'is', null)
    .where('starts_at', '<', now + UPCOMING_DAYS * DAY_MS)
    .where((eb) =>
      eb.or([
        eb('ends_at', '>', now - HISTORY_DAYS * DAY_MS),
        eb.and([
          eb('repeat', 'is not', null),
          eb.or([
            eb('repeat_until', 'is', null),
            sql<boolean>`repeat_until + (ends_at - starts_at) > ${now - HISTORY_DAYS * DAY_MS}`,
          ]),
        ]),
      ]),
    );
}

async function loadMaintenances(db: Kysely<Schema>, now: number): Promise<MaintenanceInput[]> {
  const [rows, links] = await Promise.all([
    db
      .selectFrom('maintenances')
      .select(['id', 'title', 'description', 'starts_at', 'ends_at', 'repeat', 'repeat_until', 'created_at'])
      .where('id', 'in', windowIds(db, now))
      .execute(),
    db
      .selectFrom('maintenance_components')
      .select(['maintenance_id', 'component_id'])
      .where('maintenance_id', 'in', windowIds(db, now))
      .execute(),
  ]);
  const linksOf = group(links, (l) => l.maintenance_id);
  return rows.map((m) => ({
    id: m.id,
    title: m.title,
    description: m.description,
    startsAt: Number(m.starts_at),
    endsAt: Number(m.ends_at),
    repeat: m.repeat,
    repeatUntil: nullableNumber(m.repeat_until),
    createdAt: Number(m.created_at),
    componentIds: (linksOf.get(m.id) ?? []).map((l) => l.component_id).sort(),
  }));
}

// `affected` is JSON written by the incident code; a malformed value shows no component changes
// rather than failing the whole page.
function parseAffected(json: string): IncidentInput['updates'][number]['affected'] {
  try {
    const parsed: unknown = JSON.parse(json);
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((a: Record<string, unknown>) =>
      typeof a?.component_id === 'string'
        ? [
            {
              componentId: a.component_id,
              name: String(a.name ?? ''),
              oldStatus: String(a.old_status ?? ''),
              newStatus: String(a.new_status ?? ''),
            },
          ]
        : [],
    );
  } catch {
    return [];
  }
}

function nullableNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function group<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(key(row));
    if (list === undefined) out.set(key(row), [row]);
    else list.push(row);
  }
  return out;
}
