import type { Severity } from '../rules/signal.js';

/** Status-page impact (Atlassian's words). */
export type Impact = 'critical' | 'major' | 'minor' | 'none';
export const IMPACTS: readonly Impact[] = ['critical', 'major', 'minor', 'none'];

/**
 * What an alert does to people: high = page now on every method; low = notify without paging,
 * only in the on-call person's working hours; follow_up = nobody is notified, a follow-up opens.
 */
export type AlertUrgency = 'high' | 'low' | 'follow_up';
export const ALERT_URGENCIES: readonly AlertUrgency[] = ['high', 'low', 'follow_up'];

/** One row of the matrix: a severity, the impact it means on the status page, and its urgency. */
export interface UrgencyRow {
  readonly severity: Severity;
  readonly impact: Impact;
  readonly urgency: AlertUrgency;
  /** Hold notifications until the person's working hours (default: true for low, false otherwise). */
  readonly workingHoursOnly: boolean;
}

/** Exactly one row per severity (config validates it). */
export type UrgencyMatrix = readonly UrgencyRow[];

export const DEFAULT_URGENCY_MATRIX: UrgencyMatrix = [
  { severity: 'P1', impact: 'critical', urgency: 'high', workingHoursOnly: false },
  { severity: 'P2', impact: 'major', urgency: 'high', workingHoursOnly: false },
  { severity: 'P3', impact: 'minor', urgency: 'low', workingHoursOnly: true },
  { severity: 'P4', impact: 'none', urgency: 'follow_up', workingHoursOnly: false },
];

/** The row for an alert's severity (the default matrix's row when the matrix lacks one). */
export function rowForSeverity(matrix: UrgencyMatrix, severity: Severity): UrgencyRow {
  return (
    matrix.find((row) => row.severity === severity) ??
    (DEFAULT_URGENCY_MATRIX.find((row) => row.severity === severity) as UrgencyRow)
  );
}

/** The row for an impact (incidents start from impact); the most severe row with that impact. */
export function rowForImpact(matrix: UrgencyMatrix, impact: Impact): UrgencyRow {
  return (
    matrix.find((row) => row.impact === impact) ??
    (DEFAULT_URGENCY_MATRIX.find((row) => row.impact === impact) as UrgencyRow)
  );
}

/** How a row is shown next to an alert or incident: "P3 · minor · low (working hours)". */
export function describeRow(row: UrgencyRow): string {
  return `${row.severity} · ${row.impact} · ${row.urgency}${row.workingHoursOnly ? ' (working hours)' : ''}`;
}
