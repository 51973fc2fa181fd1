import { describe, expect, it } from 'vitest';
import { INCIDENT_STATUSES, type IncidentStatus } from './incident.js';
import { checkTransition } from './incident-transitions.js';

const allowed = (from: IncidentStatus) => INCIDENT_STATUSES.filter((to) => checkTransition(from, to).ok);

describe('checkTransition', () => {
  it('lets open incidents move to any open status or resolved, but not straight to postmortem', () => {
    for (const from of ['investigating', 'identified', 'monitoring'] as const) {
      expect(allowed(from)).toEqual(['investigating', 'identified', 'monitoring', 'resolved']);
    }
    expect(checkTransition('monitoring', 'postmortem')).toEqual({
      ok: false,
      reason: 'an open incident (monitoring) cannot go to postmortem — resolve it first',
    });
  });

  it('lets a resolved incident reopen as investigating or go to postmortem only', () => {
    expect(allowed('resolved')).toEqual(['investigating', 'resolved', 'postmortem']);
    const refused = checkTransition('resolved', 'monitoring');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toContain('reopen it as investigating');
  });

  it('keeps a postmortem incident where it is', () => {
    expect(allowed('postmortem')).toEqual(['postmortem']);
    const refused = checkTransition('postmortem', 'investigating');
    expect(!refused.ok && refused.reason).toContain('final');
  });
});
