import type { EscalationPolicy, EscalationStep } from './escalation-policy.js';

/** Where a page's escalation stands. */
export type PageStatus = 'escalating' | 'acknowledged' | 'resolved' | 'exhausted';

export interface PageState {
  readonly status: PageStatus;
  /** 0 = the first pass through the policy; repeats count up to policy.repeat. */
  readonly round: number;
  /** Index of the step that fires next (escalating). */
  readonly nextStep: number;
  /** When the next step (escalating) or reminder (acknowledged) is due; null = nothing due. */
  readonly nextDueAt: number | null;
  readonly remindersSent: number;
}

/** A new page: its first step is due at once. */
export function openPage(now: number): PageState {
  return { status: 'escalating', round: 0, nextStep: 0, nextDueAt: now, remindersSent: 0 };
}

/** A step to notify now, and the state after it. */
export interface StepFiring {
  readonly step: EscalationStep;
  readonly stepIndex: number;
  readonly round: number;
  readonly next: PageState;
}

/**
 * Fires the due step of an escalating page. The next step is due `escalateAfter` after this one
 * was due (not after `now`), so a late sweep never shifts the timetable. After the last step the
 * policy starts again while repeats are left; then the page is exhausted (nobody further to page).
 * A page that must not escalate (low urgency: a notification, not a page) stops after its first step.
 */
export function fireStep(
  policy: EscalationPolicy,
  state: PageState,
  now: number,
  escalate = true,
): StepFiring | null {
  if (state.status !== 'escalating' || state.nextDueAt === null || state.nextDueAt > now) return null;
  const step = policy.steps[state.nextStep];
  if (!step) return null;
  const dueAt = state.nextDueAt + step.escalateAfterMs;
  const last = state.nextStep + 1 >= policy.steps.length;
  let next: PageState;
  if (!escalate) next = { ...state, status: 'exhausted', nextDueAt: null };
  else if (!last) next = { ...state, nextStep: state.nextStep + 1, nextDueAt: dueAt };
  else if (state.round < policy.repeat)
    next = { ...state, round: state.round + 1, nextStep: 0, nextDueAt: dueAt };
  else next = { ...state, status: 'exhausted', nextDueAt: null };
  return { step, stepIndex: state.nextStep, round: state.round, next };
}

/**
 * Acknowledgement stops escalation; reminders to the owner follow, counted from the moment of
 * acknowledgement, when the policy wants them.
 */
export function acknowledgePage(
  policy: EscalationPolicy | null,
  state: PageState,
  acknowledgedAt: number,
): PageState {
  const every = policy?.reminderEveryMs ?? null;
  const remind = every !== null && (policy?.maxReminders ?? 0) > 0;
  return {
    ...state,
    status: 'acknowledged',
    nextDueAt: remind ? acknowledgedAt + (every as number) : null,
    remindersSent: 0,
  };
}

/** A due reminder of an acknowledged page, and the state after it (null when none is due). */
export function fireReminder(
  policy: EscalationPolicy | null,
  state: PageState,
  now: number,
): { readonly reminder: number; readonly next: PageState } | null {
  if (state.status !== 'acknowledged' || state.nextDueAt === null || state.nextDueAt > now) return null;
  const every = policy?.reminderEveryMs ?? null;
  const sent = state.remindersSent + 1;
  const more = every !== null && sent < (policy?.maxReminders ?? 0);
  return {
    reminder: sent,
    next: { ...state, remindersSent: sent, nextDueAt: more ? state.nextDueAt + (every as number) : null },
  };
}

/** Everything in the group resolved: the page ends. */
export function resolvePage(state: PageState): PageState {
  return { ...state, status: 'resolved', nextDueAt: null };
}
