import { occurrencesBetween } from '../incidents/maintenance-occurrences.js';
import { type ComponentIndex, communitySlugs, renderMarkdownMemo } from './project-incidents.js';
import type { MaintenanceInput } from './status-inputs.js';
import {
  HISTORY_DAYS,
  type MaintenanceStatus,
  type SnapshotMaintenance,
  UPCOMING_DAYS,
} from './status-snapshot.js';

const DAY_MS = 86_400_000;

/**
 * Every occurrence of the windows that overlaps [now - HISTORY_DAYS, now + UPCOMING_DAYS), soonest first,
 * each scheduled, in_progress or completed as of `now`. A recurring window's occurrences get ids
 * `${maintenanceId}-${start}`. Pure.
 */
export function projectMaintenances(
  maintenances: readonly MaintenanceInput[],
  index: ComponentIndex,
  pageUrl: string,
  now: number,
): SnapshotMaintenance[] {
  const from = now - HISTORY_DAYS * DAY_MS;
  const to = now + UPCOMING_DAYS * DAY_MS;
  const out: SnapshotMaintenance[] = [];
  for (const m of maintenances) {
    const occurrences = occurrencesBetween(
      { startsAt: m.startsAt, endsAt: m.endsAt, repeat: m.repeat, repeatUntil: m.repeatUntil },
      from,
      to,
    );
    if (occurrences.length === 0) continue;
    const components = m.componentIds.flatMap((id) => {
      const facts = index.byId.get(id);
      return facts === undefined ? [] : [facts];
    });
    const slugs = communitySlugs(m.componentIds, index);
    const descriptionHtml = m.description === null ? null : renderMarkdownMemo(m.description);
    for (const occurrence of occurrences) {
      const id = m.repeat === null ? m.id : `${m.id}-${occurrence.start}`;
      out.push({
        id,
        maintenanceId: m.id,
        title: m.title,
        description: m.description,
        descriptionHtml,
        status: maintenanceStatus(occurrence, now),
        scheduledFor: occurrence.start,
        scheduledUntil: occurrence.end,
        createdAt: m.createdAt,
        url: `${pageUrl}/maintenances/${encodeURIComponent(id)}`,
        components,
        communitySlugs: slugs,
      });
    }
  }
  return out.sort((a, b) => a.scheduledFor - b.scheduledFor || (a.id < b.id ? -1 : 1));
}

/** scheduled before the window, in_progress during [start, end), completed after. Pure. */
export function maintenanceStatus(
  occurrence: { readonly start: number; readonly end: number },
  now: number,
): MaintenanceStatus {
  if (now < occurrence.start) return 'scheduled';
  return now < occurrence.end ? 'in_progress' : 'completed';
}
