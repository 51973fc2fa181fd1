import type { Kysely } from 'kysely';
import type { StatusInputs } from '../statuspage/project-status.js';
import { UPTIME_DAYS } from '../statuspage/status-snapshot.js';
import type { Schema } from './schema.js';

const DAY_MS = 86_400_000;

/** Reads what projectStatus() needs: communities, components, dependencies and 90 days of rollups. */
export async function loadStatusInputs(db: Kysely<Schema>, now: number): Promise<StatusInputs> {
  const firstDay = now - (now % DAY_MS) - (UPTIME_DAYS - 1) * DAY_MS;
  const [communities, components, dependencies, uptime] = await Promise.all([
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
    db
      .selectFrom('check_rollups')
      .innerJoin('monitors', 'monitors.id', 'check_rollups.monitor_id')
      .select((eb) => [
        'monitors.component_id',
        'check_rollups.bucket',
        eb.fn.sum<number>('check_rollups.checks').as('checks'),
        eb.fn.sum<number>('check_rollups.failures').as('failures'),
      ])
      .where('check_rollups.granularity', '=', 'day')
      .where('check_rollups.bucket', '>=', firstDay)
      .groupBy(['monitors.component_id', 'check_rollups.bucket'])
      .execute(),
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
    // SUM comes back as a string (numeric) from PostgreSQL.
    uptime: uptime.map((u) => ({
      componentId: u.component_id,
      day: Number(u.bucket),
      checks: Number(u.checks),
      failures: Number(u.failures),
    })),
  };
}
