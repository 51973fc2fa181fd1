import { z } from 'zod';

// Atlassian Statuspage's public API v2 shapes (https://<page>/api/v2/), kept here so
// tests can prove Firewatch's JSON is what Statuspage clients expect. Strict on the
// fields Firewatch serves; Statuspage itself may add more.

const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);

export const v2Page = z.strictObject({
  id: z.string().min(1),
  name: z.string(),
  url: z.string().url(),
  time_zone: z.string(),
  updated_at: isoTime,
});

export const v2Component = z.strictObject({
  id: z.string().min(1),
  name: z.string(),
  status: z.enum([
    'operational',
    'degraded_performance',
    'partial_outage',
    'major_outage',
    'under_maintenance',
  ]),
  created_at: isoTime,
  updated_at: isoTime,
  position: z.number().int(),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable(),
  group_id: z.string().nullable(),
  page_id: z.string(),
  group: z.boolean(),
  only_show_if_degraded: z.boolean(),
  components: z.array(z.string()).optional(),
});

export const v2Status = z.strictObject({
  indicator: z.enum(['none', 'minor', 'major', 'critical']),
  description: z.string(),
});

const componentStatus = v2Component.shape.status;

export const v2AffectedComponent = z.strictObject({
  code: z.string().min(1),
  name: z.string(),
  old_status: componentStatus,
  new_status: componentStatus,
});

/** An incident update; `status` is the incident's (or the maintenance's) status it announces. */
function updateOf<S extends z.ZodType<string>>(status: S) {
  return z.strictObject({
    id: z.string().min(1),
    status,
    body: z.string(),
    incident_id: z.string().min(1),
    created_at: isoTime,
    updated_at: isoTime,
    display_at: isoTime,
    affected_components: z.array(v2AffectedComponent),
    deliver_notifications: z.boolean(),
    custom_tweet: z.string().nullable(),
    tweet_id: z.string().nullable(),
  });
}

export const v2IncidentStatus = z.enum([
  'investigating',
  'identified',
  'monitoring',
  'resolved',
  'postmortem',
]);
export const v2MaintenanceStatus = z.enum(['scheduled', 'in_progress', 'verifying', 'completed']);
export const v2IncidentUpdate = updateOf(v2IncidentStatus);

const incidentFields = {
  id: z.string().min(1),
  name: z.string(),
  created_at: isoTime,
  updated_at: isoTime,
  monitoring_at: isoTime.nullable(),
  resolved_at: isoTime.nullable(),
  shortlink: z.string().url(),
  started_at: isoTime,
  page_id: z.string().min(1),
  components: z.array(v2Component),
};

export const v2Incident = z.strictObject({
  ...incidentFields,
  status: v2IncidentStatus,
  impact: z.enum(['none', 'minor', 'major', 'critical']),
  incident_updates: z.array(v2IncidentUpdate),
});

export const v2ScheduledMaintenance = z.strictObject({
  ...incidentFields,
  status: v2MaintenanceStatus,
  impact: z.literal('maintenance'),
  incident_updates: z.array(updateOf(v2MaintenanceStatus)),
  scheduled_for: isoTime,
  scheduled_until: isoTime,
});

export const v2Summary = z.strictObject({
  page: v2Page,
  components: z.array(v2Component),
  incidents: z.array(v2Incident),
  scheduled_maintenances: z.array(v2ScheduledMaintenance),
  status: v2Status,
});

export const v2StatusDocument = z.strictObject({ page: v2Page, status: v2Status });
export const v2ComponentsDocument = z.strictObject({ page: v2Page, components: z.array(v2Component) });
export const v2IncidentsDocument = z.strictObject({ page: v2Page, incidents: z.array(v2Incident) });
export const v2ScheduledMaintenancesDocument = z.strictObject({
  page: v2Page,
  scheduled_maintenances: z.array(v2ScheduledMaintenance),
});

/** Each v2 document path under /api/v2/ with the schema its JSON must satisfy. */
export const v2Documents = {
  'summary.json': v2Summary,
  'status.json': v2StatusDocument,
  'components.json': v2ComponentsDocument,
  'incidents.json': v2IncidentsDocument,
  'incidents/unresolved.json': v2IncidentsDocument,
  'scheduled-maintenances.json': v2ScheduledMaintenancesDocument,
  'scheduled-maintenances/upcoming.json': v2ScheduledMaintenancesDocument,
  'scheduled-maintenances/active.json': v2ScheduledMaintenancesDocument,
} as const;
