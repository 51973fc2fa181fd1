import type { MonitorStatus } from '../rules/monitor-state.js';
import type { Severity, Signal } from '../rules/signal.js';
import type { ComponentStatus } from '../statuspage/component-status.js';
import type { CheckOutcome } from './check-outcome.js';

const SHARED = 'shared';

/** `pangeo/hub/login` → component `pangeo/hub`, community `pangeo` (null for shared components). */
function placeOf(monitorRef: string): { readonly component: string; readonly community: string | null } {
  const component = monitorRef.slice(0, monitorRef.lastIndexOf('/'));
  return { component, community: communityOf(component) };
}

function communityOf(componentRef: string): string | null {
  const slug = componentRef.slice(0, componentRef.indexOf('/'));
  return slug === SHARED ? null : slug;
}

type MonitorRef = { readonly ref: string; readonly type: string };

/** What every signal about one monitor at one location has; `kind` fills in the rest. */
function monitorSignal(
  monitor: MonitorRef,
  location: string,
  at: number,
  kind: Pick<Signal, 'type' | 'status' | 'summary' | 'details'> & {
    /** Dedup keys read `<prefix>:<monitor ref>@<location>`. */
    readonly prefix: 'check' | 'monitor';
    readonly labels?: Readonly<Record<string, string>>;
    readonly latencyMs?: number;
  },
): Signal {
  const { component, community } = placeOf(monitor.ref);
  const { prefix, ...fields } = kind;
  return {
    source: 'check',
    dedupKey: `${prefix}:${monitor.ref}@${location}`,
    community,
    component,
    severity: null,
    occurredAt: at,
    location,
    ...fields,
    labels: { monitor: monitor.ref, monitor_type: monitor.type, ...fields.labels },
  };
}

/** One check's result, for rules that judge every result (N of M, latency, quorum across locations). */
export function checkResultSignal(
  monitor: MonitorRef,
  outcome: CheckOutcome,
  location: string,
  at: number,
): Signal {
  return monitorSignal(monitor, location, at, {
    type: 'check_result',
    prefix: 'check',
    status: outcome.ok ? 'ok' : 'problem',
    summary: outcome.ok ? `${monitor.ref} passed` : `${monitor.ref}: ${outcome.reason ?? 'check failed'}`,
    details: outcome.reason ? { reason: outcome.reason } : {},
    latencyMs: outcome.durationMs,
  });
}

/** A monitor's verdict changed at one location (after its fail_after / recover_after rule). */
export function monitorStatusSignal(
  monitor: MonitorRef,
  status: MonitorStatus,
  reason: string,
  location: string,
  at: number,
): Signal {
  return monitorSignal(monitor, location, at, {
    type: 'monitor_status',
    prefix: 'monitor',
    status: status === 'down' || status === 'degraded' ? 'problem' : 'ok',
    summary: `${monitor.ref} is ${status}: ${reason}`,
    details: { status, reason },
    labels: { monitor_status: status },
  });
}

/**
 * Severity of a component's status: a shared component's major outage hits many communities (P1);
 * a community's major outage P2; partial outages and degraded performance P3.
 */
export function severityForStatus(componentRef: string, status: ComponentStatus): Severity {
  if (status === 'major_outage') return communityOf(componentRef) === null ? 'P1' : 'P2';
  return 'P3';
}

/**
 * A component's status changed (across its monitors and locations): the signal behind the alert a
 * status-page change raises. Components of communities that depend on the same shared components
 * share a group key, so one cluster failure that hits 20 communities is one alert group.
 */
export function componentStatusSignal(
  component: { readonly ref: string; readonly name: string; readonly dependsOn: readonly string[] },
  from: ComponentStatus,
  to: ComponentStatus,
  reason: string,
  at: number,
): Signal {
  const community = communityOf(component.ref);
  const depends =
    community === null ? [component.ref.slice(SHARED.length + 1)] : [...component.dependsOn].sort();
  return {
    source: 'check',
    type: 'component_status',
    dedupKey: `component:${component.ref}`,
    status: to === 'operational' || to === 'under_maintenance' ? 'ok' : 'problem',
    community,
    component: component.ref,
    severity:
      to === 'operational' || to === 'under_maintenance' ? null : severityForStatus(component.ref, to),
    summary: `${component.name} (${component.ref}): ${to.replaceAll('_', ' ')}`,
    details: { from, to, reason },
    labels: { component_status: to, ...(depends.length > 0 ? { depends_on: depends.join(',') } : {}) },
    occurredAt: at,
    ...(depends.length > 0 ? { groupKey: `check:depends_on=${depends.join(',')}` } : {}),
  };
}
