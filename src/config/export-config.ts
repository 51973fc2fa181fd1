import { Document, isScalar, visit } from 'yaml';
import { configuredRuleToFile } from './alert-rule-schema.js';
import { alertingToFile } from './alerting-schema.js';
import { escalationPolicyToFile } from './escalation-policy-schema.js';
import type { CommunityConfig, ComponentConfig, FleetConfig } from './fleet-config.js';
import { incidentPolicyToFile } from './incident-policy-schema.js';
import { integrationToFile } from './integration-schema.js';
import { monitorToFile } from './monitor-schema.js';
import { personToFile } from './person-schema.js';
import { routingToFile, urgencyToFile } from './routing-schema.js';
import { scheduleToFile } from './schedule-schema.js';
import { compact } from './schema-parts.js';

const HEADER = [
  ' Firewatch fleet configuration (config as code, version 1).',
  ' Preview changes with: firewatch apply -f FILE --dry-run; apply them without --dry-run.',
].join('\n');

/**
 * The config as YAML that parseConfigFile reads back to an equal FleetConfig. Fields equal to their
 * default are left out to keep the file short, and so are the alerting, routing, urgency and incidents sections
 * when they hold nothing but defaults. Integration tokens are not part of the config and never written;
 * contact method secrets are (they come from the file).
 */
export function exportConfig(config: FleetConfig): string {
  const alerting = alertingToFile(config.alerting);
  const incidents = incidentPolicyToFile(config.incidents);
  const doc = new Document(
    compact({
      version: 1,
      communities: nonEmpty(config.communities.map(community)),
      shared_components: nonEmpty(config.shared.map(component)),
      alerting: Object.keys(alerting).length > 0 ? alerting : null,
      integrations: nonEmpty(config.integrations.map(integrationToFile)),
      alert_rules: nonEmpty(config.alertRules.map(configuredRuleToFile)),
      users: nonEmpty(config.people.map(personToFile)),
      schedules: nonEmpty(config.schedules.map(scheduleToFile)),
      escalation_policies: nonEmpty(config.escalationPolicies.map(escalationPolicyToFile)),
      routing: routingToFile(config.routing),
      urgency: nonEmpty(urgencyToFile(config.urgency)),
      incidents: Object.keys(incidents).length > 0 ? incidents : null,
    }),
  );
  doc.commentBefore = HEADER;
  // Lists of plain values (status codes, depends_on, text matchers) read best on one line.
  visit(doc, {
    Seq(_, node) {
      if (node.items.length > 0 && node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function community(c: CommunityConfig): object {
  return compact({
    slug: c.slug,
    name: c.name,
    description: c.description,
    url: c.url,
    depends_on: nonEmpty(c.dependsOn),
    components: nonEmpty(c.components.map(component)),
  });
}

function component(c: ComponentConfig): object {
  return compact({
    key: c.key,
    name: c.name,
    description: c.description,
    monitors: nonEmpty(c.monitors.map(monitorToFile)),
  });
}

function nonEmpty<T>(list: readonly T[]): readonly T[] | null {
  return list.length > 0 ? list : null;
}
