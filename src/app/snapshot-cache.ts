import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { PageSettings } from '../statuspage/project-status.js';
import { projectStatus } from '../statuspage/project-status.js';
import type { StatusSnapshot } from '../statuspage/status-snapshot.js';
import type { PastUptime } from '../statuspage/uptime-bars.js';
import type { Database } from '../store/database.js';
import {
  type KeptUptime,
  loadStatusInputs,
  loadTodayUptime,
  loadUptimeHistory,
} from '../store/statuspage-repository.js';

/**
 * An invalidation-triggered rebuild starts at the earliest this long after the change, so the changes
 * one event causes fold into one rebuild: a component's status changes, then the incident automation
 * (nudged by the same change) opens or joins an incident a few tens of milliseconds later.
 */
export const SETTLE_MS = 250;
/** After a rebuild, the next one waits this many times as long as it took (see rebuildDelay). */
export const REBUILD_GAP_FACTOR = 3;
/** The longest rebuildDelay() ever asks for, so a change shows within this plus one rebuild. */
export const MAX_REBUILD_GAP_MS = 5_000;

/**
 * How long an invalidation-triggered rebuild waits: SETTLE_MS, or longer until REBUILD_GAP_FACTOR times
 * the last rebuild's duration (at most MAX_REBUILD_GAP_MS) has passed since it ended. Rebuilding runs on
 * the event loop that serves the pages; this keeps it to at most a quarter of the time under a storm of
 * changes, while a cheap rebuild (a few ms) follows a change after the settle time.
 */
export function rebuildDelay(lastRebuildMs: number, sinceLastRebuildMs: number): number {
  const gap = Math.min(MAX_REBUILD_GAP_MS, REBUILD_GAP_FACTOR * lastRebuildMs);
  return Math.max(SETTLE_MS, gap - sinceLastRebuildMs);
}

/** How long the uptime bars' past days are reused before they are read again (late rollups, pruning). */
const PAST_UPTIME_TTL_MS = 10 * 60_000;
/**
 * How long today's counts are reused by invalidation-triggered rebuilds. Check results do not invalidate
 * the snapshot (the periodic refresh moves the bars on), so today's bar is minutes-coarse anyway; reading
 * it again for every status change would cost each rebuild a grouped query over every monitor.
 */
const TODAY_UPTIME_TTL_MS = 30_000;

/**
 * Holds the current status snapshot. Readers get the last built snapshot at once;
 * `invalidate()` schedules one rebuild, and any number of invalidations while a
 * rebuild runs (or waits its turn, see rebuildDelay) fold into a single follow-up
 * rebuild (so a storm of changes costs at most one rebuild at a time, never one per
 * reader). `build()` does not wait its turn.
 */
export class SnapshotCache {
  readonly #database: Database;
  #page: PageSettings;
  readonly #now: () => number;
  readonly #onError: (error: Error) => void;
  #current: StatusSnapshot | undefined;
  #version = 0;
  #building: Promise<void> | undefined;
  #dirty = false;
  #urgent = false;
  #wake: (() => void) | undefined;
  /** Rebuilds finished (or failed) so far, and one promise per rebuild that settles when it does. */
  #completed = 0;
  #rebuilding = false;
  /** The bars' past days and today's counts, each with when it was read (see the TTLs above). */
  #past: { readonly value: PastUptime; readonly loadedAt: number } | undefined;
  #today: { readonly rows: KeptUptime['today']; readonly loadedAt: number } | undefined;
  #rebuilt = deferred();
  /** Duration and end of the last rebuild on the monotonic clock (durations only, never decisions on `now`). */
  #lastRebuildMs = 0;
  #lastRebuildEnd = 0;
  readonly #listeners = new Set<(snapshot: StatusSnapshot) => void>();

  constructor(options: {
    database: Database;
    page: PageSettings;
    now: () => number;
    onError: (error: Error) => void;
  }) {
    this.#database = options.database;
    this.#page = options.page;
    this.#now = options.now;
    this.#onError = options.onError;
  }

  /** The current snapshot; build() must have resolved once before. */
  get current(): StatusSnapshot {
    if (!this.#current) throw new Error('status snapshot read before the first build');
    return this.#current;
  }

  /** Increases with every rebuild; used in ETags. */
  get version(): number {
    return this.#version;
  }

  /** Builds now (waiting for a build in progress first, but not for its turn). */
  async build(): Promise<StatusSnapshot> {
    // A rebuild already under way may have read the store before the caller's change: wait for the next.
    const target = this.#completed + (this.#rebuilding ? 2 : 1);
    this.#urgent = true;
    this.invalidate();
    this.#wake?.();
    while (this.#completed < target) await this.#rebuilt.promise;
    return this.current;
  }

  /** Sets the page's public URL (known only once the server listens, e.g. on port 0) and rebuilds. */
  setPageUrl(pageUrl: string): void {
    this.#page = { ...this.#page, pageUrl };
    this.invalidate();
  }

  /** Marks the snapshot stale; a rebuild runs soon, one at a time. */
  invalidate(): void {
    this.#dirty = true;
    if (!this.#building) this.#building = this.#rebuildLoop();
  }

  /** Called after every rebuild. Returns an unsubscribe function. */
  subscribe(listener: (snapshot: StatusSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #rebuildLoop(): Promise<void> {
    try {
      while (this.#dirty) {
        await this.#waitTurn();
        this.#dirty = false;
        const urgent = this.#urgent;
        this.#urgent = false;
        this.#rebuilding = true;
        const started = performance.now();
        try {
          const now = this.#now();
          const inputs = await loadStatusInputs(this.#database.db, now, await this.#keptUptime(now, urgent));
          // Loading and projecting each hold the event loop; let waiting requests through in between.
          await yieldToLoop();
          const snapshot = projectStatus(inputs, this.#page, now);
          this.#current = snapshot;
          this.#version += 1;
          this.#lastRebuildMs = performance.now() - started;
          await yieldToLoop();
          for (const listener of this.#listeners) listener(snapshot);
        } catch (error) {
          this.#lastRebuildMs = performance.now() - started;
          this.#onError(new Error('rebuild status snapshot', { cause: error }));
        }
        this.#lastRebuildEnd = performance.now();
        this.#rebuilding = false;
        this.#completed += 1;
        const rebuilt = this.#rebuilt;
        this.#rebuilt = deferred();
        rebuilt.resolve();
      }
    } finally {
      this.#building = undefined;
    }
  }

  /** Day rollups for a rebuild; build() (urgent) always reads today's counts again. */
  async #keptUptime(now: number, urgent: boolean): Promise<KeptUptime> {
    const today = now - (now % 86_400_000);
    let past = this.#past;
    if (!past || past.value.today !== today || now - past.loadedAt >= PAST_UPTIME_TTL_MS) {
      past = { value: await loadUptimeHistory(this.#database.db, now), loadedAt: now };
      this.#past = past;
      this.#today = undefined;
      await yieldToLoop();
    }
    let current = this.#today;
    if (urgent || !current || now - current.loadedAt >= TODAY_UPTIME_TTL_MS) {
      current = { rows: await loadTodayUptime(this.#database.db, now), loadedAt: now };
      this.#today = current;
    }
    return { past: past.value, today: current.rows };
  }

  async #waitTurn(): Promise<void> {
    const delay = rebuildDelay(this.#lastRebuildMs, performance.now() - this.#lastRebuildEnd);
    if (this.#urgent) return;
    await new Promise<void>((resolve) => {
      // Unref'd: a pending rebuild does not keep a stopping process alive.
      const timer = setTimeout(() => this.#wake?.(), delay).unref();
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }
}

function deferred(): { readonly promise: Promise<void>; readonly resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
