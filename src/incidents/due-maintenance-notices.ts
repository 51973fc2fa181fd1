import { type MaintenanceWindow, type Occurrence, occurrencesBetween } from './maintenance-occurrences.js';

/** What subscribers are told about one occurrence: it is coming, it started, it is over. */
export type MaintenancePhase = 'ahead' | 'started' | 'completed';

/** A maintenance window with what its notices need: how early to warn, and when it was made. */
export interface NoticeWindow extends MaintenanceWindow {
  /** 0 = no notice ahead. */
  readonly notifyBeforeMs: number;
  readonly createdAt: number;
}

/** One notice that is due: the occurrence it is about and the phase. */
export interface DueNotice {
  readonly occurrence: Occurrence;
  readonly phase: MaintenancePhase;
}

/** A notice whose moment passed longer ago than this is skipped, never sent late (no backfill). */
export const NOTICE_GRACE_MS = 3_600_000;

/**
 * The notices of window due at `now`, oldest occurrence first. A phase is due from its moment until
 * NOTICE_GRACE_MS after it: `ahead` at start − notifyBeforeMs (or when the window was created, if
 * that is later) while the occurrence has not started, `started` at its start while it runs,
 * `completed` at its end. Pure: callers make them idempotent with a dedup key per phase.
 */
export function dueMaintenanceNotices(window: NoticeWindow, now: number): DueNotice[] {
  const due: DueNotice[] = [];
  const fresh = (moment: number) => moment <= now && now - moment <= NOTICE_GRACE_MS;
  for (const occurrence of occurrencesBetween(
    window,
    now - NOTICE_GRACE_MS,
    now + window.notifyBeforeMs + 1,
  )) {
    const { start, end } = occurrence;
    if (window.notifyBeforeMs > 0 && now < start) {
      if (fresh(Math.max(start - window.notifyBeforeMs, window.createdAt)))
        due.push({ occurrence, phase: 'ahead' });
    } else if (now < end) {
      if (fresh(start)) due.push({ occurrence, phase: 'started' });
    } else if (fresh(end)) {
      due.push({ occurrence, phase: 'completed' });
    }
  }
  return due;
}
