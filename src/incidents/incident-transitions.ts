import { type IncidentStatus, OPEN_INCIDENT_STATUSES } from './incident.js';

/** Whether an incident may move between two statuses, and if not, why (a sentence that says what to do). */
export type TransitionCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: TransitionCheck = { ok: true };

/**
 * Decides whether an incident may move from `from` to `to`. Open statuses (investigating, identified,
 * monitoring) may go to any open status or to resolved; resolved may reopen to investigating or go to
 * postmortem; postmortem is final. Staying in the same status (an update that only adds words) is
 * always allowed.
 */
export function checkTransition(from: IncidentStatus, to: IncidentStatus): TransitionCheck {
  if (from === to) return OK;
  const open = (status: IncidentStatus) => OPEN_INCIDENT_STATUSES.includes(status);
  if (open(from)) {
    if (open(to) || to === 'resolved') return OK;
    return { ok: false, reason: `an open incident (${from}) cannot go to postmortem — resolve it first` };
  }
  if (from === 'resolved') {
    if (to === 'investigating' || to === 'postmortem') return OK;
    return {
      ok: false,
      reason: `a resolved incident cannot go to ${to} — reopen it as investigating, then move it on`,
    };
  }
  return {
    ok: false,
    reason: 'a postmortem incident is final — declare a new incident if the problem is back',
  };
}
