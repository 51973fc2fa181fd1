import { Document, isScalar, visit } from 'yaml';
import type { TextMatcher } from '../checks/http-spec.js';
import { HTTP_DEFAULTS } from '../checks/http-spec.js';
import { DEFAULT_RULE } from '../rules/consecutive-rule.js';
import { formatDuration } from './duration.js';
import {
  type CommunityConfig,
  type ComponentConfig,
  defaultTimeoutMs,
  type FleetConfig,
  MONITOR_DEFAULTS,
  type MonitorConfig,
} from './fleet-config.js';

const HEADER = [
  ' Firewatch fleet configuration (config as code, version 1).',
  ' Preview changes with: firewatch apply -f FILE --dry-run; apply them without --dry-run.',
].join('\n');

/**
 * The config as YAML that parseConfigFile reads back to an equal FleetConfig. Fields equal to their
 * default are left out to keep the file short.
 */
export function exportConfig(config: FleetConfig): string {
  const doc = new Document(
    compact({
      version: 1,
      communities: nonEmpty(config.communities.map(community)),
      shared_components: nonEmpty(config.shared.map(component)),
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
    monitors: nonEmpty(c.monitors.map(monitor)),
  });
}

function monitor(m: MonitorConfig): object {
  const { spec, rule } = m;
  return compact({
    key: m.key,
    name: m.name === m.key ? null : m.name,
    type: m.type,
    url: spec.url,
    method: spec.method === HTTP_DEFAULTS.method ? null : spec.method,
    headers: Object.keys(spec.headers).length > 0 ? spec.headers : null,
    body: spec.body,
    interval: m.intervalMs === MONITOR_DEFAULTS.intervalMs ? null : formatDuration(m.intervalMs),
    timeout: spec.timeoutMs === defaultTimeoutMs(m.intervalMs) ? null : formatDuration(spec.timeoutMs),
    max_redirects: spec.maxRedirects === HTTP_DEFAULTS.maxRedirects ? null : spec.maxRedirects,
    max_body_bytes: spec.maxBodyBytes === HTTP_DEFAULTS.maxBodyBytes ? null : spec.maxBodyBytes,
    expect: nonEmptyMap({
      status: nonEmpty(spec.expectStatus),
      body_contains: nonEmpty(spec.bodyContains.map(matcher)),
      body_not_contains: nonEmpty(spec.bodyNotContains.map(matcher)),
      json: nonEmpty(spec.json.map((a) => ({ path: a.path, equals: a.equals }))),
      max_latency: spec.maxLatencyMs === null ? null : formatDuration(spec.maxLatencyMs),
    }),
    rule: nonEmptyMap({
      fail_after: rule.failAfter === DEFAULT_RULE.failAfter ? null : rule.failAfter,
      recover_after: rule.recoverAfter === DEFAULT_RULE.recoverAfter ? null : rule.recoverAfter,
      impact: rule.impact === DEFAULT_RULE.impact ? null : rule.impact,
    }),
    enabled: m.enabled === MONITOR_DEFAULTS.enabled ? null : m.enabled,
  });
}

function matcher(m: TextMatcher): string | object {
  if (m.kind === 'text') return m.value;
  return m.flags === '' ? { regex: m.pattern } : { regex: m.pattern, flags: m.flags };
}

/** The fields whose value is not null (null stands for "leave out"). */
function compact(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}

function nonEmpty<T>(list: readonly T[]): readonly T[] | null {
  return list.length > 0 ? list : null;
}

function nonEmptyMap(fields: Readonly<Record<string, unknown>>): Record<string, unknown> | null {
  const kept = compact(fields);
  return Object.keys(kept).length > 0 ? kept : null;
}
