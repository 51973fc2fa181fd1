import { z } from 'zod';
import type { Route, Routing } from '../oncall/routing.js';
import {
  ALERT_URGENCIES,
  type AlertUrgency,
  DEFAULT_URGENCY_MATRIX,
  IMPACTS,
  type Impact,
  type UrgencyMatrix,
  type UrgencyRow,
} from '../oncall/urgency-matrix.js';
import { SEVERITIES } from '../rules/signal.js';
import { severity } from './alerting-schema.js';
import { compact, formatMatcher, labelMatcher, slug } from './schema-parts.js';

const routeSchema = z
  .strictObject({
    match: z.array(labelMatcher),
    policy: slug('escalation policy key'),
  })
  .transform((r, ctx): Route => {
    if (r.match.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['match'],
        message: `a route without matchers takes every alert — use default_policy: ${r.policy} instead, or add a matcher like 'community="pangeo"'`,
      });
    }
    return { matchers: r.match, policy: r.policy };
  });

/** The file's `routing:` map: which escalation policy pages for an alert (first matching route, else the default). */
export const routingSchema = z
  .strictObject({
    default_policy: slug('escalation policy key').nullish(),
    routes: z.array(routeSchema).nullish(),
  })
  .transform((r): Routing => ({ routes: r.routes ?? [], defaultPolicy: r.default_policy ?? null }));

/** Routing as its YAML map, or null when it routes nothing (the section is left out). */
export function routingToFile(routing: Routing): Record<string, unknown> | null {
  if (routing.routes.length === 0 && routing.defaultPolicy === null) return null;
  return compact({
    default_policy: routing.defaultPolicy,
    routes:
      routing.routes.length > 0
        ? routing.routes.map((r) => ({ match: r.matchers.map(formatMatcher), policy: r.policy }))
        : null,
  });
}

const urgencyRowSchema = z.strictObject({
  severity,
  impact: z.enum(IMPACTS as readonly [string, ...string[]]).nullish(),
  urgency: z.enum(ALERT_URGENCIES as readonly [string, ...string[]]).nullish(),
  working_hours_only: z.boolean().nullish(),
});

/**
 * The file's `urgency:` list: rows by severity. A field left out takes the default row's value
 * (working_hours_only: true for low urgency, else false); a severity left out keeps its default row.
 * Gives the whole matrix, one row per severity in severity order.
 */
export const urgencySchema = z.array(urgencyRowSchema).transform((rows, ctx): UrgencyMatrix => {
  rows.forEach((row, i) => {
    if (rows.findIndex((r) => r.severity === row.severity) !== i) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'severity'],
        message: `severity ${row.severity} has a row already — keep one row per severity`,
      });
    }
  });
  return SEVERITIES.map((s): UrgencyRow => {
    const fallback = defaultRow(s);
    const row = rows.find((r) => r.severity === s);
    if (row === undefined) return fallback;
    const urgency = (row.urgency ?? fallback.urgency) as AlertUrgency;
    return {
      severity: s,
      impact: (row.impact ?? fallback.impact) as Impact,
      urgency,
      workingHoursOnly: row.working_hours_only ?? urgency === 'low',
    };
  });
});

/** The rows that differ from the default matrix, as the file writes them; empty when none do. */
export function urgencyToFile(matrix: UrgencyMatrix): Record<string, unknown>[] {
  return SEVERITIES.flatMap((s) => {
    const row = matrix.find((r) => r.severity === s) ?? defaultRow(s);
    const fallback = defaultRow(s);
    const same =
      row.impact === fallback.impact &&
      row.urgency === fallback.urgency &&
      row.workingHoursOnly === fallback.workingHoursOnly;
    if (same) return [];
    return [
      compact({
        severity: s,
        impact: row.impact,
        urgency: row.urgency,
        working_hours_only: row.workingHoursOnly === (row.urgency === 'low') ? null : row.workingHoursOnly,
      }),
    ];
  });
}

function defaultRow(s: UrgencyRow['severity']): UrgencyRow {
  return DEFAULT_URGENCY_MATRIX.find((r) => r.severity === s)!;
}
