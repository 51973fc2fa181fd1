import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { escalationPolicySchema } from '../../config/escalation-policy-schema.js';
import {
  type OncallKind,
  personProblems,
  policyProblems,
  referrersOf,
  scheduleProblems,
} from '../../config/find-oncall-problems.js';
import { personSchema } from '../../config/person-schema.js';
import { overrideInputSchema, readOverride, scheduleSchema } from '../../config/schedule-schema.js';
import type { Database } from '../../store/database.js';
import {
  addApiOverride,
  type DeleteOutcome,
  deleteApiOverride,
  deleteApiPerson,
  deleteApiPolicy,
  deleteApiSchedule,
  ManagedByConfigError,
  newOverrideId,
  putApiPerson,
  putApiPolicy,
  putApiSchedule,
} from '../../store/oncall-api-repository.js';
import { loadOncallDirectory } from '../../store/oncall-config-repository.js';
import { readPeople, readPolicies, readSchedules, type StoredPerson } from '../../store/oncall-rows.js';
import { requireScope } from '../auth.js';
import { ApiError } from '../errors.js';
import { parseBody } from '../parse-body.js';
import { registerOncallCalendarRoutes } from './oncall-calendar-routes.js';
import {
  CREATE_IT_FIRST,
  objectBody,
  overrideView,
  personView,
  policyView,
  refuseProblems,
  scheduleView,
} from './oncall-views.js';

type KeyParams = { Params: { key: string } };

const FROM_THE_FILE = 'objects from the config file change through `firewatch apply`';

/**
 * Users, schedules (with overrides) and escalation policies over the API, with the fields of the
 * config file's `users`, `schedules` and `escalation_policies`; who is on call and calendar feeds
 * (oncall-calendar-routes.ts). Reads need `read`, changes `write`. What the file defines is read-only
 * here (409), except that anyone with `write` may add overrides to any schedule; what the API makes
 * has origin `api` and `firewatch apply` leaves it alone. References are checked like the file's
 * (400 naming the field), and nothing something else refers to can be deleted (409). `onChange` runs
 * after every change, so paging picks it up.
 */
export function registerOncallRoutes(
  app: FastifyInstance,
  database: Database,
  now: () => number,
  onChange: () => Promise<void>,
): void {
  const db = database.db;

  /** The keys references may name: every user and schedule, of either origin. */
  const keys = async () => ({
    users: (await db.selectFrom('people').select('key').execute()).map((r) => r.key),
    schedules: (await db.selectFrom('schedules').select('key').execute()).map((r) => r.key),
  });

  /** Refuses (409) to delete what something else still refers to. */
  const refuseReferenced = async (kind: OncallKind, key: string) => {
    const referrers = referrersOf(kind, key, await loadOncallDirectory(db, now()), now());
    if (referrers.length === 0) return;
    throw new ApiError('conflict', `${kind} "${key}" is still used by ${referrers.join(', ')}`, {
      hint: `remove it there first, then delete the ${kind}`,
    });
  };

  /** The answer to a delete: 404 when there was nothing, 409 when the file owns it. */
  const answerDelete = async (outcome: DeleteOutcome, kind: OncallKind, key: string) => {
    if (outcome === 'missing') throw new ApiError('not_found', `no ${kind} ${key}`);
    if (outcome === 'config') {
      throw new ApiError('conflict', new ManagedByConfigError(kind, key).message, { hint: FROM_THE_FILE });
    }
    await onChange();
    return { deleted: key };
  };

  /** Runs an API put, answering 409 when the file owns the key. */
  const putApiRow = async <T>(write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof ManagedByConfigError)) throw error;
      throw new ApiError('conflict', error.message, { hint: FROM_THE_FILE });
    }
  };

  app.get('/api/v1/users', async (request) => {
    await requireScope(db, request, 'read');
    return { users: (await readPeople(db)).map(personView) };
  });

  app.get<KeyParams>('/api/v1/users/:key', async (request) => {
    await requireScope(db, request, 'read');
    return { user: personView(await findPerson(request.params.key)) };
  });

  app.put<KeyParams>('/api/v1/users/:key', async (request) => {
    await requireScope(db, request, 'write');
    const { key } = request.params;
    const body = objectBody(request.body, 'user', 'users');
    const [existing] = await readPeople(db, key);
    const person = parseBody(personSchema, { ...keepSecrets(body, existing), key }, 'user');
    refuseProblems(personProblems(person, []), 'user');
    await putApiRow(() => putApiPerson(db, person, now()));
    await onChange();
    return { user: personView(await findPerson(key)) };
  });

  app.delete<KeyParams>('/api/v1/users/:key', async (request) => {
    await requireScope(db, request, 'write');
    const { key } = request.params;
    if ((await findPerson(key)).origin === 'api') await refuseReferenced('user', key);
    return answerDelete(await deleteApiPerson(db, key), 'user', key);
  });

  app.get('/api/v1/schedules', async (request) => {
    await requireScope(db, request, 'read');
    const at = now();
    return {
      schedules: (await readSchedules(db, { overridesEndingAfter: at })).map((s) => scheduleView(s, at)),
    };
  });

  app.get<KeyParams>('/api/v1/schedules/:key', async (request) => {
    await requireScope(db, request, 'read');
    return { schedule: scheduleView(await findSchedule(request.params.key), now()) };
  });

  app.put<KeyParams>('/api/v1/schedules/:key', async (request) => {
    await requireScope(db, request, 'write');
    const { key } = request.params;
    const body = objectBody(request.body, 'schedule', 'schedules');
    if (body.overrides !== undefined) {
      throw new ApiError(
        'invalid_request',
        'schedule field overrides: overrides are not part of a schedule PUT',
        {
          field: 'overrides',
          hint: `add them one by one with POST /api/v1/schedules/${key}/overrides`,
        },
      );
    }
    const schedule = parseBody(scheduleSchema, { ...body, key }, 'schedule');
    refuseProblems(scheduleProblems(schedule, (await keys()).users, [], CREATE_IT_FIRST), 'schedule');
    await putApiRow(() => putApiSchedule(db, schedule, now()));
    await onChange();
    return { schedule: scheduleView(await findSchedule(key), now()) };
  });

  app.delete<KeyParams>('/api/v1/schedules/:key', async (request) => {
    await requireScope(db, request, 'write');
    const { key } = request.params;
    if ((await findSchedule(key)).origin === 'api') await refuseReferenced('schedule', key);
    return answerDelete(await deleteApiSchedule(db, key), 'schedule', key);
  });

  app.post<KeyParams>('/api/v1/schedules/:key/overrides', async (request, reply) => {
    const identity = await requireScope(db, request, 'write');
    const { key } = request.params;
    const stored = await findSchedule(key);
    const body = parseBody(
      overrideInputSchema.extend({ author: z.string().trim().min(1).max(200).optional() }),
      request.body,
      'override',
    );
    const at = now();
    const read = readOverride(body, stored.schedule.timeZone, newOverrideId(at));
    if ('problem' in read) {
      const { field, message } = read.problem;
      throw new ApiError('invalid_request', `override field ${field}: ${message}`, { field });
    }
    if (read.override.end <= at) {
      throw new ApiError('invalid_request', 'override field end: the override is already over', {
        field: 'end',
        hint: 'overrides change who is on call from now on; give an end in the future',
      });
    }
    if (!(await keys()).users.includes(read.override.user)) {
      throw new ApiError('invalid_request', `override field user: unknown user "${read.override.user}"`, {
        field: 'user',
        hint: CREATE_IT_FIRST('user'),
      });
    }
    const author = body.author ?? identity.name;
    if (!(await addApiOverride(db, key, read.override, author, at)))
      throw new ApiError('not_found', `no schedule ${key}`);
    await onChange();
    const view = overrideView({ override: read.override, origin: 'api', author }, stored.schedule.timeZone);
    return reply.code(201).send({ override: view });
  });

  app.delete<{ Params: { key: string; id: string } }>(
    '/api/v1/schedules/:key/overrides/:id',
    async (request) => {
      await requireScope(db, request, 'write');
      const { key, id } = request.params;
      const outcome = await deleteApiOverride(db, key, id);
      if (outcome === 'missing') throw new ApiError('not_found', `schedule ${key} has no override ${id}`);
      if (outcome === 'config') {
        throw new ApiError('conflict', `override ${id} of schedule "${key}" comes from the config file`, {
          hint: 'remove it from the file and run `firewatch apply`',
        });
      }
      await onChange();
      return { deleted: id };
    },
  );

  app.get('/api/v1/escalation-policies', async (request) => {
    await requireScope(db, request, 'read');
    return { escalation_policies: (await readPolicies(db)).map(policyView) };
  });

  app.get<KeyParams>('/api/v1/escalation-policies/:key', async (request) => {
    await requireScope(db, request, 'read');
    const [stored] = await readPolicies(db, request.params.key);
    if (stored === undefined) throw new ApiError('not_found', `no escalation policy ${request.params.key}`);
    return { escalation_policy: policyView(stored) };
  });

  app.put<KeyParams>('/api/v1/escalation-policies/:key', async (request) => {
    await requireScope(db, request, 'write');
    const { key } = request.params;
    const body = objectBody(request.body, 'escalation policy', 'escalation_policies');
    const policy = parseBody(escalationPolicySchema, { ...body, key }, 'escalation policy');
    const { users, schedules } = await keys();
    refuseProblems(policyProblems(policy, users, schedules, [], CREATE_IT_FIRST), 'escalation policy');
    await putApiRow(() => putApiPolicy(db, policy, now()));
    await onChange();
    const [stored] = await readPolicies(db, key);
    return { escalation_policy: policyView(stored!) };
  });

  app.delete<KeyParams>('/api/v1/escalation-policies/:key', async (request) => {
    await requireScope(db, request, 'write');
    const { key } = request.params;
    const [stored] = await readPolicies(db, key);
    if (stored?.origin === 'api') await refuseReferenced('escalation policy', key);
    return answerDelete(await deleteApiPolicy(db, key), 'escalation policy', key);
  });

  registerOncallCalendarRoutes(app, database, now);

  async function findPerson(key: string): Promise<StoredPerson> {
    const [stored] = await readPeople(db, key);
    if (stored === undefined) throw new ApiError('not_found', `no user ${key}`);
    return stored;
  }

  /** The schedule with the overrides that have not ended; 404 when there is none. */
  async function findSchedule(key: string) {
    const [stored] = await readSchedules(db, { key, overridesEndingAfter: now() });
    if (stored === undefined) throw new ApiError('not_found', `no schedule ${key}`);
    return stored;
  }
}

/**
 * A user as GET shows it can be edited and PUT back: the read-only `flagged_at` and `flag_reason` are
 * dropped, `secret: true` keeps the stored secret of that method and `false` means none.
 */
function keepSecrets(
  body: Record<string, unknown>,
  existing: StoredPerson | undefined,
): Record<string, unknown> {
  if (!Array.isArray(body.contact_methods)) return body;
  const contactMethods = body.contact_methods.map((method: unknown, i) => {
    if (typeof method !== 'object' || method === null) return method;
    const { secret, flagged_at: _, flag_reason: __, ...rest } = method as Record<string, unknown>;
    if (secret === false) return rest;
    if (secret !== true) return method;
    const kept = existing?.methods.find((m) => m.key === rest.key)?.secret ?? null;
    if (kept === null) {
      const field = `contact_methods[${i}].secret`;
      throw new ApiError('invalid_request', `user field ${field}: there is no stored secret to keep`, {
        field,
        hint: 'send the secret as text, or false for none',
      });
    }
    return { ...rest, secret: kept };
  });
  return { ...body, contact_methods: contactMethods };
}
