import { join } from 'node:path';
import type { CheckOutcome } from '../checks/check-outcome.js';
import { guardedLookup } from '../checks/guarded-lookup.js';
import type { ProbeContext } from '../checks/network-policy.js';
import { runCheck } from '../checks/run-check.js';
import { runConfirmed } from '../checks/run-confirmed.js';
import {
  type ComponentConfig,
  type FleetConfig,
  type MonitorConfig,
  SHARED_REF_PREFIX,
} from '../config/fleet-config.js';

/** What one monitor's verification found; `community` is null for a shared component's monitor. */
export interface VerifyResult {
  readonly ref: string;
  readonly community: string | null;
  readonly type: MonitorConfig['type'];
  readonly ok: boolean;
  /** Failed only on its latency limit. */
  readonly slow: boolean;
  /** Why it failed; null when ok. */
  readonly reason: string | null;
  /** Wall time of the monitor's verification, confirmation retries and their delays included. */
  readonly durationMs: number;
  readonly attempts: number;
  /** Evidence files the last attempt kept (browser screenshots), absolute or under dataDir. */
  readonly artifacts: readonly string[];
}

export interface VerifyOptions {
  /** Community slugs; a community selects its own monitors and those of the shared components it depends on. */
  readonly communities: readonly string[];
  /** A monitor is selected when it has any of these tags. Combines with `communities` by AND. */
  readonly tags: readonly string[];
  /** How many checks run at once. */
  readonly concurrency: number;
  /** Re-run a failed check as its `confirm` setting says (false: one attempt each). */
  readonly confirm: boolean;
  /** Evidence files go under `<dataDir>/artifacts/verify/<ref>`. */
  readonly dataDir: string;
  /** Called as each check finishes, in completion order. */
  readonly onResult?: (result: VerifyResult, done: number, total: number) => void;
  readonly now?: () => number;
  /** A heartbeat monitor's last ping and since when it expects pings (heartbeats fetch nothing themselves). */
  readonly heartbeatHistory?: (ref: string) => Promise<NonNullable<ProbeContext['heartbeat']>>;
}

/** The filters choose no monitor: an unknown community, a tag nobody uses, or nothing enabled at all. */
export class SelectionError extends Error {
  override readonly name = 'SelectionError';

  constructor(
    readonly filter: 'community' | 'tag' | 'none',
    message: string,
  ) {
    super(message);
  }
}

/** An enabled monitor chosen for verification, with where it lives. */
export interface SelectedMonitor {
  readonly ref: string;
  readonly community: string | null;
  readonly monitor: MonitorConfig;
}

// A fleet can have hundreds of communities; an error message lists this many and counts the rest.
const LISTED_NAMES = 30;

/**
 * Runs every selected enabled monitor of `config` once, now, at most `concurrency` at a time, and resolves
 * to one result per monitor in config order. Throws a SelectionError when the filters select nothing.
 */
export async function verifyFleet(config: FleetConfig, options: VerifyOptions): Promise<VerifyResult[]> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`verifyFleet: concurrency must be a whole number ≥ 1, got ${options.concurrency}`);
  }
  const selected = selectMonitors(config, options);
  const now = options.now ?? Date.now;
  const results: VerifyResult[] = new Array(selected.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < selected.length) {
      const index = next++;
      const result = await verifyOne(selected[index]!, options, now);
      results[index] = result;
      done += 1;
      options.onResult?.(result, done, selected.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, selected.length) }, worker));
  return results;
}

/**
 * The enabled monitors the filters choose, in config order (communities, then shared components), each
 * once. Throws a SelectionError naming the valid slugs or tags when a filter is unknown or matches nothing.
 */
export function selectMonitors(
  config: FleetConfig,
  filters: Pick<VerifyOptions, 'communities' | 'tags'>,
): SelectedMonitor[] {
  const known = new Set(config.communities.map((c) => c.slug));
  const unknown = [...new Set(filters.communities)].filter((slug) => !known.has(slug));
  if (unknown.length > 0) {
    const names = unknown.map((slug) => `"${slug}"`).join(', ');
    throw new SelectionError(
      'community',
      `unknown communit${unknown.length === 1 ? 'y' : 'ies'} ${names} — ${listOf([...known], 'no communities are configured')}`,
    );
  }
  const wanted = new Set(filters.communities);
  const communities =
    wanted.size === 0 ? config.communities : config.communities.filter((c) => wanted.has(c.slug));
  const sharedKeys = new Set(communities.flatMap((c) => c.dependsOn));
  const shared = wanted.size === 0 ? config.shared : config.shared.filter((s) => sharedKeys.has(s.key));
  const enabled = [
    ...communities.flatMap((c) => c.components.flatMap((component) => monitorsOf(component, c.slug))),
    ...shared.flatMap((component) => monitorsOf(component, null)),
  ];
  const where = wanted.size === 0 ? 'the fleet' : [...wanted].join(', ');
  if (enabled.length === 0) {
    throw new SelectionError(
      'none',
      `no enabled monitors in ${where} — add monitors to the fleet's config and apply it, or read the right database`,
    );
  }
  if (filters.tags.length === 0) return enabled;
  const tags = new Set(filters.tags);
  const tagged = enabled.filter((s) => s.monitor.tags.some((tag) => tags.has(tag)));
  if (tagged.length === 0) {
    const inUse = [...new Set(enabled.flatMap((s) => s.monitor.tags))].sort();
    const names = [...tags].map((tag) => `"${tag}"`).join(', ');
    throw new SelectionError(
      'tag',
      `no enabled monitor in ${where} has ${tags.size === 1 ? 'the tag' : 'any of the tags'} ${names} — ` +
        listOf(inUse, 'none of them has tags; add `tags: [...]` to monitors in the config and apply it'),
    );
  }
  return tagged;
}

function monitorsOf(component: ComponentConfig, community: string | null): SelectedMonitor[] {
  const componentRef = `${community ?? SHARED_REF_PREFIX}/${component.key}`;
  return component.monitors
    .filter((monitor) => monitor.enabled)
    .map((monitor) => ({ ref: `${componentRef}/${monitor.key}`, community, monitor }));
}

function listOf(names: readonly string[], whenEmpty: string): string {
  if (names.length === 0) return whenEmpty;
  const listed = names.slice(0, LISTED_NAMES).join(', ');
  const rest = names.length - LISTED_NAMES;
  return `use one of: ${listed}${rest > 0 ? ` and ${rest} more` : ''}`;
}

const NO_RETRIES = { retries: 0, delayMs: 0 } as const;

/** Runs one monitor the way the scheduler does (start-firewatch.ts runOne), without recording anything. */
async function verifyOne(
  { ref, community, monitor }: SelectedMonitor,
  options: VerifyOptions,
  now: () => number,
): Promise<VerifyResult> {
  const startedAt = now();
  const policy = { allowPrivateTargets: monitor.allowPrivateTargets };
  const heartbeat =
    monitor.type === 'heartbeat' && options.heartbeatHistory
      ? await options.heartbeatHistory(ref)
      : undefined;
  const probe = async (): Promise<CheckOutcome> => {
    try {
      return await runCheck(monitor, {
        ...(heartbeat ? { heartbeat, now } : {}),
        // The probe's own timeout bounds it; this signal only guards against a probe bug.
        signal: AbortSignal.timeout(monitor.spec.timeoutMs + 5_000),
        policy,
        lookup: guardedLookup(policy),
        artifactsDir: join(options.dataDir, 'artifacts', 'verify', ...ref.split('/')),
      });
    } catch (error) {
      // Probes never throw by contract; one that does fails its own check, not the whole run.
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, slow: false, reason: `the probe crashed: ${message}`, durationMs: 0 };
    }
  };
  const { outcome, attempts } = await runConfirmed(
    probe,
    options.confirm ? monitor.confirm : NO_RETRIES,
    (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  );
  return {
    ref,
    community,
    type: monitor.type,
    ok: outcome.ok,
    slow: outcome.slow,
    reason: outcome.ok ? null : (outcome.reason ?? 'failed without a reason'),
    durationMs: Math.max(0, now() - startedAt),
    attempts,
    artifacts: outcome.artifacts ?? [],
  };
}
