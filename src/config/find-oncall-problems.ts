import type { EscalationPolicy } from '../oncall/escalation-policy.js';
import type { OncallDirectory } from '../oncall/oncall-directory.js';
import type { Person } from '../oncall/person.js';
import type { Routing } from '../oncall/routing.js';
import type { Schedule } from '../oncall/schedule.js';
import type { FleetConfig } from './fleet-config.js';
import { duplicates, known, type ReferenceProblem, type YamlPath } from './reference-problem.js';

/** What an on-call reference can name. */
export type OncallKind = 'user' | 'schedule' | 'escalation policy';

/** How to make a missing `kind` exist, for hints: "define it under users" in a file, a PUT in the API. */
export type HowToDefine = (kind: OncallKind) => string;

const IN_THE_FILE: HowToDefine = (kind) =>
  `define it under ${kind === 'user' ? 'users' : kind === 'schedule' ? 'schedules' : 'escalation_policies'}`;

/**
 * The on-call references of a file: duplicate user, contact method, schedule and policy keys;
 * notification rules naming a method their user lacks; participants, override users and step targets
 * naming users or schedules the file does not define; routing naming unknown policies.
 */
export function findOncallProblems(config: FleetConfig): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const at = (section: string) => (i: number) => [section, i, 'key'];
  duplicates(config.people, (p) => p.key, at('users'), 'user key', problems);
  duplicates(config.schedules, (s) => s.key, at('schedules'), 'schedule key', problems);
  duplicates(
    config.escalationPolicies,
    (p) => p.key,
    at('escalation_policies'),
    'escalation policy key',
    problems,
  );
  const users = config.people.map((p) => p.key);
  const schedules = config.schedules.map((s) => s.key);
  const policies = config.escalationPolicies.map((p) => p.key);
  config.people.forEach((person, i) => {
    problems.push(...personProblems(person, ['users', i]));
  });
  config.schedules.forEach((schedule, i) => {
    problems.push(...scheduleProblems(schedule, users, ['schedules', i], IN_THE_FILE));
  });
  config.escalationPolicies.forEach((policy, i) => {
    problems.push(...policyProblems(policy, users, schedules, ['escalation_policies', i], IN_THE_FILE));
  });
  problems.push(...routingProblems(config.routing, policies, ['routing'], IN_THE_FILE));
  return problems;
}

/** Duplicate contact method keys, and notification rules naming a method the person does not have. */
export function personProblems(person: Person, at: YamlPath): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const methods = person.contactMethods.map((m) => m.key);
  duplicates(
    person.contactMethods,
    (m) => m.key,
    (i) => [...at, 'contact_methods', i, 'key'],
    'contact method key',
    problems,
  );
  person.notificationRules.forEach((rule, i) => {
    if (methods.includes(rule.method)) return;
    problems.push({
      path: [...at, 'notification_rules', i, 'method'],
      message: `user "${person.key}" has no contact method "${rule.method}"`,
      hint:
        methods.length > 0
          ? `use one of their contact_methods: ${methods.join(', ')}`
          : 'add it under their contact_methods',
      firstPath: null,
    });
  });
  return problems;
}

/** Participants and override users that are not among `users`. */
export function scheduleProblems(
  schedule: Schedule,
  users: readonly string[],
  at: YamlPath,
  howToDefine: HowToDefine,
): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  schedule.layers.forEach((layer, i) => {
    layer.participants.forEach((user, j) => {
      unknown('user', user, users, [...at, 'layers', i, 'participants', j], howToDefine, problems);
    });
  });
  schedule.overrides.forEach((override, i) => {
    unknown('user', override.user, users, [...at, 'overrides', i, 'user'], howToDefine, problems);
  });
  return problems;
}

/** Step targets naming users or schedules that are not among `users` or `schedules`. */
export function policyProblems(
  policy: EscalationPolicy,
  users: readonly string[],
  schedules: readonly string[],
  at: YamlPath,
  howToDefine: HowToDefine,
): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  policy.steps.forEach((step, i) => {
    step.targets.forEach((target, j) => {
      const path = [...at, 'steps', i, 'targets', j];
      if ('user' in target) unknown('user', target.user, users, [...path, 'user'], howToDefine, problems);
      else unknown('schedule', target.schedule, schedules, [...path, 'schedule'], howToDefine, problems);
    });
  });
  return problems;
}

/** Routes and a default policy naming policies that are not among `policies`. */
export function routingProblems(
  routing: Routing,
  policies: readonly string[],
  at: YamlPath,
  howToDefine: HowToDefine,
): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  if (routing.defaultPolicy !== null) {
    const path = [...at, 'default_policy'];
    unknown('escalation policy', routing.defaultPolicy, policies, path, howToDefine, problems);
  }
  routing.routes.forEach((route, i) => {
    const path = [...at, 'routes', i, 'policy'];
    unknown('escalation policy', route.policy, policies, path, howToDefine, problems);
  });
  return problems;
}

/**
 * What refers to the user, schedule or escalation policy `key` (a schedule's layers or an override
 * that has not ended by `now`, a policy's steps, routing), as words for a message; empty when nothing does.
 */
export function referrersOf(
  kind: OncallKind,
  key: string,
  directory: Pick<OncallDirectory, 'schedules' | 'policies' | 'routing'>,
  now: number,
): string[] {
  const referrers: string[] = [];
  if (kind === 'user') {
    for (const schedule of directory.schedules.values()) {
      if (schedule.layers.some((l) => l.participants.includes(key))) {
        referrers.push(`the layers of schedule "${schedule.key}"`);
      } else if (schedule.overrides.some((o) => o.user === key && o.end > now)) {
        referrers.push(`an override of schedule "${schedule.key}"`);
      }
    }
  }
  if (kind === 'user' || kind === 'schedule') {
    const field = kind === 'user' ? 'user' : 'schedule';
    for (const policy of directory.policies.values()) {
      const targets = policy.steps.flatMap((s) => s.targets);
      if (targets.some((t) => (t as Record<string, string>)[field] === key)) {
        referrers.push(`the steps of escalation policy "${policy.key}"`);
      }
    }
  }
  if (kind === 'escalation policy') {
    const { routing } = directory;
    if (routing.defaultPolicy === key || routing.routes.some((r) => r.policy === key))
      referrers.push('routing');
  }
  return referrers;
}

function unknown(
  kind: OncallKind,
  key: string,
  keys: readonly string[],
  path: YamlPath,
  howToDefine: HowToDefine,
  problems: ReferenceProblem[],
): void {
  if (keys.includes(key)) return;
  problems.push({
    path,
    message: `unknown ${kind} "${key}"`,
    hint: `${howToDefine(kind)}${known([...new Set(keys)])}`,
    firstPath: null,
  });
}
