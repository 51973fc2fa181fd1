import { type MaintenanceWindow, occurrenceAt } from '../incidents/maintenance-occurrences.js';
import type { LabelMatcher } from '../rules/label-matcher.js';
import { matchesLabels } from '../rules/match-labels.js';

/** A silence as the decision sees it. */
export interface ActiveSilence {
  readonly id: string;
  readonly matchers: readonly LabelMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
}

/** A maintenance window as the decision sees it: one-off, or recurring (it mutes during each occurrence). */
export interface ActiveMaintenance extends MaintenanceWindow {
  readonly id: string;
  /** Component refs the window covers. */
  readonly components: readonly string[];
}

/**
 * What mutes notifications for an alert with these labels at `now`: `silence:<id>` for the first
 * silence whose matchers all hold, else `maintenance:<id>` for a window covering the alert's
 * component with an occurrence running at `now`, else null. Muted alerts are still recorded; only notifications stay quiet.
 */
export function findMute(
  labels: Readonly<Record<string, string>>,
  silences: readonly ActiveSilence[],
  maintenances: readonly ActiveMaintenance[],
  now: number,
): string | null {
  for (const silence of silences) {
    if (now < silence.startsAt || now >= silence.endsAt) continue;
    if (silence.matchers.length > 0 && matchesLabels(labels, silence.matchers))
      return `silence:${silence.id}`;
  }
  const component = labels.component;
  if (component === undefined) return null;
  for (const window of maintenances) {
    if (!window.components.includes(component)) continue;
    if (occurrenceAt(window, now) !== null) return `maintenance:${window.id}`;
  }
  return null;
}
