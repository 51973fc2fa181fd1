import type { PageSettings } from '../statuspage/project-status.js';
import { projectStatus } from '../statuspage/project-status.js';
import type { StatusSnapshot } from '../statuspage/status-snapshot.js';
import type { Database } from '../store/database.js';
import { loadStatusInputs } from '../store/statuspage-repository.js';

/**
 * Holds the current status snapshot. Readers get the last built snapshot at once;
 * `invalidate()` schedules one rebuild, and any number of invalidations while a
 * rebuild runs fold into a single follow-up rebuild (so a storm of changes costs
 * at most one rebuild at a time, never one per reader).
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

  /** Builds now (waiting for a build in progress first). */
  async build(): Promise<StatusSnapshot> {
    this.invalidate();
    while (this.#building) await this.#building;
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
        this.#dirty = false;
        try {
          const now = this.#now();
          const inputs = await loadStatusInputs(this.#database.db, now);
          this.#current = projectStatus(inputs, this.#page, now);
          this.#version += 1;
          for (const listener of this.#listeners) listener(this.#current);
        } catch (error) {
          this.#onError(new Error('rebuild status snapshot', { cause: error }));
        }
      }
    } finally {
      this.#building = undefined;
    }
  }
}
