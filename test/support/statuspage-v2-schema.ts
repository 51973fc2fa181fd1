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

export const v2Summary = z.strictObject({
  page: v2Page,
  components: z.array(v2Component),
  incidents: z.array(z.unknown()),
  scheduled_maintenances: z.array(z.unknown()),
  status: v2Status,
});

export const v2StatusDocument = z.strictObject({ page: v2Page, status: v2Status });
export const v2ComponentsDocument = z.strictObject({ page: v2Page, components: z.array(v2Component) });
