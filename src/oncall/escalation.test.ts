import { describe, expect, it } from 'vitest';
import {
  acknowledgePage,
  fireReminder,
  fireStep,
  openPage,
  type PageState,
  resolvePage,
} from './escalation.js';
import type { EscalationPolicy } from './escalation-policy.js';

const MIN = 60_000;
const POLICY: EscalationPolicy = {
  key: 'p',
  name: 'P',
  steps: [
    { targets: [{ schedule: 'primary' }], escalateAfterMs: 5 * MIN },
    { targets: [{ schedule: 'secondary' }], escalateAfterMs: 10 * MIN },
  ],
  repeat: 1,
  reminderEveryMs: 30 * MIN,
  maxReminders: 2,
};

/** Fires every step due by `until`, checking each minute, and returns [minute, step, round] fired. */
function walk(policy: EscalationPolicy, until: number, escalate = true): [number, number, number][] {
  let state: PageState = openPage(0);
  const fired: [number, number, number][] = [];
  for (let t = 0; t <= until; t += MIN) {
    for (
      let firing = fireStep(policy, state, t, escalate);
      firing;
      firing = fireStep(policy, state, t, escalate)
    ) {
      fired.push([t / MIN, firing.stepIndex, firing.round]);
      state = firing.next;
    }
  }
  return fired;
}

describe('escalation', () => {
  it('fires step 1 at once, step 2 after its delay, then repeats the policy once and stops', () => {
    expect(walk(POLICY, 120 * MIN)).toEqual([
      [0, 0, 0],
      [5, 1, 0],
      [15, 0, 1],
      [20, 1, 1],
    ]);
  });

  it('keeps the timetable when a sweep is late: steps are due from when the last was due', () => {
    const late = fireStep(POLICY, openPage(0), 3 * MIN);
    expect(late?.next.nextDueAt).toBe(5 * MIN);
  });

  it('does not escalate a low-urgency page past its first step', () => {
    expect(walk(POLICY, 120 * MIN, false)).toEqual([[0, 0, 0]]);
  });

  it('stops on acknowledgement and reminds the owner every interval up to the maximum', () => {
    const acked = acknowledgePage(POLICY, fireStep(POLICY, openPage(0), 0)!.next, 2 * MIN);
    expect(acked).toMatchObject({ status: 'acknowledged', nextDueAt: 32 * MIN });
    expect(fireStep(POLICY, acked, 100 * MIN)).toBeNull();
    expect(fireReminder(POLICY, acked, 31 * MIN)).toBeNull();
    const first = fireReminder(POLICY, acked, 32 * MIN)!;
    expect(first).toMatchObject({ reminder: 1, next: { nextDueAt: 62 * MIN } });
    const second = fireReminder(POLICY, first.next, 62 * MIN)!;
    expect(second).toMatchObject({ reminder: 2, next: { nextDueAt: null } });
    expect(fireReminder(POLICY, second.next, 10_000 * MIN)).toBeNull();
  });

  it('has no reminders when the policy turns them off, and nothing is due once resolved', () => {
    const off = { ...POLICY, reminderEveryMs: null };
    expect(acknowledgePage(off, openPage(0), 0).nextDueAt).toBeNull();
    expect(fireStep(POLICY, resolvePage(openPage(0)), 0)).toBeNull();
  });
});
