import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { AlertEngine } from '../app/alert-engine.js';
import type { Metrics } from '../app/metrics.js';
import type { PagingEngine } from '../app/paging-engine.js';
import type { SnapshotCache } from '../app/snapshot-cache.js';
import type { Database } from '../store/database.js';
import { loadIncidentSettings } from '../store/incident-policy-repository.js';
import type { IncidentSettings } from '../store/incident-repository.js';
import { RefusedWrite } from '../store/refused-write.js';
import { ApiError } from './errors.js';
import { registerAdminRoutes } from './routes/admin-routes.js';
import { registerAlertRoutes } from './routes/alert-routes.js';
import { registerAlertRuleRoutes } from './routes/alert-rule-routes.js';
import { registerHeartbeatRoutes } from './routes/heartbeat-routes.js';
import { registerIncidentRoutes } from './routes/incident-routes.js';
import { registerIngestRoutes } from './routes/ingest-routes.js';
import { registerMaintenanceRoutes } from './routes/maintenance-routes.js';
import { registerOncallRoutes } from './routes/oncall-routes.js';
import { registerPageRoutes } from './routes/page-routes.js';
import { registerPublicApiRoutes } from './routes/public-api-routes.js';
import { registerPublicStatusRoutes } from './routes/public-status-routes.js';
import { registerReportRoutes } from './routes/report-routes.js';
import { registerSilenceRoutes } from './routes/silence-routes.js';
import { registerSubscriptionRoutes } from './routes/subscription-routes.js';

/** Writes that change what the public page shows (or queue subscriber notices). */
const PUBLIC_WRITES =
  /^\/(api\/v1\/(incidents|maintenances|reports|subscribers|alerts\/[^/]+\/[a-z-]+)|c\/[^/]+\/report|subscribe|unsubscribe)/;

export interface ServerDeps {
  readonly database: Database;
  readonly snapshots: SnapshotCache;
  readonly metrics: Metrics;
  readonly alerts: AlertEngine;
  /** Null in tests that build the server without on-call. */
  readonly paging?: PagingEngine | null;
  readonly logger: Logger;
  readonly now: () => number;
  /** Called after a heartbeat ping is stored, so the engine can judge that monitor at once. */
  readonly onPing?: (monitorId: string) => void;
  /** What incident writes need (matrix, policy, page URL and name); default: read from the database. */
  readonly incidentSettings?: () => Promise<IncidentSettings>;
  /** Called after every incident write (rebuild the status snapshot); default: nothing. */
  readonly onIncidentChange?: () => void;
  /**
   * Called after every successful write to incidents, maintenances, reports or subscribers (the public
   * page shows them; notices may be queued): rebuild the snapshot, deliver soon.
   */
  readonly onPublicChange?: () => void;
}

/**
 * Builds the Fastify app. Public: the status pages, their v2 JSON and /healthz
 * (which says only "ok"). Everything else needs an API token (see http/auth.ts).
 */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Per-request lines would drown the log under a status-page spike; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1_048_576,
    trustProxy: false,
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).send(error.toJSON());
    if (error instanceof RefusedWrite) {
      const refused = new ApiError(error.code, error.message, {
        ...(error.hint ? { hint: error.hint } : {}),
        ...(error.field ? { field: error.field } : {}),
      });
      return reply.code(refused.status).send(refused.toJSON());
    }
    const status =
      typeof (error as { statusCode?: unknown }).statusCode === 'number'
        ? (error as { statusCode: number }).statusCode
        : isRefusedText(error)
          ? 400
          : 500;
    if (status < 500) {
      return reply.code(status).send(new ApiError('invalid_request', (error as Error).message).toJSON());
    }
    // Without the query: calendar feeds carry their token there.
    request.log.error({ err: error, url: request.url.split('?')[0] }, 'request failed');
    return reply
      .code(500)
      .send(new ApiError('internal', 'internal error; the server log has details').toJSON());
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(
        new ApiError('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`).toJSON(),
      ),
  );

  // HTML forms (notification links, later the status page's report form) post urlencoded bodies.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );

  const incidents = {
    settings: deps.incidentSettings ?? (() => loadIncidentSettings(deps.database.db)),
    onChange: deps.onIncidentChange ?? (() => {}),
  };

  const onPublicChange = deps.onPublicChange;
  if (onPublicChange) {
    app.addHook('onResponse', async (request, reply) => {
      if (request.method === 'GET' || request.method === 'HEAD' || reply.statusCode >= 400) return;
      if (PUBLIC_WRITES.test(request.url)) onPublicChange();
    });
  }

  app.get('/healthz', async () => ({ status: 'ok' }));
  registerPublicStatusRoutes(app, deps.snapshots);
  registerPublicApiRoutes(app, deps.snapshots);
  registerAdminRoutes(app, deps.database, deps.metrics);
  registerIngestRoutes(app, deps.database, deps.alerts, deps.now);
  registerAlertRoutes(app, deps.database, deps.alerts, deps.now, incidents);
  registerIncidentRoutes(app, deps.database, deps.now, incidents.settings, incidents.onChange);
  registerAlertRuleRoutes(app, deps.database, deps.alerts, deps.now);
  registerSilenceRoutes(app, deps.database, deps.now);
  registerMaintenanceRoutes(app, deps.database, deps.now);
  registerReportRoutes(app, deps.database, { snapshots: deps.snapshots, now: deps.now });
  registerSubscriptionRoutes(app, deps.database, { snapshots: deps.snapshots, now: deps.now });
  registerPageRoutes(app, deps.database, deps.alerts, deps.paging ?? null, deps.now);
  registerOncallRoutes(app, deps.database, deps.now, async () => {
    await deps.paging?.reload();
  });
  registerHeartbeatRoutes(app, deps.database, {
    now: deps.now,
    ...(deps.onPing ? { onPing: deps.onPing } : {}),
  });
  return app;
}

/**
 * Whether PostgreSQL refused a text value from the request (SQLSTATE 22021: a NUL character, which
 * SQLite stores): the client's input, not a server fault.
 */
function isRefusedText(error: unknown): boolean {
  return (error as { code?: unknown }).code === '22021';
}
