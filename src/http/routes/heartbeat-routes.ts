import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PingKind } from '../../checks/heartbeat-spec.js';
import type { Database } from '../../store/database.js';
import { monitorForToken, recordPing } from '../../store/heartbeat-repository.js';
import { ApiError } from '../errors.js';

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Heartbeat ping URLs: /ping/<token> (success), /ping/<token>/start, /ping/<token>/fail,
 * by GET, HEAD or POST (a body is accepted and ignored, at most 10 KB). The secret token is
 * the credential, as with healthchecks-style services; anything else about the monitor
 * needs an API token. `onPing` lets the engine judge the monitor at once.
 */
export function registerHeartbeatRoutes(
  app: FastifyInstance,
  database: Database,
  options: { now: () => number; onPing?: (monitorId: string) => void },
): void {
  const handle =
    (kind: PingKind) =>
    async (request: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply) => {
      const { token } = request.params;
      const monitor = TOKEN.test(token) ? await monitorForToken(database.db, token) : null;
      if (!monitor) {
        throw new ApiError('not_found', 'no heartbeat monitor has this ping token', {
          hint: "check the URL; GET /api/v1/monitors (with an API token) lists each heartbeat monitor's ping_url",
        });
      }
      await recordPing(database.db, { monitorId: monitor.id, kind, at: options.now(), source: request.ip });
      options.onPing?.(monitor.id);
      return reply.type('text/plain; charset=utf-8').send('OK\n');
    };
  // A scope of its own, so the catch-all body parser applies to ping URLs only.
  void app.register(async (scope) => {
    // Ping bodies (logs, exit codes) may be any type; accept them without parsing.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { bodyLimit: 10_240 }, (_request, _payload, done) =>
      done(null, undefined),
    );
    for (const [suffix, kind] of [
      ['', 'success'],
      ['/start', 'start'],
      ['/fail', 'fail'],
    ] as const) {
      scope.route({
        method: ['GET', 'POST'],
        url: `/ping/:token${suffix}`,
        bodyLimit: 10_240,
        handler: handle(kind),
      });
    }
  });
}
