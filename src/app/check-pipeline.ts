import type { CheckOutcome } from '../checks/check-outcome.js';
import { evaluate } from '../rules/evaluate.js';
import { componentStatusFor, INITIAL_STATE, type MonitorState } from '../rules/monitor-state.js';
import type { ComponentStatus } from '../statuspage/component-status.js';
import { worstStatus } from '../statuspage/component-status.js';
import type { Database } from '../store/database.js';
import type { ActiveMonitor } from '../store/monitor-repository.js';
import type { ResultsWriter } from '../store/results-writer.js';
import { loadComponentStatus, recordTransition, StaleStatusError } from '../store/status-repository.js';

/** A component status change the pipeline has stored. */
export interface ComponentChange {
  readonly componentId: string;
  readonly from: ComponentStatus;
  readonly to: ComponentStatus;
  readonly reason: string;
  readonly at: number;
}

export interface CheckPipelineOptions {
  readonly database: Database;
  readonly writer: ResultsWriter;
  readonly location: string;
  readonly now: () => number;
  readonly onComponentChange?: (change: ComponentChange) => void;
  readonly onError?: (error: Error) => void;
}

/**
 * Takes each check outcome through the rule and into the store: the result goes to
 * the batched writer; a monitor status change is recorded at once, with the
 * component status it implies (the worst over the component's monitors).
 * Writes for one component are serialised so their from→to chain stays in order.
 */
export class CheckPipeline {
  readonly #options: CheckPipelineOptions;
  readonly #monitors = new Map<string, { monitor: ActiveMonitor; state: MonitorState }>();
  readonly #byComponent = new Map<string, Set<string>>();
  #componentStatus = new Map<string, ComponentStatus>();
  readonly #componentWrites = new Map<string, Promise<void>>();

  constructor(options: CheckPipelineOptions) {
    this.#options = options;
  }

  /** Replaces the known monitors (keeping in-memory state of unchanged ones) and component statuses. */
  load(monitors: readonly ActiveMonitor[], componentStatuses: Map<string, ComponentStatus>): void {
    const previous = new Map(this.#monitors);
    this.#monitors.clear();
    this.#byComponent.clear();
    for (const monitor of monitors) {
      const state = previous.get(monitor.id)?.state ?? monitor.state ?? INITIAL_STATE;
      this.#monitors.set(monitor.id, { monitor, state });
      const set = this.#byComponent.get(monitor.componentId) ?? new Set<string>();
      set.add(monitor.id);
      this.#byComponent.set(monitor.componentId, set);
    }
    this.#componentStatus = new Map(componentStatuses);
  }

  /** Folds one outcome in. Resolves once any status change is stored. */
  async handle(monitorId: string, startedAt: number, outcome: CheckOutcome): Promise<void> {
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
      state: evaluation.state,
      reason: outcome.reason,
    });
    if (!evaluation.changed) return;

    const componentId = entry.monitor.componentId;
    const from = this.#componentStatus.get(componentId) ?? 'operational';
    const to = this.#componentTarget(componentId);
    this.#componentStatus.set(componentId, to);
    const reason = `${entry.monitor.ref}: ${evaluation.reason ?? 'status changed'}`;
    const write = (this.#componentWrites.get(componentId) ?? Promise.resolve()).then(async () => {
      const transition = {
        monitorId,
        state: evaluation.state,
        reason,
        at,
        component: { id: componentId, from, to },
      };
      try {
        try {
          await recordTransition(this.#options.database.db, transition);
        } catch (error) {
          if (!(error instanceof StaleStatusError)) throw error;
          // Someone else (another process, a person) moved the component: start from what is stored.
          const stored = (await loadComponentStatus(this.#options.database.db, componentId)) ?? from;
          await recordTransition(this.#options.database.db, {
            ...transition,
            component: { id: componentId, from: stored, to },
          });
        }
        if (from !== to) this.#options.onComponentChange?.({ componentId, from, to, reason, at });
      } catch (error) {
        this.#options.onError?.(new Error(`record status change of ${entry.monitor.ref}`, { cause: error }));
      }
    });
    this.#componentWrites.set(componentId, write);
    await write;
  }

  #componentTarget(componentId: string): ComponentStatus {
    const ids = this.#byComponent.get(componentId) ?? new Set<string>();
    const statuses: ComponentStatus[] = [];
    for (const id of ids) {
      const entry = this.#monitors.get(id);
      if (entry) statuses.push(componentStatusFor(entry.state.status, entry.monitor.rule));
    }
    return worstStatus(statuses);
  }
}
