import type { Impact } from '../oncall/urgency-matrix.js';

/**
 * How Firewatch runs incidents by itself (fleet config `incidents:`): whether component outages open
 * incidents, whether the first update is published at once or held as a draft, how long checks must
 * stay green before a recovered incident is resolved, and how often the commander owes a public update.
 */
export interface IncidentPolicy {
  /** Open (or join) an incident when rules move a component to partial or major outage. */
  readonly automation: boolean;
  /** `publish`: the templated first update goes out at once; `draft`: a human publishes it with one action. */
  readonly firstUpdate: 'publish' | 'draft';
  /** Time in monitoring without a relapse before automation resolves the incident. */
  readonly quietPeriodMs: number;
  /** Cadence of public updates by impact; null = no reminder. */
  readonly updateEveryMs: Readonly<Record<Impact, number | null>>;
}

export const DEFAULT_INCIDENT_POLICY: IncidentPolicy = {
  automation: true,
  firstUpdate: 'publish',
  quietPeriodMs: 10 * 60_000,
  updateEveryMs: { critical: 30 * 60_000, major: 60 * 60_000, minor: 2 * 60 * 60_000, none: null },
};
