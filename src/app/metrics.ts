import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Firewatch's own Prometheus metrics, on a registry of its own (no global state). */
export interface Metrics {
  readonly registry: Registry;
  readonly checksTotal: Counter<'type' | 'result'>;
  readonly schedulingLag: Histogram;
  readonly skippedRuns: Counter;
  readonly checksInFlight: Gauge;
  readonly statusChanges: Counter<'to'>;
  readonly storeErrors: Counter<'operation'>;
  readonly signalsTotal: Counter;
  readonly alertActions: Counter<'action'>;
  readonly notificationAttempts: Counter<'channel' | 'result'>;
  readonly pagingSteps: Counter<'did'>;
  readonly incidentActions: Counter<'action'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'firewatch_process_' });
  return {
    registry,
    checksTotal: new Counter({
      name: 'firewatch_checks_total',
      help: 'Checks run, by monitor type and result (ok, failed, slow).',
      labelNames: ['type', 'result'],
      registers: [registry],
    }),
    schedulingLag: new Histogram({
      name: 'firewatch_check_scheduling_lag_seconds',
      help: 'How late each check started after it was due.',
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    skippedRuns: new Counter({
      name: 'firewatch_check_runs_skipped_total',
      help: 'Check runs skipped because the previous run of the same monitor was still going.',
      registers: [registry],
    }),
    checksInFlight: new Gauge({
      name: 'firewatch_checks_in_flight',
      help: 'Checks running right now.',
      registers: [registry],
    }),
    statusChanges: new Counter({
      name: 'firewatch_component_status_changes_total',
      help: 'Component status changes recorded, by new status.',
      labelNames: ['to'],
      registers: [registry],
    }),
    storeErrors: new Counter({
      name: 'firewatch_store_errors_total',
      help: 'Failed background writes, by operation.',
      labelNames: ['operation'],
      registers: [registry],
    }),
    signalsTotal: new Counter({
      name: 'firewatch_signals_total',
      help: 'Signals taken into the alert engine (duplicate deliveries not counted).',
      registers: [registry],
    }),
    alertActions: new Counter({
      name: 'firewatch_alert_actions_total',
      help: 'What signals did to alerts: created, reopened, repeated, resolved.',
      labelNames: ['action'],
      registers: [registry],
    }),
    notificationAttempts: new Counter({
      name: 'firewatch_notification_attempts_total',
      help: 'Delivery attempts by channel and result (sent, retryable_error, permanent_error, cancelled).',
      labelNames: ['channel', 'result'],
      registers: [registry],
    }),
    incidentActions: new Counter({
      name: 'firewatch_incident_automation_total',
      help: 'What incident automation did: open, join, relapse, monitoring, resolve.',
      labelNames: ['action'],
      registers: [registry],
    }),
    pagingSteps: new Counter({
      name: 'firewatch_paging_steps_total',
      help: 'What the paging clock did to pages: escalated, reminded, acknowledged, resolved.',
      labelNames: ['did'],
      registers: [registry],
    }),
  };
}
