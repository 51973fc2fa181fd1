import { type Kysely, sql } from 'kysely';
import { OPEN_INCIDENT_STATUSES } from '../incidents/incident.js';
import type { IncidentInput, MaintenanceInput, StatusInputs } from '../statuspage/project-status.js';
import { HISTORY_DAYS, UPCOMING_DAYS, UPTIME_DAYS } from '../statuspage/status-snapshot.js';
import type { Schema } from './schema.js';

const DAY_MS = 86_400_000;

/**
 * Reads what projectStatus() needs in a fixed number of queries (no query per incident or window):
 * communities, components, dependencies, 90 days of rollups; published incidents that are open or resolved
 * within HISTORY_DAYS with their components and published public updates; and maintenance windows that
 * are not cancelled and may have an occurrence within [now - HISTORY_DAYS, now + UPCOMING_DAYS].
 */
export async function loadStatusInputs(
  db: Kysely<Schema>,
  now: number,
  history?: UptimeHistory,
): Promise<StatusInputs> {
  const today = now - (now % DAY_MS);
  const firstDay = today - (UPTIME_DAYS - 1) * DAY_MS;
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
    history !== undefined && history.today === today
      ? loadUptime(db, today, today).then((rows) => [...history.rows, ...rows])
      : loadUptime(db, firstDay, today),
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
 * The uptime bars' past days, loaded once and kept by the caller: with 2,000 components they are 180,000
 * rows, and only today's change between rebuilds. `today` is the UTC day they were loaded for.
 */
export interface UptimeHistory {
  readonly today: number;
  readonly rows: StatusInputs['uptime'];
}

/** The past days of the uptime bars (before today, within UPTIME_DAYS) for an UptimeHistory. */
export async function loadUptimeHistory(db: Kysely<Schema>, now: number): Promise<UptimeHistory> {
  const today = now - (now % DAY_MS);
  return { today, rows: await loadUptime(db, today - (UPTIME_DAYS - 1) * DAY_MS, today - DAY_MS) };
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
