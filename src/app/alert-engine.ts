import { type AlertingSettings, DEFAULT_ALERTING } from '../alerts/alerting-settings.js';
import type { RuleKind } from '../rules/alert-rule.js';
import { ruleMatches } from '../rules/evaluate-rule.js';
import type { Signal } from '../rules/signal.js';
import { expireTimeBoxes } from '../store/alert-actions.js';
import {
  type AlertContext,
  type EngineRule,
  type IngestOutcome,
  type IngestRequest,
  ingestBatch,
  tickKeys,
} from '../store/alert-ingest.js';
import { keysToTick } from '../store/alert-queries.js';
import { loadAlertingSettings, loadAlertRules } from '../store/alert-rule-repository.js';
import type { Database } from '../store/database.js';

export type { IngestOutcome, IngestRequest } from '../store/alert-ingest.js';

export interface AlertEngineOptions {
  readonly database: Database;
  readonly now: () => number;
  readonly onError: (error: Error) => void;
  /** Called after each committed batch with what it did (metrics, logs, later: notifications). */
  readonly onOutcomes?: (outcomes: readonly IngestOutcome[]) => void;
  /** Called with alerts whose time box ran out (their owner must decide). */
  readonly onTimeBoxExpired?: (alertIds: readonly string[]) => void;
}

interface Pending {
  readonly request: IngestRequest;
  readonly resolve: (outcome: IngestOutcome) => void;
  readonly reject: (error: Error) => void;
}

/** Rule kinds judged on the clock as well as on signals. */
const TICKED_KINDS: ReadonlySet<RuleKind> = new Set(['heartbeat_missing', 'latency', 'quorum']);

/** Largest number of signals taken into one transaction. */
const MAX_BATCH_SIGNALS = 1_000;

/** How often the clock visits time-judged keys and time boxes. */
export const ALERT_TICK_MS = 15_000;

/**
 * Turns signals into alerts. Deliveries are queued and committed in batches (group commit):
 * while one transaction runs, the next batch gathers, so many small webhook requests cost a few
 * transactions. Each caller's promise settles when its delivery is committed.
 */
export class AlertEngine {
  readonly #options: AlertEngineOptions;
  #rules: readonly EngineRule[] = [];
  #settings: AlertingSettings = DEFAULT_ALERTING;
  #pending: Pending[] = [];
  #draining: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #ticking = false;

  constructor(options: AlertEngineOptions) {
    this.#options = options;
  }

  get settings(): AlertingSettings {
    return this.#settings;
  }

  /** Reads rules and settings from the store (after `firewatch apply` or an API change). */
  async reload(): Promise<void> {
    const rules = await loadAlertRules(this.#options.database.db);
    this.#rules = rules.filter((r) => r.enabled).map((r) => ({ id: r.id, rule: r.rule }));
    this.#settings = await loadAlertingSettings(this.#options.database.db);
  }

  /** Some enabled rule looks at this signal (the check engine asks before sending every result). */
  wants(signal: Signal): boolean {
    return this.#rules.some((r) => ruleMatches(r.rule, signal));
  }

  /** Queues a delivery; resolves when it is committed. */
  submit(request: IngestRequest): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ request, resolve, reject });
      this.#scheduleDrain();
    });
  }

  /**
   * Starts draining on the next turn of the event loop, so deliveries that arrive in this turn
   * share the first batch (better-sqlite3 is synchronous: draining at once would commit each
   * request alone). When a drain ends, anything queued meanwhile starts the next one.
   */
  #scheduleDrain(): void {
    if (this.#draining) return;
    this.#draining = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#drain())
      .finally(() => {
        this.#draining = null;
        if (this.#pending.length > 0) this.#scheduleDrain();
      });
  }

  /** Starts the clock: time-judged rules, calming flapping alerts, running-out time boxes. */
  start(): void {
    this.#timer = setInterval(() => void this.tick(), ALERT_TICK_MS);
  }

  /** One clock turn (also called by tests with a fake clock). */
  async tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      const { db, capabilities } = this.#options.database;
      const ruleIds = this.#rules.filter((r) => TICKED_KINDS.has(r.rule.kind)).map((r) => r.id);
      const keys = await keysToTick(db, ruleIds);
      for (let i = 0; i < keys.length; i += 200) {
        await tickKeys(db, capabilities, keys.slice(i, i + 200), this.#context());
      }
      const expired = await expireTimeBoxes(db, capabilities, this.#options.now());
      if (expired.length > 0) this.#options.onTimeBoxExpired?.(expired.map((a) => a.id));
    } catch (error) {
      this.#options.onError(new Error('alert clock tick', { cause: error }));
    } finally {
      this.#ticking = false;
    }
  }

  /** Stops the clock and waits for queued deliveries to commit. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    while (this.#draining) await this.#draining;
  }

  #context(): AlertContext {
    return { rules: this.#rules, settings: this.#settings, now: this.#options.now() };
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#takeBatch();
      try {
        await this.#commit(batch);
      } catch (error) {
        if (batch.length === 1) {
          batch[0]?.reject(error as Error);
          continue;
        }
        // One bad delivery must not fail the others: take them one by one.
        for (const entry of batch) {
          try {
            await this.#commit([entry]);
          } catch (single) {
            entry.reject(single as Error);
          }
        }
      }
    }
  }

  #takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let signals = 0;
    while (this.#pending.length > 0) {
      const next = this.#pending[0];
      if (!next) break;
      if (batch.length > 0 && signals + next.request.signals.length > MAX_BATCH_SIGNALS) break;
      batch.push(next);
      signals += next.request.signals.length;
      this.#pending.shift();
    }
    return batch;
  }

  async #commit(batch: readonly Pending[]): Promise<void> {
    const { db, capabilities } = this.#options.database;
    const outcomes = await withDeadlockRetry(() =>
      ingestBatch(
        db,
        capabilities,
        batch.map((b) => b.request),
        this.#context(),
      ),
    );
    batch.forEach((entry, i) => {
      const outcome = outcomes[i];
      if (outcome) entry.resolve(outcome);
      else entry.reject(new Error('ingest batch returned no outcome'));
    });
    this.#options.onOutcomes?.(outcomes);
  }
}

/** PostgreSQL may pick a transaction as a deadlock victim (40P01) or fail serialisation (40001): retry it. */
async function withDeadlockRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw error;
    }
  }
}
