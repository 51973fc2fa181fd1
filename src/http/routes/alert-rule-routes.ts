import type { FastifyInstance } from 'fastify';
import type { AlertEngine } from '../../app/alert-engine.js';
import { alertRuleSchema, alertRuleToFile } from '../../config/alert-rule-schema.js';
import { deleteApiRule, loadAlertRules, putApiRule } from '../../store/alert-rule-repository.js';
import type { Database } from '../../store/database.js';
import { listIntegrations } from '../../store/integration-repository.js';
import { requireScope } from '../auth.js';
import { ApiError } from '../errors.js';
import { parseBody, requireObject } from '../parse-body.js';

/**
 * Alert rules over the API (the same fields as in the config file's `alert_rules`), and the
 * integrations with their webhook URLs. Rules from the config file are read-only here: `firewatch
 * apply` owns them; rules put through the API have origin `api` and apply leaves them alone.
 * Integration URLs carry secrets, so listing them needs the `admin` scope.
 */
export function registerAlertRuleRoutes(
  app: FastifyInstance,
  database: Database,
  engine: AlertEngine,
  now: () => number,
): void {
  const db = database.db;

  app.get('/api/v1/alert-rules', async (request) => {
    await requireScope(db, request, 'read');
    const rules = await loadAlertRules(db);
    return {
      rules: rules.map((r) => ({
        id: r.id,
        origin: r.origin,
        enabled: r.enabled,
        ...alertRuleToFile(r.rule),
      })),
    };
  });

  app.put<{ Params: { key: string } }>('/api/v1/alert-rules/:key', async (request) => {
    await requireScope(db, request, 'write');
    const body = requireObject(request.body, 'rule', 'alert_rules');
    const rule = parseBody(alertRuleSchema, { ...body, key: request.params.key }, 'rule');
    try {
      await putApiRule(db, rule, now());
    } catch (error) {
      throw new ApiError('conflict', (error as Error).message, {
        hint: 'rules from the config file change through `firewatch apply`',
      });
    }
    await engine.reload();
    return { rule: { origin: 'api', ...alertRuleToFile(rule) } };
  });

  app.delete<{ Params: { key: string } }>('/api/v1/alert-rules/:key', async (request) => {
    await requireScope(db, request, 'write');
    if (!(await deleteApiRule(db, request.params.key))) {
      throw new ApiError('not_found', `no API rule ${request.params.key}`, {
        hint: 'rules from the config file are removed by deleting them from the file and running `firewatch apply`',
      });
    }
    await engine.reload();
    return { deleted: request.params.key };
  });

  app.get('/api/v1/integrations', async (request) => {
    await requireScope(db, request, 'admin');
    const base = `${request.protocol}://${request.host}`;
    const integrations = await listIntegrations(db);
    return {
      integrations: integrations.map((i) => ({
        key: i.key,
        name: i.name,
        kind: i.kind,
        url: `${base}/ingest/${i.token}`,
      })),
    };
  });
}
