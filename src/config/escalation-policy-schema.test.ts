import { describe, expect, it } from 'vitest';
import type { EscalationPolicy } from '../oncall/escalation-policy.js';
import { escalationPolicySchema, escalationPolicyToFile } from './escalation-policy-schema.js';

function policy(input: Record<string, unknown>): EscalationPolicy {
  const parsed = escalationPolicySchema.safeParse(input);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

function messages(input: Record<string, unknown>): string[] {
  const parsed = escalationPolicySchema.safeParse(input);
  if (parsed.success) throw new Error('expected the policy to be rejected');
  return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const DEFAULT = {
  key: 'default',
  name: 'Default',
  steps: [
    { targets: [{ schedule: 'primary' }], escalate_after: '5m' },
    { targets: [{ schedule: 'secondary' }, { user: 'ana' }], escalate_after: '10m' },
  ],
  repeat: 1,
  reminder_every: '30m',
  max_reminders: 5,
};

const STEP = { targets: [{ user: 'ana' }], escalate_after: '5m' };
const base = { key: 'p', steps: [STEP] };

describe('escalationPolicySchema', () => {
  it('reads steps and settings', () => {
    expect(policy(DEFAULT)).toEqual({
      key: 'default',
      name: 'Default',
      steps: [
        { targets: [{ schedule: 'primary' }], escalateAfterMs: 300_000 },
        { targets: [{ schedule: 'secondary' }, { user: 'ana' }], escalateAfterMs: 600_000 },
      ],
      repeat: 1,
      reminderEveryMs: 1_800_000,
      maxReminders: 5,
    });
  });

  it('fills in the defaults: no repeat, a reminder every hour, at most 3', () => {
    expect(policy({ key: 'p', steps: [STEP] })).toMatchObject({
      name: 'p',
      repeat: 0,
      reminderEveryMs: 3_600_000,
      maxReminders: 3,
    });
    expect(policy({ key: 'p', steps: [STEP], reminder_every: null }).reminderEveryMs).toBe(3_600_000);
  });

  it('turns reminders off with off', () => {
    expect(policy({ key: 'p', steps: [STEP], reminder_every: 'off' }).reminderEveryMs).toBeNull();
  });

  it.each([
    [
      'no steps',
      { key: 'p', steps: [] },
      'steps: the list is empty — add a step, e.g. { targets: [{ schedule: primary }], escalate_after: 5m }',
    ],
    [
      'a step without targets',
      { key: 'p', steps: [{ targets: [], escalate_after: '5m' }] },
      'steps.0.targets: the list is empty — name who this step notifies, e.g. targets: [{ schedule: primary }]',
    ],
    [
      'a target naming both a user and a schedule',
      { key: 'p', steps: [{ targets: [{ user: 'a', schedule: 'b' }], escalate_after: '5m' }] },
      'steps.0.targets.0: a target names either a user or a schedule — write { user: ana } or { schedule: primary }',
    ],
    [
      'an empty target',
      { key: 'p', steps: [{ targets: [{}], escalate_after: '5m' }] },
      'steps.0.targets.0: a target names either a user or a schedule — write { user: ana } or { schedule: primary }',
    ],
    [
      'escalating after 30 seconds',
      { key: 'p', steps: [{ ...STEP, escalate_after: '30s' }] },
      'steps.0.escalate_after: escalate_after 30s is out of range — use between 1m and 1d',
    ],
    [
      'a reminder every 2 days',
      { ...base, reminder_every: '2d' },
      'reminder_every: reminder_every 2d is out of range — write a duration from 1m to 24h (e.g. 30m) or off',
    ],
    [
      'a reminder every "never"',
      { ...base, reminder_every: 'never' },
      'reminder_every: invalid reminder_every "never" — write a duration from 1m to 24h (e.g. 30m) or off',
    ],
  ])('refuses %s', (_, input, message) => {
    expect(messages(input)).toEqual([message]);
  });

  it('refuses repeat beyond 10', () => {
    expect(messages({ ...base, repeat: 11 })).toHaveLength(1);
    expect(messages({ ...base, repeat: 11 })[0]).toMatch(/^repeat: /);
  });
});

describe('escalationPolicyToFile', () => {
  it('writes every field so that it reads back equal', () => {
    const p = policy(DEFAULT);
    expect(escalationPolicyToFile(p)).toEqual(DEFAULT);
    expect(policy(escalationPolicyToFile(p))).toEqual(p);
  });

  it('leaves out defaults and writes off for no reminders', () => {
    expect(escalationPolicyToFile(policy({ key: 'p', name: 'p', steps: [STEP], repeat: 0 }))).toEqual({
      key: 'p',
      steps: [STEP],
    });
    expect(escalationPolicyToFile(policy({ ...base, reminder_every: 'off' })).reminder_every).toBe('off');
  });
});
