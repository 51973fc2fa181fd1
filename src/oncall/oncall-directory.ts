import type { EscalationPolicy } from './escalation-policy.js';
import type { Person } from './person.js';
import type { Routing } from './routing.js';
import type { Schedule } from './schedule.js';
import type { UrgencyMatrix } from './urgency-matrix.js';

/** Everything paging decisions read: people, schedules (with overrides), policies, routing, urgency. */
export interface OncallDirectory {
  readonly people: ReadonlyMap<string, Person>;
  readonly schedules: ReadonlyMap<string, Schedule>;
  readonly policies: ReadonlyMap<string, EscalationPolicy>;
  readonly routing: Routing;
  readonly urgency: UrgencyMatrix;
}
