import { MinHeap } from './min-heap.js';

/** What the scheduler needs to know about a monitor. */
export interface Schedulable {
  readonly id: string;
  readonly intervalMs: number;
}

/** Counters the scheduler reports to metrics. */
export interface SchedulerEvents {
  /** A run started `lagMs` after it was due. */
  onStart?(id: string, lagMs: number): void;
  /** A run was skipped because the previous run of the same monitor had not finished. */
  onSkip?(id: string): void;
}

export interface SchedulerOptions<M extends Schedulable> {
  readonly now: () => number;
  /** Runs one check; must settle (the probe's own timeout bounds it). Rejections are the caller's bug and are swallowed. */
  readonly run: (monitor: M) => Promise<void>;
  /** Most runs in flight at once; due runs past it wait their turn. */
  readonly maxConcurrent?: number;
  readonly events?: SchedulerEvents;
}

/**
 * Runs each monitor every `intervalMs`, spread across the interval by a stable
 * offset derived from the monitor's id (so 1,000 monitors at 30 s do not all fire
 * together, and a restart keeps each monitor's phase). Runs never block each other:
 * a hanging target only holds its own slot, and a monitor whose previous run is
 * still going skips a turn instead of piling up.
 */
export class Scheduler<M extends Schedulable> {
  readonly #options: SchedulerOptions<M>;
  readonly #heap = new MinHeap<{ monitor: M; generation: number }>();
  readonly #monitors = new Map<string, { monitor: M; generation: number }>();
  readonly #running = new Set<string>();
  readonly #waiting: { monitor: M; due: number }[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;

  constructor(options: SchedulerOptions<M>) {
    this.#options = options;
  }

  /** Replaces the set of monitors; unchanged ones keep their phase. */
  setMonitors(monitors: readonly M[]): void {
    const now = this.#options.now();
    const seen = new Set<string>();
    for (const monitor of monitors) {
      seen.add(monitor.id);
      const existing = this.#monitors.get(monitor.id);
      if (existing && existing.monitor.intervalMs === monitor.intervalMs) {
        existing.monitor = monitor;
        continue;
      }
      const entry = { monitor, generation: (existing?.generation ?? 0) + 1 };
      this.#monitors.set(monitor.id, entry);
      this.#heap.push(nextDue(monitor, now), { monitor, generation: entry.generation });
    }
    for (const id of [...this.#monitors.keys()]) {
      if (!seen.has(id)) this.#monitors.delete(id);
    }
    if (!this.#stopped) this.#arm();
  }

  start(): void {
    this.#stopped = false;
    this.#arm();
  }

  /** Stops scheduling and waits for runs in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await Promise.allSettled([...this.#inFlight]);
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    const due = this.#heap.peekKey();
    if (due === undefined || this.#stopped) return;
    // Wake at most every second so a clock jump or a new monitor is noticed promptly.
    const delay = Math.min(Math.max(due - this.#options.now(), 0), 1_000);
    this.#timer = setTimeout(() => this.#tick(), delay);
    this.#timer.unref?.();
  }

  #tick(): void {
    this.#timer = undefined;
    const now = this.#options.now();
    for (let due = this.#heap.peekKey(); due !== undefined && due <= now; due = this.#heap.peekKey()) {
      const { value } = this.#heap.pop()!;
      const current = this.#monitors.get(value.monitor.id);
      if (!current || current.generation !== value.generation) continue; // removed or rescheduled
      this.#heap.push(due + current.monitor.intervalMs, value);
      if (this.#running.has(current.monitor.id)) {
        this.#options.events?.onSkip?.(current.monitor.id);
        continue;
      }
      this.#waiting.push({ monitor: current.monitor, due });
    }
    this.#drain();
    this.#arm();
  }

  #drain(): void {
    const max = this.#options.maxConcurrent ?? 512;
    while (this.#waiting.length > 0 && this.#inFlight.size < max && !this.#stopped) {
      const { monitor, due } = this.#waiting.shift()!;
      if (this.#running.has(monitor.id)) continue;
      this.#running.add(monitor.id);
      this.#options.events?.onStart?.(monitor.id, Math.max(0, this.#options.now() - due));
      const run = this.#options
        .run(monitor)
        .catch(() => {})
        .finally(() => {
          this.#running.delete(monitor.id);
          this.#inFlight.delete(run);
          this.#drain();
        });
      this.#inFlight.add(run);
    }
  }
}

/** The first due time at or after `now` on the monitor's stable phase. */
export function nextDue(monitor: Schedulable, now: number): number {
  const phase = stableHash(monitor.id) % monitor.intervalMs;
  const cycleStart = now - (now % monitor.intervalMs);
  const due = cycleStart + phase;
  return due >= now ? due : due + monitor.intervalMs;
}

/** FNV-1a over the id: cheap, stable across restarts and processes. */
function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
