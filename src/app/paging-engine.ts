import type { OncallDirectory } from '../oncall/oncall-directory.js';
import { EMPTY_ROUTING } from '../oncall/routing.js';
import { DEFAULT_URGENCY_MATRIX } from '../oncall/urgency-matrix.js';
import { loadOncallDirectory } from '../store/oncall-config-repository.js';
import { type PageSweep, routeNewAlerts, sweepPages } from '../store/page-repository.js';
import { NotificationSender, type NotificationSenderOptions, type SendPass } from './notification-sender.js';

export interface PagingEngineOptions extends NotificationSenderOptions {
  /** Called after every turn with what it did (metrics, logs). */
  readonly onTurn?: (turn: PagingTurn) => void;
}

/** How often the paging clock runs: routing new alerts, due escalation steps, the outbox. */
export const PAGING_TICK_MS = 2_000;

export const EMPTY_DIRECTORY: OncallDirectory = {
  people: new Map(),
  schedules: new Map(),
  policies: new Map(),
  routing: EMPTY_ROUTING,
  urgency: DEFAULT_URGENCY_MATRIX,
};

/** What one turn of the paging clock did. */
export interface PagingTurn {
  readonly opened: readonly string[];
  readonly swept: readonly PageSweep[];
  readonly sent: SendPass;
}

/**
 * Runs on-call: gives new alerts their urgency and opens pages, walks escalation steps and
 * reminders on the clock, and delivers the outbox. Every step is safe to run in several
 * processes at once (unique keys, row locks, leases); tests drive `turn()` with a fake clock.
 */
export class PagingEngine {
  readonly #options: PagingEngineOptions;
  readonly #sender: NotificationSender;
  #directory: OncallDirectory = EMPTY_DIRECTORY;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<PagingTurn | null> | null = null;

  constructor(options: PagingEngineOptions) {
    this.#options = options;
    this.#sender = new NotificationSender(options);
  }

  get directory(): OncallDirectory {
    return this.#directory;
  }

  /** Reads people, schedules, policies, routing and urgency from the store. */
  async reload(): Promise<void> {
    this.#directory = await loadOncallDirectory(this.#options.database.db, this.#options.now());
  }

  start(): void {
    this.#timer = setInterval(() => void this.turn(), PAGING_TICK_MS);
  }

  /** Runs a turn soon (after new alerts), without waiting for the clock. */
  nudge(): void {
    setImmediate(() => void this.turn());
  }

  /** One turn; concurrent calls share the running one. */
  turn(): Promise<PagingTurn | null> {
    if (!this.#running) {
      this.#running = this.#turn().finally(() => {
        this.#running = null;
      });
    }
    return this.#running;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  async #turn(): Promise<PagingTurn | null> {
    const { database, now, publicUrl } = this.#options;
    const base = publicUrl().replace(/\/$/, '');
    // Each stage on its own: a failure routing or sweeping must not hold up delivering the outbox.
    const opened = await this.#stage('routing new alerts', [], () =>
      routeNewAlerts(database.db, database.capabilities, this.#directory, now()),
    );
    const swept = await this.#stage('sweeping pages', [], () =>
      sweepPages(database.db, database.capabilities, this.#directory, now(), {
        alertUrl: (id) => `${base}/api/v1/alerts/${id}`,
      }),
    );
    const sent = await this.#stage('sending notifications', null, () => this.#sender.runOnce());
    if (sent === null) return null;
    const turn = { opened, swept, sent };
    this.#options.onTurn?.(turn);
    return turn;
  }

  async #stage<T, F>(what: string, fallback: F, work: () => Promise<T>): Promise<T | F> {
    try {
      return await work();
    } catch (error) {
      this.#options.onError(new Error(`paging: ${what}`, { cause: error }));
      return fallback;
    }
  }
}
