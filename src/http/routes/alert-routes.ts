import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TIMEBOX_DECISIONS } from '../../alerts/time-box.js';
import type { AlertEngine } from '../../app/alert-engine.js';
import { duration } from '../../config/schema-parts.js';
import { SEVERITIES } from '../../rules/signal.js';
import {
  acknowledgeAlert,
  decideTimeBox,
  extendTimeBox,
  reassignAlert,
  resolveAlertByHand,
} from '../../store/alert-actions.js';
import { getAlert, listAlertGroups, listAlerts } from '../../store/alert-queries.js';
import type { Database } from '../../store/database.js';
import type { IncidentSettings } from '../../store/incident-repository.js';
import type { AlertEventRow, AlertRow } from '../../store/schema.js';
import { requireScope } from '../auth.js';
import { ApiError } from '../errors.js';
import { parseBody } from '../parse-body.js';

const STATUSES = ['firing', 'acknowledged', 'resolved'] as const;
const person = z.string().trim().min(1, 'must not be blank').max(200, 'at most 200 characters');
const note = z.string().trim().min(1, 'must not be blank — say why').max(5000, 'at most 5000 characters');
/** Time-box lengths: 1m to 24h, like the config file's time boxes. */
const boxLength = (field: string) => duration(field, 60_000, 86_400_000);
const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values, { error: `use any of ${values.join(', ')}, comma-separated` })));

const listQuery = z.strictObject({
  status: csv(STATUSES).optional(),
  severity: csv(SEVERITIES).optional(),
  community: z.string().optional(),
  source: z.string().optional(),
  group: z.string().optional(),
  rule: z.string().optional(),
  owner: z.string().optional(),
  q: z.string().max(200).optional(),
  before: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/**
 * The alert API: list and filter, one alert with its history, acknowledge, resolve, reassign,
 * extend or decide a time box (deciding `incident` declares one from the alert, or links it to
 * `incident_id`, when `incidents` is given); alert groups. Reads need the `read` scope, actions
 * `write`; the acting person is the token's name unless the body says `as`.
 */
export function registerAlertRoutes(
  app: FastifyInstance,
  database: Database,
  engine: AlertEngine,
  now: () => number,
  incidents?: { readonly settings: () => Promise<IncidentSettings>; readonly onChange: () => void },
): void {
  const { db, capabilities } = database;

  app.get('/api/v1/alerts', async (request) => {
    await requireScope(db, request, 'read');
    const q = parseBody(listQuery, request.query, 'query');
    const page = await listAlerts(db, {
      limit: q.limit,
      ...(q.status ? { statuses: q.status } : {}),
      ...(q.severity ? { severities: q.severity } : {}),
      ...(q.community ? { community: q.community } : {}),
      ...(q.source ? { source: q.source } : {}),
      ...(q.group ? { groupId: q.group } : {}),
      ...(q.rule ? { ruleKey: q.rule } : {}),
      ...(q.owner ? { owner: q.owner } : {}),
      ...(q.q ? { text: q.q } : {}),
      ...(q.before ? { before: q.before } : {}),
    });
    return { alerts: page.alerts.map(toApiAlert), next: page.next };
  });

  app.get<{ Params: { id: string } }>('/api/v1/alerts/:id', async (request) => {
    await requireScope(db, request, 'read');
    const found = await getAlert(db, request.params.id);
    if (!found) throw new ApiError('not_found', `no alert ${request.params.id}`);
    return { alert: { ...toApiAlert(found.alert), events: found.events.map(toApiEvent) } };
  });

  app.get('/api/v1/alert-groups', async (request) => {
    await requireScope(db, request, 'read');
    const q = parseBody(
      z.strictObject({
        all: z.enum(['true', 'false']).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
      }),
      request.query,
      'query',
    );
    const groups = await listAlertGroups(db, { all: q.all === 'true', limit: q.limit });
    return { groups };
  });

  const action = <S extends z.ZodType>(
    path: string,
    schema: S,
    run: (id: string, actor: { name: string; now: number }, body: z.output<S>) => Promise<AlertRow>,
  ) =>
    app.post<{ Params: { id: string } }>(`/api/v1/alerts/:id/${path}`, async (request) => {
      const identity = await requireScope(db, request, 'write');
      const body = parseBody(schema, request.body) as z.output<S> & { as?: string };
      const actor = { name: body.as ?? identity.name, now: now() };
      // A refused action (AlertActionError, IncidentError) is answered by the server's error handler.
      return { alert: toApiAlert(await run(request.params.id, actor, body)) };
    });

  action(
    'acknowledge',
    z.strictObject({ as: person.optional(), owner: person.optional() }),
    (id, actor, body) =>
      acknowledgeAlert(db, capabilities, id, actor, {
        settings: engine.settings,
        ...(body.owner ? { owner: body.owner } : {}),
      }),
  );
  action('resolve', z.strictObject({ as: person.optional(), note: note.optional() }), (id, actor, body) =>
    resolveAlertByHand(db, capabilities, id, actor, body.note ?? null),
  );
  action(
    'reassign',
    z.strictObject({ as: person.optional(), owner: person, reason: note.optional() }),
    (id, actor, body) => reassignAlert(db, capabilities, id, actor, body.owner, body.reason ?? null),
  );
  action(
    'extend',
    z.strictObject({ as: person.optional(), by: boxLength('by'), reason: note }),
    (id, actor, body) => extendTimeBox(db, capabilities, id, actor, body.by, body.reason),
  );
  action(
    'decide',
    z.strictObject({
      as: person.optional(),
      decision: z.enum(TIMEBOX_DECISIONS, { error: `use one of ${TIMEBOX_DECISIONS.join(', ')}` }),
      note,
      extend_by: boxLength('extend_by').optional(),
      incident_id: z.string().min(1).optional(),
    }),
    async (id, actor, body) => {
      const incident =
        body.decision === 'incident' && incidents
          ? {
              settings: await incidents.settings(),
              ...(body.incident_id ? { incidentId: body.incident_id } : {}),
            }
          : undefined;
      const alert = await decideTimeBox(
        db,
        capabilities,
        id,
        actor,
        body.decision,
        body.note,
        body.extend_by ?? 30 * 60_000,
        incident,
      );
      if (incident) incidents?.onChange();
      return alert;
    },
  );
}

/** An alert as the API shows it (JSON columns parsed). */
export function toApiAlert(row: AlertRow) {
  return {
    id: row.id,
    status: row.status,
    severity: row.severity,
    summary: row.summary,
    source: row.source,
    dedup_key: row.dedup_key,
    community: row.community,
    component: row.component,
    labels: JSON.parse(row.labels) as Record<string, string>,
    details: JSON.parse(row.details) as Record<string, unknown>,
    group_id: row.group_id,
    rule_id: row.rule_id,
    flapping: row.flapping === 1,
    muted_by: row.muted_by,
    /** The urgency-matrix row that applied (null until the paging clock routed the alert). */
    urgency: row.urgency,
    urgency_row: row.urgency_row,
    owner: row.owner,
    repeat_count: row.repeat_count,
    fired_at: row.fired_at,
    last_signal_at: row.last_signal_at,
    acknowledged_at: row.acknowledged_at,
    resolved_at: row.resolved_at,
    resolution: row.resolution,
    time_box:
      row.timebox_state === null
        ? null
        : {
            state: row.timebox_state,
            ends_at: row.timebox_ends_at,
            decision_required: row.timebox_state === 'expired',
          },
  };
}

function toApiEvent(row: AlertEventRow) {
  return {
    id: row.id,
    kind: row.kind,
    actor: row.actor,
    reason: row.reason,
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
    at: row.at,
  };
}
