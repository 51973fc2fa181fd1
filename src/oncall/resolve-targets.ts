import type { EscalationStep } from './escalation-policy.js';
import type { OncallDirectory } from './oncall-directory.js';
import { whoIsOnCall } from './who-is-on-call.js';

/** The people a step reaches at `at`: named users, and whoever each schedule has on call; no repeats. */
export function resolveTargets(step: EscalationStep, directory: OncallDirectory, at: number): string[] {
  const people: string[] = [];
  for (const target of step.targets) {
    if ('user' in target) {
      people.push(target.user);
      continue;
    }
    const schedule = directory.schedules.get(target.schedule);
    if (schedule) people.push(...whoIsOnCall(schedule, at).users);
  }
  return [...new Set(people)].filter((key) => directory.people.has(key));
}
