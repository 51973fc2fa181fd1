import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';
import { guardedLookup } from '../checks/guarded-lookup.js';
import { closeProbes, runCheck } from '../checks/run-check.js';
import { runConfirmed } from '../checks/run-confirmed.js';
import { Scheduler } from '../checks/scheduler.js';
import { buildServer } from '../http/server.js';
import { closeEmailTransports } from '../notify/channels/email-channel.js';
import { type Database, openDatabase } from '../store/database.js';
import { lastPing } from '../store/heartbeat-repository.js';
import { loadIncidentSettings } from '../store/incident-policy-repository.js';
import { type ActiveMonitor, loadActiveMonitors, monitorsFingerprint } from '../store/monitor-repository.js';
import { pruneResults } from '../store/prune-results.js';
import { pruneSignals } from '../store/prune-signals.js';
import { ResultsWriter } from '../store/results-writer.js';
import { countActiveTokens, createToken } from '../store/token-repository.js';
import { AlertEngine } from './alert-engine.js';
import { CheckPipeline } from './check-pipeline.js';
import { raiseComponentAlert } from './component-alerts.js';
import type { FirewatchConfig } from './firewatch-config.js';
import { IncidentEngine } from './incident-engine.js';
import { createMetrics, type Metrics } from './metrics.js';
import { PagingEngine } from './paging-engine.js';
import { SnapshotCache } from './snapshot-cache.js';

/** A running Firewatch process. */
export interface RunningFirewatch {
  readonly url: string;
  readonly database: Database;
  readonly snapshots: SnapshotCache;
  readonly metrics: Metrics;
  readonly alerts: AlertEngine;
  readonly paging: PagingEngine;
  readonly incidents: IncidentEngine;
  /** Reloads monitors, alert rules and settings from the store now (also runs on a timer). */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

/** How often results past their retention are deleted (see store/prune-results.ts). */
const PRUNE_INTERVAL_MS = 10 * 60_000;

/** How often the snapshot is rebuilt even without changes, so uptime bars move on. */
const SNAPSHOT_REFRESH_MS = 60_000;

/**
 * The composition root: opens the store, starts the check scheduler (when this
 * process runs checks) and the HTTP server, and wires them together.
 */
export async function startFirewatch(
  config: FirewatchConfig,
  options: { now?: () => number; logger?: Logger; database?: Database } = {},
): Promise<RunningFirewatch> {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? pino({ level: config.logLevel });
  const metrics = createMetrics();
  // Tests hand in an open database (an isolated PostgreSQL schema); it stays theirs to close.
  const database = options.database ?? (await openDatabase({ url: config.databaseUrl }));
  logger.info({ database: database.description }, 'database ready');
  await ensureAdminToken(database, config, logger, now());

  const writer = new ResultsWriter({
    db: database.db,
    capabilities: database.capabilities,
    onError: (error) => {
      metrics.storeErrors.inc({ operation: 'write_results' });
      logger.error({ err: error }, 'writing check results failed');
    },
  });
  const snapshots = new SnapshotCache({
    database,
    page: { pageName: config.pageName, pageUrl: config.pageUrl ?? `http://${config.host}:${config.port}` },
    now,
    onError: (error) => logger.error({ err: error }, 'status snapshot rebuild failed'),
  });
  let publicUrl = config.pageUrl ?? `http://${config.host}:${config.port}`;
  const processId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  /** Rebuild this process's snapshot and tell the others on the database (PostgreSQL NOTIFY) to rebuild theirs. */
  function publicChanged(): void {
    snapshots.invalidate();
    database
      .announce?.(processId)
      .catch((error) => logger.warn({ err: error }, 'announcing a change failed'));
  }
  const stopListening = await database.listen?.((sender) => {
    if (sender !== processId) snapshots.invalidate();
  });
  const paging = new PagingEngine({
    database,
    processId,
    now,
    channel: { smtp: config.smtp, timeoutMs: 10_000, now },
    publicUrl: () => publicUrl,
    linkTtlMs: config.linkTtlMs,
    rateLimit: config.notifyRateLimit,
    onError: (error) => {
      metrics.storeErrors.inc({ operation: 'paging' });
      logger.error({ err: error }, 'paging failed');
    },
    onAttempt: (channel, result) => metrics.notificationAttempts.inc({ channel, result }),
    onTurn: (turn) => {
      for (const sweep of turn.swept) {
        if (sweep.did === 'nothing') continue;
        metrics.pagingSteps.inc({ did: sweep.did });
        logger.info(sweep, `page ${sweep.did}`);
      }
    },
  });
  const incidents = new IncidentEngine({
    database,
    processId,
    now,
    page: () => ({ pageUrl: publicUrl, pageName: config.pageName }),
    directory: () => paging.directory,
    onChange: () => {
      publicChanged();
      paging.nudge();
    },
    onAction: (action, incidentId) => {
      metrics.incidentActions.inc({ action: action.kind });
      logger.info({ ...action, incidentId }, `incident automation: ${action.kind}`);
    },
    onError: (error) => {
      metrics.storeErrors.inc({ operation: 'incidents' });
      logger.error({ err: error }, 'incident automation failed');
    },
  });
  const alerts = new AlertEngine({
    database,
    now,
    onError: (error) => {
      metrics.storeErrors.inc({ operation: 'alerts' });
      logger.error({ err: error }, 'alert engine failed');
    },
    onOutcomes: (outcomes) => {
      for (const outcome of outcomes) {
        if (!outcome.duplicate) metrics.signalsTotal.inc(outcome.signals);
        for (const alert of outcome.alerts) {
          metrics.alertActions.inc({ action: alert.action });
          if (alert.action !== 'repeated') logger.info(alert, `alert ${alert.action}`);
        }
      }
      if (outcomes.some((o) => o.alerts.some((a) => a.action !== 'repeated'))) paging.nudge();
    },
    onTimeBoxExpired: (ids) => logger.info({ alerts: ids }, 'time boxes ran out: owners must decide'),
  });
  const pipeline = new CheckPipeline({
    database,
    writer,
    location: config.location,
    now,
    signals: alerts,
    onComponentChange: (change) => {
      metrics.statusChanges.inc({ to: change.to });
      logger.info(change, 'component status changed');
      publicChanged();
      incidents.nudge();
      raiseComponentAlert(database, alerts, change).catch((error) => {
        metrics.storeErrors.inc({ operation: 'alerts' });
        logger.error({ err: error }, 'raising a component alert failed');
      });
    },
    onError: (error) => {
      metrics.storeErrors.inc({ operation: 'record_transition' });
      logger.error({ err: error }, 'recording a status change failed');
    },
  });
  const scheduler = new Scheduler<ActiveMonitor>({
    now,
    run: (monitor) => runOne(monitor),
    events: {
      onStart: (_id, lagMs) => metrics.schedulingLag.observe(lagMs / 1000),
      onSkip: () => metrics.skippedRuns.inc(),
    },
  });

  async function runOne(monitor: ActiveMonitor): Promise<void> {
    const startedAt = now();
    metrics.checksInFlight.inc();
    try {
      const policy = { allowPrivateTargets: monitor.settings.allowPrivateTargets };
      const heartbeat =
        monitor.type === 'heartbeat'
          ? { last: await lastPing(database.db, monitor.id), since: monitor.createdAt }
          : undefined;
      const { outcome, attempts } = await runConfirmed(
        () =>
          runCheck(monitor, {
            // The probe's own timeout bounds it; this signal only guards against a probe bug.
            signal: AbortSignal.timeout(monitor.spec.timeoutMs + 5_000),
            policy,
            lookup: guardedLookup(policy),
            artifactsDir: join(config.dataDir, 'artifacts', monitor.id),
            now,
            ...(heartbeat ? { heartbeat } : {}),
          }),
        // Re-checking a heartbeat would read the same pings again.
        monitor.type === 'heartbeat' ? { retries: 0, delayMs: 0 } : monitor.settings.confirm,
        (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      );
      metrics.checksTotal.inc({
        type: monitor.type,
        result: outcome.ok ? 'ok' : outcome.slow ? 'slow' : 'failed',
      });
      await pipeline.handle(monitor.id, startedAt, outcome, attempts);
    } finally {
      metrics.checksInFlight.dec();
    }
  }

  let lastFingerprint = '';
  let active = new Map<string, ActiveMonitor>();
  async function reload(): Promise<void> {
    await alerts.reload();
    await paging.reload();
    const fingerprint = await monitorsFingerprint(database.db);
    if (fingerprint === lastFingerprint) return;
    const monitors = await loadActiveMonitors(database.db, config.location);
    lastFingerprint = fingerprint;
    pipeline.load(monitors);
    active = new Map(monitors.map((m) => [m.id, m]));
    if (config.runChecks) scheduler.setMonitors(monitors);
    snapshots.invalidate();
    logger.info({ monitors: monitors.length }, 'monitors loaded');
  }

  await reload();
  await snapshots.build();
  alerts.start();
  paging.start();
  incidents.start();
  if (config.runChecks) {
    writer.start();
    scheduler.start();
  }
  const reloadTimer = setInterval(() => {
    reload().catch((error) => logger.error({ err: error }, 'reloading monitors failed'));
  }, config.reloadIntervalMs);
  const refreshTimer = setInterval(() => snapshots.invalidate(), SNAPSHOT_REFRESH_MS);
  const pruneTimer = setInterval(() => {
    if (!config.runChecks) return;
    Promise.all([pruneResults(database.db, now()), pruneSignals(database.db, now())])
      .then((report) => logger.debug({ report }, 'pruned old check results and signals'))
      .catch((error) => {
        metrics.storeErrors.inc({ operation: 'prune_results' });
        logger.error({ err: error }, 'pruning old check results failed');
      });
  }, PRUNE_INTERVAL_MS);

  const app = buildServer({
    database,
    snapshots,
    metrics,
    alerts,
    paging,
    logger,
    now,
    incidentSettings: () =>
      loadIncidentSettings(database.db, { pageUrl: publicUrl, pageName: config.pageName }),
    // Incidents, maintenances and subscriptions show on the public page and may queue notices.
    onPublicChange: () => {
      publicChanged();
      paging.nudge();
      incidents.nudge();
    },
    onPing: (monitorId) => {
      const monitor = active.get(monitorId);
      if (config.runChecks && monitor) void runOne(monitor);
    },
  });
  let address = '';
  if (config.serveHttp) {
    address = await app.listen({ host: config.host, port: config.port });
    if (!config.pageUrl) {
      publicUrl = address;
      snapshots.setPageUrl(address);
      await snapshots.build(); // the first page served already carries the real URL
    }
    logger.info({ url: address }, 'Firewatch is serving');
  } else {
    logger.info({ location: config.location }, 'Firewatch worker is checking');
  }

  return {
    url: address,
    database,
    snapshots,
    metrics,
    alerts,
    paging,
    incidents,
    reload,
    async stop() {
      clearInterval(reloadTimer);
      clearInterval(refreshTimer);
      clearInterval(pruneTimer);
      await app.close();
      await scheduler.stop();
      await alerts.stop();
      await stopListening?.();
      await incidents.stop();
      await paging.stop();
      await writer.stop();
      closeEmailTransports();
      await closeProbes();
      if (!options.database) await database.close();
    },
  };
}

/**
 * A fresh install has no token, so nobody could call the API. Create an admin
 * token then and write it to <dataDir>/admin-token (mode 0600), or store the one
 * given in FIREWATCH_ADMIN_TOKEN.
 */
async function ensureAdminToken(database: Database, config: FirewatchConfig, logger: Logger, now: number) {
  if (config.adminToken) {
    await createToken(database.db, {
      name: 'admin (FIREWATCH_ADMIN_TOKEN)',
      scopes: ['admin'],
      now,
      token: config.adminToken,
    });
    return;
  }
  if ((await countActiveTokens(database.db)) > 0) return;
  const token = await createToken(database.db, { name: 'admin (first start)', scopes: ['admin'], now });
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, 'admin-token');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  logger.warn({ file }, 'no API token existed: created an admin token and wrote it to this file');
}
