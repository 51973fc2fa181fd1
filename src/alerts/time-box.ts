import type { Severity } from '../rules/signal.js';
import type { AlertingSettings } from './alerting-settings.js';

/** What the owner decided when a time box ran out. */
export const TIMEBOX_DECISIONS = ['incident', 'defer', 'extend'] as const;
export type TimeBoxDecision = (typeof TIMEBOX_DECISIONS)[number];

/** When a time box started by acknowledging at `now` ends, or null when the severity has none. */
export function timeBoxEnd(severity: Severity, settings: AlertingSettings, now: number): number | null {
  const length = settings.timeBoxes[severity];
  return length === null ? null : now + length;
}

/** Time spent on an acknowledged alert and how far past its time box it ran (both ms, never negative). */
export function timeAccount(
  acknowledgedAt: number | null,
  timeBoxEndsAt: number | null,
  now: number,
): { readonly spentMs: number; readonly overrunMs: number } {
  return {
    spentMs: acknowledgedAt === null ? 0 : Math.max(0, now - acknowledgedAt),
    overrunMs: timeBoxEndsAt === null ? 0 : Math.max(0, now - timeBoxEndsAt),
  };
}

/** A running time box has run out at `now`. */
export function timeBoxExpired(state: string | null, endsAt: number | null, now: number): boolean {
  return state === 'running' && endsAt !== null && now >= endsAt;
}
