/** Atlassian Statuspage's component status vocabulary, best first. */
export const COMPONENT_STATUSES = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
] as const;

export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** Statuspage's page indicator vocabulary. */
export type Indicator = 'none' | 'minor' | 'major' | 'critical';

const SEVERITY: Readonly<Record<ComponentStatus, number>> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

/** The worse of two statuses (major_outage beats everything, operational nothing). */
export function worseStatus(a: ComponentStatus, b: ComponentStatus): ComponentStatus {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** The worst status of a list; operational for an empty list. */
export function worstStatus(statuses: Iterable<ComponentStatus>): ComponentStatus {
  let worst: ComponentStatus = 'operational';
  for (const status of statuses) worst = worseStatus(worst, status);
  return worst;
}

/** The page indicator Statuspage shows for a worst component status. */
export function indicatorFor(status: ComponentStatus): Indicator {
  switch (status) {
    case 'major_outage':
      return 'critical';
    case 'partial_outage':
      return 'major';
    case 'degraded_performance':
    case 'under_maintenance':
      return 'minor';
    case 'operational':
      return 'none';
  }
}

/** Words for people: "Major outage", never a colour alone. */
export function statusLabel(status: ComponentStatus): string {
  return LABELS[status];
}

const LABELS: Readonly<Record<ComponentStatus, string>> = {
  operational: 'Operational',
  under_maintenance: 'Under maintenance',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};

/** Statuspage's status.description for an indicator. */
export function indicatorDescription(indicator: Indicator): string {
  switch (indicator) {
    case 'none':
      return 'All Systems Operational';
    case 'minor':
      return 'Minor Service Outage';
    case 'major':
      return 'Partial System Outage';
    case 'critical':
      return 'Major System Outage';
  }
}

export function isComponentStatus(value: string): value is ComponentStatus {
  return (COMPONENT_STATUSES as readonly string[]).includes(value);
}
