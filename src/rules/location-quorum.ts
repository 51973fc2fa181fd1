import type { LocationQuorumRule, RuleEvaluator } from './alert-rule.js';

interface Latest {
  readonly status: 'problem' | 'ok';
  readonly at: number;
}

/**
 * Active while at least `quorum` locations report a problem as their latest signal; clears as
 * soon as fewer do.
 *
 * - A signal's location is `signal.location ?? 'default'`; its time is `occurredAt`. A signal
 *   older than its location's latest one is ignored.
 * - A location whose latest signal is more than `staleAfterMs` before `now` no longer counts and
 *   is dropped from the state, which keeps it bounded. Clock ticks re-judge this, so a problem
 *   seen only by locations that went quiet clears by itself.
 * - State data: `{ locations: { [location]: { status, at } } }`.
 */
export const evaluateQuorum: RuleEvaluator<LocationQuorumRule> = (state, signal, rule, now) => {
  const locations = readLocations(state.data.locations);
  if (signal !== null) {
    const location = signal.location ?? 'default';
    const previous = locations.get(location);
    if (previous === undefined || signal.occurredAt >= previous.at) {
      locations.set(location, { status: signal.status, at: signal.occurredAt });
    }
  }
  const fresh = [...locations].filter(([, latest]) => now - latest.at <= rule.staleAfterMs);
  const failing = fresh.filter(([, latest]) => latest.status === 'problem').map(([location]) => location);
  const active = failing.length >= Math.max(1, rule.quorum);
  const changed = active !== state.active;
  return {
    state: {
      active,
      since: changed ? now : state.since,
      lastSignalAt: signal === null ? state.lastSignalAt : now,
      data: { locations: Object.fromEntries(fresh) },
    },
    changed,
    reason: changed ? describe(failing, fresh.length, rule.quorum) : null,
  };
};

function readLocations(value: unknown): Map<string, Latest> {
  const locations = new Map<string, Latest>();
  if (typeof value !== 'object' || value === null) return locations;
  for (const [location, latest] of Object.entries(value)) {
    if (typeof latest !== 'object' || latest === null) continue;
    const { status, at } = latest as Record<string, unknown>;
    if ((status === 'problem' || status === 'ok') && typeof at === 'number')
      locations.set(location, { status, at });
  }
  return locations;
}

function describe(failing: readonly string[], reporting: number, quorum: number): string {
  const where = failing.length === 0 ? '' : ` (${[...failing].sort().join(', ')})`;
  return `${failing.length} of ${reporting} locations see a problem${where}, quorum ${quorum}`;
}
