import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../app/metrics.js';
import type { Database } from '../../store/database.js';
import { heartbeatTokens } from '../../store/heartbeat-repository.js';
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
    const pingTokens = await heartbeatTokens(db);
    const base = `${request.protocol}://${request.host}`;
    const [monitors, states] = await Promise.all([
      db
        .selectFrom('monitors')
        .select(['id', 'ref', 'type', 'interval_ms', 'enabled'])
        .orderBy('ref')
        .execute(),
      db
        .selectFrom('monitor_states')
        .select([
          'monitor_id',
          'location',
          'status',
          'consecutive_failures',
          'last_checked_at',
          'last_reason',
        ])
        .orderBy('location')
        .execute(),
    ]);
    const byMonitor = new Map<string, typeof states>();
    for (const state of states)
      byMonitor.set(state.monitor_id, [...(byMonitor.get(state.monitor_id) ?? []), state]);
    return {
      monitors: monitors.map((m) => ({
        id: m.id,
        ref: m.ref,
        type: m.type,
        interval_ms: m.interval_ms,
        enabled: m.enabled === 1,
        // One entry per location that has checked it; empty before the first check.
        locations: (byMonitor.get(m.id) ?? []).map((s) => ({
          location: s.location,
          status: s.status,
          consecutive_failures: s.consecutive_failures,
          last_checked_at: s.last_checked_at,
          last_reason: s.last_reason,
        })),
        ...(pingTokens.has(m.id) ? { ping_url: `${base}/ping/${pingTokens.get(m.id)}` } : {}),
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
