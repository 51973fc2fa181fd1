import { z } from 'zod';
import { type AlertingSettings, DEFAULT_ALERTING } from '../alerts/alerting-settings.js';
import { DEFAULT_INCIDENT_POLICY, type IncidentPolicy } from '../incidents/incident-policy.js';
import type { EscalationPolicy } from '../oncall/escalation-policy.js';
import type { Person } from '../oncall/person.js';
import { EMPTY_ROUTING, type Routing } from '../oncall/routing.js';
import type { Schedule } from '../oncall/schedule.js';
import { DEFAULT_URGENCY_MATRIX, type UrgencyMatrix } from '../oncall/urgency-matrix.js';
import { type ConfiguredRule, configuredRuleSchema } from './alert-rule-schema.js';
import { alertingSchema } from './alerting-schema.js';
import { escalationPolicySchema } from './escalation-policy-schema.js';
import { incidentPolicySchema } from './incident-policy-schema.js';
import { type IntegrationConfig, integrationSchema } from './integration-schema.js';
import { type MonitorConfig, monitorSchema } from './monitor-schema.js';
import { personSchema } from './person-schema.js';
import { routingSchema, urgencySchema } from './routing-schema.js';
import { scheduleSchema } from './schedule-schema.js';
import { describeValue, httpUrl, label, slug } from './schema-parts.js';

export type { ConfiguredRule } from './alert-rule-schema.js';
export type { IntegrationConfig } from './integration-schema.js';
export type { MonitorConfig } from './monitor-schema.js';
export { defaultTimeoutMs, MONITOR_DEFAULTS } from './monitor-schema.js';
export { describeValue, SHARED_REF_PREFIX, SLUG_PATTERN } from './schema-parts.js';

/** The whole fleet as config as code describes it: validated, defaults filled in, durations in ms. */
export interface FleetConfig {
  readonly communities: readonly CommunityConfig[];
  /** Shared infrastructure (refs `shared/<key>`) that communities depend on. */
  readonly shared: readonly ComponentConfig[];
  /** Time boxes, flap damping and default severity for alerts no rule owns (`alerting:`). */
  readonly alerting: AlertingSettings;
  /** Inbound webhooks (`integrations:`), by key. */
  readonly integrations: readonly IntegrationConfig[];
  /** Alert rules of config as code (`alert_rules:`); rules made through the API are not part of it. */
  readonly alertRules: readonly ConfiguredRule[];
  /** Responders (`users:`) with their contact methods and notification rules; API-made ones are not part of it. */
  readonly people: readonly Person[];
  /** On-call schedules (`schedules:`) with the file's overrides; API-made overrides are not part of it. */
  readonly schedules: readonly Schedule[];
  /** Who is notified when, step by step (`escalation_policies:`). */
  readonly escalationPolicies: readonly EscalationPolicy[];
  /** Which escalation policy pages for an alert (`routing:`). */
  readonly routing: Routing;
  /** Severity → impact and urgency, one row per severity (`urgency:`). */
  readonly urgency: UrgencyMatrix;
  /** How incidents are run by automation: first update, quiet period, update cadence (`incidents:`). */
  readonly incidents: IncidentPolicy;
}

/** A fleet with nothing in it and default alerting settings. */
export const EMPTY_FLEET: FleetConfig = {
  communities: [],
  shared: [],
  alerting: DEFAULT_ALERTING,
  integrations: [],
  alertRules: [],
  people: [],
  schedules: [],
  escalationPolicies: [],
  routing: EMPTY_ROUTING,
  urgency: DEFAULT_URGENCY_MATRIX,
  incidents: DEFAULT_INCIDENT_POLICY,
};

/** One community; `dependsOn` holds keys of shared components. */
export interface CommunityConfig {
  readonly slug: string;
  readonly name: string;
  readonly description: string | null;
  readonly url: string | null;
  readonly dependsOn: readonly string[];
  readonly components: readonly ComponentConfig[];
}

/** A component of a community, or a shared one. */
export interface ComponentConfig {
  readonly key: string;
  readonly name: string;
  readonly description: string | null;
  readonly monitors: readonly MonitorConfig[];
}

const componentSchema = z
  .strictObject({
    key: slug('component key'),
    name: label,
    description: z.string().nullish(),
    monitors: z.array(monitorSchema).nullish(),
  })
  .transform(
    (c): ComponentConfig => ({
      key: c.key,
      name: c.name,
      description: c.description ?? null,
      monitors: c.monitors ?? [],
    }),
  );

const communitySchema = z
  .strictObject({
    slug: slug('community slug'),
    name: label,
    description: z.string().nullish(),
    url: httpUrl.nullish(),
    depends_on: z.array(z.string()).nullish(),
    components: z.array(componentSchema).nullish(),
  })
  .transform(
    (c): CommunityConfig => ({
      slug: c.slug,
      name: c.name,
      description: c.description ?? null,
      url: c.url ?? null,
      dependsOn: c.depends_on ?? [],
      components: c.components ?? [],
    }),
  );

/** The YAML file (version 1), validated field by field and transformed into a FleetConfig. */
export const fleetFileSchema = z
  .strictObject({
    version: z.number().refine((version) => version === 1, {
      error: (issue) => `unsupported version ${describeValue(issue.input)} — this Firewatch reads version: 1`,
    }),
    communities: z.array(communitySchema).nullish(),
    shared_components: z.array(componentSchema).nullish(),
    alerting: alertingSchema.nullish(),
    integrations: z.array(integrationSchema).nullish(),
    alert_rules: z.array(configuredRuleSchema).nullish(),
    users: z.array(personSchema).nullish(),
    schedules: z.array(scheduleSchema).nullish(),
    escalation_policies: z.array(escalationPolicySchema).nullish(),
    routing: routingSchema.nullish(),
    urgency: urgencySchema.nullish(),
    incidents: incidentPolicySchema.nullish(),
  })
  .transform(
    (file): FleetConfig => ({
      communities: file.communities ?? [],
      shared: file.shared_components ?? [],
      alerting: file.alerting ?? DEFAULT_ALERTING,
      integrations: file.integrations ?? [],
      alertRules: file.alert_rules ?? [],
      people: file.users ?? [],
      schedules: file.schedules ?? [],
      escalationPolicies: file.escalation_policies ?? [],
      routing: file.routing ?? EMPTY_ROUTING,
      urgency: file.urgency ?? DEFAULT_URGENCY_MATRIX,
      incidents: file.incidents ?? DEFAULT_INCIDENT_POLICY,
    }),
  );
