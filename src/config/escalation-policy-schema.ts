import { z } from 'zod';
import type { EscalationPolicy, EscalationStep, EscalationTarget } from '../oncall/escalation-policy.js';
import { formatDuration } from './duration.js';
import { compact, duration, durationOrOff, label, OFF, slug } from './schema-parts.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What a policy gets for the fields it leaves out. */
export const POLICY_DEFAULTS = {
  repeat: 0,
  reminderEveryMs: HOUR,
  maxReminders: 3,
} as const satisfies Pick<EscalationPolicy, 'repeat' | 'reminderEveryMs' | 'maxReminders'>;

const target = z
  .strictObject({ user: slug('user key').nullish(), schedule: slug('schedule key').nullish() })
  .transform((t, ctx): EscalationTarget => {
    if ((t.user == null) === (t.schedule == null)) {
      ctx.addIssue({
        code: 'custom',
        message: 'a target names either a user or a schedule — write { user: ana } or { schedule: primary }',
      });
      return z.NEVER;
    }
    return t.user != null ? { user: t.user } : { schedule: t.schedule! };
  });

const step = z
  .strictObject({
    targets: z.array(target),
    escalate_after: duration('escalate_after', MINUTE, DAY),
  })
  .transform((s, ctx): EscalationStep => {
    if (s.targets.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['targets'],
        message: 'the list is empty — name who this step notifies, e.g. targets: [{ schedule: primary }]',
      });
    }
    return { targets: s.targets, escalateAfterMs: s.escalate_after };
  });

const reminderEvery = durationOrOff('reminder_every');

/** One entry of the file's `escalation_policies:` list (and the body of PUT /api/v1/escalation-policies/:key). */
export const escalationPolicySchema = z
  .strictObject({
    key: slug('escalation policy key'),
    name: label.nullish(),
    steps: z.array(step),
    repeat: z.int().min(0).max(10).nullish(),
    reminder_every: reminderEvery.nullish(),
    max_reminders: z.int().min(1).max(100).nullish(),
  })
  .transform((p, ctx): EscalationPolicy => {
    if (p.steps.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps'],
        message:
          'the list is empty — add a step, e.g. { targets: [{ schedule: primary }], escalate_after: 5m }',
      });
    }
    return {
      key: p.key,
      name: p.name ?? p.key,
      steps: p.steps,
      repeat: p.repeat ?? POLICY_DEFAULTS.repeat,
      reminderEveryMs:
        p.reminder_every == null
          ? POLICY_DEFAULTS.reminderEveryMs
          : p.reminder_every === OFF
            ? null
            : p.reminder_every,
      maxReminders: p.max_reminders ?? POLICY_DEFAULTS.maxReminders,
    };
  });

/** A policy as its YAML map, defaults left out; escalationPolicySchema reads it back to an equal one. */
export function escalationPolicyToFile(policy: EscalationPolicy): Record<string, unknown> {
  return compact({
    key: policy.key,
    name: policy.name === policy.key ? null : policy.name,
    steps: policy.steps.map((s) => ({
      targets: s.targets.map((t) => ({ ...t })),
      escalate_after: formatDuration(s.escalateAfterMs),
    })),
    repeat: policy.repeat === POLICY_DEFAULTS.repeat ? null : policy.repeat,
    reminder_every:
      policy.reminderEveryMs === POLICY_DEFAULTS.reminderEveryMs
        ? null
        : policy.reminderEveryMs === null
          ? OFF
          : formatDuration(policy.reminderEveryMs),
    max_reminders: policy.maxReminders === POLICY_DEFAULTS.maxReminders ? null : policy.maxReminders,
  });
}
