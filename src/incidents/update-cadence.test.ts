import { describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_POLICY } from './incident-policy.js';
import { nextUpdateDueAt } from './update-cadence.js';

const T = Date.parse('2026-06-01T12:00:00Z');

describe('nextUpdateDueAt', () => {
  it('owes the next update one cadence after the last, by impact', () => {
    expect(nextUpdateDueAt('critical', DEFAULT_INCIDENT_POLICY, T)).toBe(T + 30 * 60_000);
    expect(nextUpdateDueAt('major', DEFAULT_INCIDENT_POLICY, T)).toBe(T + 60 * 60_000);
    expect(nextUpdateDueAt('minor', DEFAULT_INCIDENT_POLICY, T)).toBe(T + 120 * 60_000);
  });

  it('owes nothing where the cadence is off', () => {
    expect(nextUpdateDueAt('none', DEFAULT_INCIDENT_POLICY, T)).toBeNull();
    const policy = {
      ...DEFAULT_INCIDENT_POLICY,
      updateEveryMs: { ...DEFAULT_INCIDENT_POLICY.updateEveryMs, major: null },
    };
    expect(nextUpdateDueAt('major', policy, T)).toBeNull();
  });
});
