import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DETECTION_SOURCES } from '../../incidents/incident.js';
import { IMPACTS } from '../../oncall/urgency-matrix.js';
import { COMPONENT_STATUSES } from '../../statuspage/component-status.js';
import type { Database } from '../../store/database.js';
import { declareIncidentFromAlert } from '../../store/incident-from-alert.js';
import {
  changeIncident,
  declareIncident,
  getIncident,
  type IncidentSettings,
  listIncidents,
  postIncidentUpdate,
  publishIncident,
} from '../../store/incident-repository.js';
import { requireScope } from '../auth.js';
import { ApiError } from '../errors.js';
import { parseBody } from '../parse-body.js';
import { incidentView, summaryView } from './incident-views.js';

type IdParams = { Params: { id: string } };

const person = z.string().trim().min(1, 'must not be blank').max(200, 'at most 200 characters');
const title = z
  .string()
  .trim()
  .min(1, 'must not be blank — say what is wrong')
  .max(200, 'at most 200 characters');
const markdown = z.string().trim().min(1, 'must not be blank').max(20_000, 'at most 20000 characters');
const impact = z.enum(IMPACTS, { error: `use one of ${IMPACTS.join(', ')}` });
const version = z.int('must be the incident version (a whole number)').min(1).optional();
const components = z
  .array(
    z.strictObject({
      component: z.string().min(1, 'name the component by ref: <community slug>/<key> or shared/<key>'),
      status: z.enum(COMPONENT_STATUSES, { error: `use one of ${COMPONENT_STATUSES.join(', ')}` }),
    }),
  )
  .max(1000, 'at most 1000 components');
const DECLARABLE = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
const STATUSES = [...DECLARABLE, 'postmortem'] as const;

const declareBody = z.strictObject({
  as: person.optional(),
  title,
  impact,
  status: z.enum(DECLARABLE, { error: `use one of ${DECLARABLE.join(', ')}` }).optional(),
  components: components.default([]),
  message: markdown.optional(),
  draft: z.boolean().optional(),
  commander: person.nullable().optional(),
  communications: person.nullable().optional(),
  detection_source: z
    .enum(DETECTION_SOURCES, { error: `use one of ${DETECTION_SOURCES.join(', ')}` })
    .optional(),
  detected_at: z.int('must be epoch milliseconds').min(0).optional(),
});

const updateBody = z.strictObject({
  as: person.optional(),
  kind: z.enum(['public', 'internal'], { error: 'use public or internal' }).default('public'),
  message: markdown,
  status: z.enum(STATUSES, { error: `use one of ${STATUSES.join(', ')}` }).optional(),
  impact: impact.optional(),
  components: components.optional(),
  draft: z.boolean().optional(),
  version,
});

const changeBody = z
  .strictObject({
    as: person.optional(),
    title: title.optional(),
    impact: impact.optional(),
    commander: person.nullable().optional(),
    communications: person.nullable().optional(),
    held: z.boolean().optional(),
    version,
  })
  .refine((b) => Object.keys(b).some((key) => key !== 'as' && key !== 'version'), {
    error: 'change at least one of title, impact, commander, communications, held',
  });

const fromAlertBody = z.strictObject({
  as: person.optional(),
  incident_id: z.string().min(1).optional(),
  title: title.optional(),
  message: markdown.optional(),
  draft: z.boolean().optional(),
});

/**
 * The incident API: list and read incidents (with updates, notes and the merged timeline), declare one
 * by hand or from an alert, post public updates and internal notes, publish a draft, change title,
 * impact, roles and the hold. Reads need `read`, changes `write`; the acting person is the token's name
 * unless the body says `as`. Writes may send the `version` they saw: a newer stored one is a 409.
 * `onChange` runs after every successful write (the status page's snapshot is rebuilt).
 */
export function registerIncidentRoutes(
  app: FastifyInstance,
  database: Database,
  now: () => number,
  settings: () => Promise<IncidentSettings>,
  onChange: () => void,
): void {
  const { db } = database;

  /** Runs a write and tells `onChange`; an IncidentError is answered by the server's error handler. */
  const write = async <T>(work: () => Promise<T>): Promise<T> => {
    const result = await work();
    onChange();
    return result;
  };

  app.get('/api/v1/incidents', async (request) => {
    await requireScope(db, request, 'read');
    const q = parseBody(
      z.strictObject({
        state: z.enum(['open', 'resolved', 'all'], { error: 'use open, resolved or all' }).default('open'),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        before: z.string().optional(),
      }),
      request.query,
      'query',
    );
    const page = await listIncidents(db, {
      state: q.state,
      limit: q.limit,
      ...(q.before ? { before: q.before } : {}),
    });
    return { incidents: page.incidents.map(summaryView), next: page.next };
  });

  app.get<IdParams>('/api/v1/incidents/:id', async (request) => {
    await requireScope(db, request, 'read');
    const incident = await getIncident(db, request.params.id);
    if (!incident) {
      throw new ApiError('not_found', `no incident ${request.params.id}`, {
        hint: 'list incidents with GET /api/v1/incidents?state=all',
      });
    }
    return { incident: incidentView(incident) };
  });

  app.post('/api/v1/incidents', async (request, reply) => {
    const identity = await requireScope(db, request, 'write');
    const body = parseBody(declareBody, request.body);
    const current = await settings();
    const at = now();
    const message = body.message ?? null;
    const result = await write(() =>
      declareIncident(
        database,
        {
          title: body.title,
          impact: body.impact,
          ...(body.status ? { status: body.status } : {}),
          components: body.components.map((c) => ({ ref: c.component, status: c.status })),
          message,
          draft: body.draft ?? (message === null && current.policy.firstUpdate === 'draft'),
          origin: 'manual',
          detectionSource: body.detection_source ?? 'manual',
          detectedAt: Math.min(body.detected_at ?? at, at),
          commander: body.commander ?? null,
          communications: body.communications ?? null,
          actor: body.as ?? identity.name,
        },
        current,
        at,
      ),
    );
    if ('unknown' in result) {
      const refs = body.components.map((c) => c.component);
      const index = refs.indexOf(result.unknown[0]!);
      throw new ApiError(
        'invalid_request',
        `unknown component ${result.unknown.map((r) => `"${r}"`).join(', ')}`,
        {
          field: `components[${index}].component`,
          hint: 'name components by ref: <community slug>/<key> or shared/<key> (see GET /api/v2/components.json)',
        },
      );
    }
    return reply.code(201).send({ incident: incidentView(result.incident) });
  });

  app.post<IdParams>('/api/v1/incidents/:id/updates', async (request, reply) => {
    const identity = await requireScope(db, request, 'write');
    const body = parseBody(updateBody, request.body);
    const current = await settings();
    const incident = await write(() =>
      postIncidentUpdate(
        database,
        request.params.id,
        {
          kind: body.kind,
          body: body.message,
          ...(body.status ? { status: body.status } : {}),
          ...(body.impact ? { impact: body.impact } : {}),
          ...(body.components
            ? { components: body.components.map((c) => ({ ref: c.component, status: c.status })) }
            : {}),
          ...(body.draft === undefined ? {} : { draft: body.draft }),
          ...(body.version === undefined ? {} : { expectedVersion: body.version }),
          actor: body.as ?? identity.name,
        },
        current,
        now(),
      ),
    );
    return reply.code(201).send({ incident: incidentView(incident) });
  });

  app.post<IdParams>('/api/v1/incidents/:id/publish', async (request) => {
    const identity = await requireScope(db, request, 'write');
    const body = parseBody(z.strictObject({ as: person.optional(), version }), request.body);
    const current = await settings();
    const incident = await write(() =>
      publishIncident(database, request.params.id, body.as ?? identity.name, current, now(), body.version),
    );
    return { incident: incidentView(incident) };
  });

  app.patch<IdParams>('/api/v1/incidents/:id', async (request) => {
    const identity = await requireScope(db, request, 'write');
    const { as, version: expectedVersion, ...changes } = parseBody(changeBody, request.body);
    const incident = await write(() =>
      changeIncident(
        database,
        request.params.id,
        { ...changes, ...(expectedVersion === undefined ? {} : { expectedVersion }) },
        as ?? identity.name,
        now(),
      ),
    );
    return { incident: incidentView(incident) };
  });

  app.post<IdParams>('/api/v1/alerts/:id/incident', async (request, reply) => {
    const identity = await requireScope(db, request, 'write');
    const body = parseBody(fromAlertBody, request.body);
    const current = await settings();
    const result = await write(() =>
      declareIncidentFromAlert(
        database,
        request.params.id,
        {
          actor: body.as ?? identity.name,
          ...(body.incident_id ? { incidentId: body.incident_id } : {}),
          ...(body.title ? { title: body.title } : {}),
          ...(body.message ? { message: body.message } : {}),
          ...(body.draft === undefined ? {} : { draft: body.draft }),
        },
        current,
        now(),
      ),
    );
    return reply
      .code(result.declared ? 201 : 200)
      .send({ incident: incidentView(result.incident), declared: result.declared });
  });
}
