import type { Impact } from './incident.js';
import type { IncidentPolicy } from './incident-policy.js';

/**
 * When the next public update of an incident of `impact` is owed, counting from the last one
 * (published at `publishedAt`); null when the policy sets no cadence for that impact.
 */
export function nextUpdateDueAt(impact: Impact, policy: IncidentPolicy, publishedAt: number): number | null {
  const every = policy.updateEveryMs[impact];
  return every === null ? null : publishedAt + every;
}
