import type { Kysely } from 'kysely';
import type { Schema } from '../../src/store/schema.js';

/** Inserts one community with one component and one HTTP monitor; returns their ids. */
export async function seedOneMonitor(
  db: Kysely<Schema>,
  options: { at?: number; quorum?: number; failAfter?: number; locations?: readonly string[] } = {},
) {
  const at = options.at ?? 1_000;
  await db
    .insertInto('communities')
    .values({
      id: 'com_1',
      slug: 'alpha',
      name: 'Alpha',
      description: null,
      url: null,
      position: 0,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('components')
    .values({
      id: 'cmp_1',
      ref: 'alpha/hub',
      community_id: 'com_1',
      key: 'hub',
      name: 'Hub',
      description: null,
      position: 0,
      status: 'operational',
      status_changed_at: at,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('monitors')
    .values({
      id: 'mon_1',
      ref: 'alpha/hub/front',
      component_id: 'cmp_1',
      key: 'front',
      name: 'Front',
      type: 'http',
      interval_ms: 30_000,
      timeout_ms: 10_000,
      spec: '{}',
      rule: JSON.stringify({
        failAfter: options.failAfter ?? 2,
        recoverAfter: 1,
        impact: 'major_outage',
        quorum: options.quorum ?? 1,
      }),
      settings: JSON.stringify({ locations: options.locations ?? null }),
      enabled: 1,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return { communityId: 'com_1', componentId: 'cmp_1', monitorId: 'mon_1' };
}
