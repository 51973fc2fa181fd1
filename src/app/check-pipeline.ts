import type { CheckOutcome } from '../checks/check-outcome.js';
import { checkResultSignal, monitorStatusSignal } from '../checks/check-signals.js';
import { evaluate } from '../rules/evaluate.js';
import { INITIAL_STATE, type MonitorState } from '../rules/monitor-state.js';
import type { Signal } from '../rules/signal.js';
import type { IngestRequest } from '../store/alert-ingest.js';
import type { Database } from '../store/database.js';
import type { ActiveMonitor } from '../store/monitor-repository.js';
import type { ResultsWriter } from '../store/results-writer.js';
import { type ComponentChange, recordTransition } from '../store/status-repository.js';

export type { ComponentChange } from '../store/status-repository.js';

/** Where check signals go (the alert engine): only signals some rule wants are sent. */
export interface SignalSink {
  wants(signal: Signal): boolean;
  submit(request: IngestRequest): Promise<unknown>;
}

export interface CheckPipelineOptions {
  readonly database: Database;
  readonly writer: ResultsWriter;
  /** The location this process checks from; its states are this location's. */
  readonly location: string;
  readonly now: () => number;
  readonly onComponentChange?: (change: ComponentChange) => void;
  /** Rules that judge per-check results and per-location verdicts get them through this. */
  readonly signals?: SignalSink;
  readonly onError?: (error: Error) => void;
}

/**
 * Takes each check outcome through the rule and into the store: the result goes to
 * the batched writer; a change of this location's monitor status is recorded at once,
 * and the store decides (across every location, see recordTransition) whether the
 * component moves.
 */
export class CheckPipeline {
  readonly #options: CheckPipelineOptions;
  readonly #monitors = new Map<string, { monitor: ActiveMonitor; state: MonitorState }>();

  constructor(options: CheckPipelineOptions) {
    this.#options = options;
  }

  /** Replaces the known monitors, keeping the in-memory state of those still there. */
  load(monitors: readonly ActiveMonitor[]): void {
    const previous = new Map(this.#monitors);
    this.#monitors.clear();
    for (const monitor of monitors) {
      const state = previous.get(monitor.id)?.state ?? monitor.state ?? INITIAL_STATE;
      this.#monitors.set(monitor.id, { monitor, state });
    }
  }

  /** Folds one outcome in. Resolves once any status change is stored. */
  async handle(monitorId: string, startedAt: number, outcome: CheckOutcome, attempts = 1): Promise<void> {
    const entry = this.#monitors.get(monitorId);
    if (!entry) return; // removed while its check ran
    const at = this.#options.now();
    const evaluation = evaluate(entry.state, outcome, entry.monitor.rule, at);
    entry.state = evaluation.state;
    this.#options.writer.add({
      monitorId,
      startedAt,
      location: this.#options.location,
      outcome,
      attempts,
      state: evaluation.state,
      reason: outcome.reason,
    });
    this.#signal(checkResultSignal(entry.monitor, outcome, this.#options.location, at));
    if (!evaluation.changed) return;
    this.#signal(
      monitorStatusSignal(
        entry.monitor,
        evaluation.state.status,
        evaluation.reason ?? 'status changed',
        this.#options.location,
        at,
      ),
    );
    const where = this.#options.location === 'default' ? '' : ` from ${this.#options.location}`;
    try {
      const change = await recordTransition(this.#options.database.db, this.#options.database.capabilities, {
        monitorId,
        location: this.#options.location,
        state: evaluation.state,
        reason: `${entry.monitor.ref}${where}: ${evaluation.reason ?? 'status changed'}`,
        at,
      });
      if (change) this.#options.onComponentChange?.(change);
    } catch (error) {
      this.#options.onError?.(new Error(`record status change of ${entry.monitor.ref}`, { cause: error }));
    }
  }

  #signal(signal: Signal): void {
    const sink = this.#options.signals;
    if (!sink?.wants(signal)) return;
    sink
      .submit({ integrationId: null, idempotencyKey: null, signals: [signal], ruleOnly: true })
      .catch((error: unknown) =>
        this.#options.onError?.(
          new Error(`send ${signal.type} signal of ${signal.dedupKey}`, { cause: error }),
        ),
      );
  }
}
