import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AlertEngine } from '../../app/alert-engine.js';
import { parseAlertmanager } from '../../ingest/alertmanager-payload.js';
import { parseGeneric } from '../../ingest/generic-payload.js';
import { parseGrafana } from '../../ingest/grafana-payload.js';
import {
  IngestError,
  type IntegrationKind,
  type IntegrationSettings,
  MAX_BODY_BYTES_LIMIT,
} from '../../ingest/integration-settings.js';
import type { Signal } from '../../rules/signal.js';
import type { Database } from '../../store/database.js';
import { findIntegrationByToken } from '../../store/integration-repository.js';
import { ApiError } from '../errors.js';

type Parser = (body: unknown, settings: IntegrationSettings, now: number) => Signal[];

/** One parser per integration kind: a new sender is a new parser file and one line here. */
const PARSERS: Readonly<Record<IntegrationKind, Parser>> = {
  alertmanager: parseAlertmanager,
  grafana: parseGrafana,
  generic: parseGeneric,
};

/**
 * Senders that retry by re-sending the same body: a byte-identical body is the same delivery.
 * Generic senders may post two identical events on purpose (two failures in a row), so for them
 * only an `Idempotency-Key` header makes a delivery idempotent.
 */
const BODY_IS_IDENTITY: ReadonlySet<IntegrationKind> = new Set(['alertmanager', 'grafana']);

const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * Inbound webhooks: POST /ingest/<integration token> with a JSON body. The token in the URL is
 * the integration's secret (as with PagerDuty integration URLs); answers 200 with what was done,
 * 400 naming the wrong field, 401 for an unknown token, 413 over the integration's size limit.
 */
export function registerIngestRoutes(
  app: FastifyInstance,
  database: Database,
  engine: AlertEngine,
  now: () => number,
): void {
  void app.register(async (scope) => {
    // Bodies are read raw: their size is judged per integration and they are hashed for idempotency.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES_LIMIT },
      (_r, body, done) => done(null, body),
    );
    scope.post<{ Params: { token: string } }>(
      '/ingest/:token',
      { bodyLimit: MAX_BODY_BYTES_LIMIT },
      async (request, reply) => {
        const integration = TOKEN.test(request.params.token)
          ? await findIntegrationByToken(database.db, request.params.token)
          : null;
        if (!integration) {
          throw new ApiError('unauthorized', 'no integration has this token', {
            hint: 'copy the URL from `firewatch integrations` or GET /api/v1/integrations',
          });
        }
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        if (raw.length > integration.settings.maxBodyBytes) {
          throw new ApiError(
            'payload_too_large',
            `the body is ${raw.length} bytes; integration "${integration.key}" takes at most ${integration.settings.maxBodyBytes}`,
            { hint: 'send fewer events per request, or raise max_body for this integration' },
          );
        }
        const body = parseJson(raw);
        let signals: Signal[];
        try {
          signals = PARSERS[integration.kind](body, integration.settings, now());
        } catch (error) {
          if (error instanceof IngestError) {
            throw new ApiError('invalid_request', error.message, error.field ? { field: error.field } : {});
          }
          throw error;
        }
        const outcome = await engine.submit({
          integrationId: integration.id,
          idempotencyKey: idempotencyKey(request, raw, integration.kind),
          signals,
        });
        return reply.code(200).send({
          integration: integration.key,
          duplicate: outcome.duplicate,
          signals: outcome.signals,
          alerts: outcome.alerts.map((a) => ({ id: a.id, action: a.action, dedup_key: a.dedupKey })),
        });
      },
    );
  });
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) {
    throw new ApiError('invalid_request', 'the body is empty', { hint: 'send a JSON body' });
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new ApiError('invalid_request', `the body is not valid JSON: ${(error as Error).message}`, {
      hint: 'send Content-Type: application/json with a JSON object or array',
    });
  }
}

function idempotencyKey(request: FastifyRequest, raw: Buffer, kind: IntegrationKind): string | null {
  const header = request.headers['idempotency-key'];
  if (typeof header === 'string' && header.trim() !== '') return `key:${header.trim().slice(0, 200)}`;
  if (BODY_IS_IDENTITY.has(kind)) return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  return null;
}
