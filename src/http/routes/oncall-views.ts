import { escalationPolicyToFile } from '../../config/escalation-policy-schema.js';
import type { HowToDefine } from '../../config/find-oncall-problems.js';
import { contactMethodToFile, personToFile } from '../../config/person-schema.js';
import type { ReferenceProblem } from '../../config/reference-problem.js';
import { overrideToFile, scheduleToFile } from '../../config/schedule-schema.js';
import { formatPath } from '../../ingest/body-path.js';
import type { StoredOverride, StoredPerson, StoredPolicy, StoredSchedule } from '../../store/oncall-rows.js';
import { ApiError } from '../errors.js';
import { requireObject } from '../parse-body.js';

// How on-call objects look in API responses: the config file's fields (so a GET can be edited and PUT
// back), plus `origin`; contact method secrets never leave the server, only whether there is one.

/** A user: file fields; contact methods with `secret: true/false` and their delivery flag. */
export function personView(stored: StoredPerson): Record<string, unknown> {
  return {
    origin: stored.origin,
    ...personToFile(stored.person),
    contact_methods: stored.methods.map((m) => ({
      ...contactMethodToFile(m),
      secret: m.secret !== null,
      flagged_at: m.flaggedAt,
      flag_reason: m.flagReason,
    })),
  };
}

/** A schedule: file fields without overrides, then the overrides (of both origins) that have not ended. */
export function scheduleView(stored: StoredSchedule, now: number): Record<string, unknown> {
  const { schedule } = stored;
  return {
    origin: stored.origin,
    ...scheduleToFile({ ...schedule, overrides: [] }),
    overrides: stored.overrides
      .filter((o) => o.override.end > now)
      .map((o) => overrideView(o, schedule.timeZone)),
  };
}

/** An override: its id, origin and author, and the file fields (times in the schedule's zone). */
export function overrideView(stored: StoredOverride, zone: string): Record<string, unknown> {
  return {
    id: stored.override.id,
    origin: stored.origin,
    author: stored.author,
    ...overrideToFile(stored.override, zone),
  };
}

export function policyView(stored: StoredPolicy): Record<string, unknown> {
  return { origin: stored.origin, ...escalationPolicyToFile(stored.policy) };
}

/** Hints for references to something that does not exist yet: create it over the API first. */
export const CREATE_IT_FIRST: HowToDefine = (kind) =>
  `create it first (PUT /api/v1/${kind === 'user' ? 'users' : kind === 'schedule' ? 'schedules' : 'escalation-policies'}/<key>)`;

/** Throws ApiError 400 for the first problem, naming its field as parseBody does. */
export function refuseProblems(problems: readonly ReferenceProblem[], what: string): void {
  const [first] = problems;
  if (first === undefined) return;
  const field = formatPath(first.path);
  throw new ApiError('invalid_request', `${what} field ${field}: ${first.message}`, {
    field,
    hint: first.hint,
  });
}

/**
 * The request body as an object without the read-only `origin` a GET shows, or ApiError 400 pointing
 * at the file's fields.
 */
export function objectBody(body: unknown, what: string, section: string): Record<string, unknown> {
  const { origin: _, ...fields } = requireObject(body, what, section);
  return fields;
}
