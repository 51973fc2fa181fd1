import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../app/metrics.js';
import type { Database } from '../../store/database.js';
import { requireScope } from '../auth.js';

/**
 * Authenticated endpoints: Prometheus metrics and the read API over what is
 * configured and how each monitor stands. Every route here checks a token first.
 */
export function registerAdminRoutes(app: FastifyInstance, database: Database, metrics: Metrics): void {
  const db = database.db;

  app.get('/metrics', async (request, reply) => {
    await requireScope(db, request, 'metrics');
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get('/api/v1/communities', async (request) => {
    await requireScope(db, request, 'read');
    const rows = await db
      .selectFrom('communities')
      .select(['id', 'slug', 'name', 'description', 'url', 'created_at', 'updated_at'])
      .orderBy('position')
      .execute();
    return { communities: rows };
  });

  app.get('/api/v1/components', async (request) => {
    await requireScope(db, request, 'read');
    const rows = await db
      .selectFrom('components')
      .select(['id', 'ref', 'community_id', 'name', 'status', 'status_changed_at', 'updated_at'])
      .orderBy('ref')
      .execute();
    return { components: rows };
  });

  app.get('/api/v1/monitors', async (request) => {
    await requireScope(db, request, 'read');
    const rows = await db
      .selectFrom('monitors')
      .leftJoin('monitor_states', 'monitor_states.monitor_id', 'monitors.id')
      .select([
        'monitors.id',
        'monitors.ref',
        'monitors.type',
        'monitors.interval_ms',
        'monitors.enabled',
        'monitor_states.status',
        'monitor_states.consecutive_failures',
        'monitor_states.last_checked_at',
        'monitor_states.last_reason',
      ])
      .orderBy('monitors.ref')
      .execute();
    return {
      monitors: rows.map((r) => ({
        id: r.id,
        ref: r.ref,
        type: r.type,
        interval_ms: r.interval_ms,
        enabled: r.enabled === 1,
        status: r.status ?? 'unknown',
        consecutive_failures: r.consecutive_failures ?? 0,
        last_checked_at: r.last_checked_at,
        last_reason: r.last_reason,
      })),
    };
  });

  app.get<{ Params: { id: string } }>('/api/v1/components/:id/status-changes', async (request) => {
    await requireScope(db, request, 'read');
    const rows = await db
      .selectFrom('component_status_changes')
      .selectAll()
      .where('component_id', '=', request.params.id)
      .orderBy('id', 'desc')
      .limit(200)
      .execute();
    return { status_changes: rows };
  });
}
