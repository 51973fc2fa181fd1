import type { ComponentStatus } from '../statuspage/component-status.js';

export type { Impact } from '../oncall/urgency-matrix.js';

/**
 * Where an incident is in its life: investigating → identified → monitoring → resolved, and
 * postmortem once its report is published (Atlassian's vocabulary).
 */
export const INCIDENT_STATUSES = [
  'investigating',
  'identified',
  'monitoring',
  'resolved',
  'postmortem',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Statuses in which an incident is still open (shown as active, can be joined by automation). */
export const OPEN_INCIDENT_STATUSES: readonly IncidentStatus[] = [
  'investigating',
  'identified',
  'monitoring',
];

/** How the problem became known first: checks/alerts, a community report, or a person declaring it. */
export const DETECTION_SOURCES = ['monitoring', 'community', 'manual'] as const;
export type DetectionSource = (typeof DETECTION_SOURCES)[number];

/** What declared the incident. */
export const INCIDENT_ORIGINS = ['automation', 'manual', 'alert', 'report'] as const;
export type IncidentOrigin = (typeof INCIDENT_ORIGINS)[number];

/** A public update (page, feeds, subscribers) or an internal note (API and timeline only). */
export type UpdateKind = 'public' | 'internal';

/** Drafts wait for a human to publish them with one action. */
export type UpdateState = 'draft' | 'published';

/** Roles a person can hold on an incident. */
export const INCIDENT_ROLES = ['commander', 'communications'] as const;
export type IncidentRole = (typeof INCIDENT_ROLES)[number];

/** A component an incident affects and the status the incident says it shows. */
export interface AffectedComponent {
  readonly componentId: string;
  readonly ref: string;
  readonly name: string;
  readonly status: ComponentStatus;
}

/** A component's status before and after an update (Statuspage's `affected_components`). */
export interface ComponentStatusChange {
  readonly componentId: string;
  readonly name: string;
  readonly oldStatus: ComponentStatus;
  readonly newStatus: ComponentStatus;
}

/** Timeline event kinds; every change to an incident writes one incident_events row. */
export const INCIDENT_EVENT_KINDS = [
  'declared',
  'published',
  'status_changed',
  'impact_changed',
  'title_changed',
  'component_added',
  'component_status',
  'update_published',
  'update_drafted',
  'note',
  'role_assigned',
  'held',
  'released',
  'alert_linked',
  'alert_event',
  'report_linked',
  'recovered',
  'update_due',
] as const;
export type IncidentEventKind = (typeof INCIDENT_EVENT_KINDS)[number];
