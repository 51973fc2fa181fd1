import type { ContactMethod, Person, Urgency } from './person.js';
import type { UrgencyRow } from './urgency-matrix.js';
import { nextWorkingMoment } from './working-hours.js';

/** One message to send: through which method, from when. */
export interface PlannedNotification {
  readonly method: ContactMethod;
  readonly deliverAt: number;
  readonly urgency: Urgency;
}

/**
 * How a person is told about a page at `pagedAt`: their notification rules for the row's urgency
 * (no rules written = every method at once), each delayed by its `after`; rows marked
 * working-hours-only wait for the person's next working moment in their own zone. A follow-up
 * row notifies nobody.
 */
export function planNotifications(person: Person, row: UrgencyRow, pagedAt: number): PlannedNotification[] {
  if (row.urgency === 'follow_up') return [];
  const urgency: Urgency = row.urgency;
  const rules =
    person.notificationRules.length > 0
      ? person.notificationRules.filter((r) => r.urgencies.includes(urgency))
      : person.contactMethods.map((m) => ({ method: m.key, afterMs: 0, urgencies: [urgency] }));
  const planned: PlannedNotification[] = [];
  for (const rule of rules) {
    const method = person.contactMethods.find((m) => m.key === rule.method);
    if (!method) continue;
    const at = pagedAt + rule.afterMs;
    const deliverAt = row.workingHoursOnly ? nextWorkingMoment(person.workingHours, person.timeZone, at) : at;
    planned.push({ method, deliverAt, urgency });
  }
  return planned;
}
