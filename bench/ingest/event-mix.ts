/** What the bench sends: how many dedup keys and communities, and which share of events is what. */
export interface EventMixOptions {
  /** Distinct dedup_key values of the plain events (each key stays in one community). */
  readonly keys: number;
  readonly communities: number;
  /** Share of events that are server_start_failed (judged by the events_in_window rule). */
  readonly ruleShare: number;
  /** Share of events that are server_start_succeeded (they reset that rule for their community). */
  readonly resetShare: number;
  /** Share of plain events that say "resolved" rather than "firing". */
  readonly okShare: number;
}

export const DEFAULT_EVENT_MIX: EventMixOptions = {
  keys: 500,
  communities: 50,
  ruleShare: 0.1,
  resetShare: 0.01,
  okShare: 0.2,
};

/** The bench's community slugs, `bench-00` … (also written into the config it applies). */
export function communitySlugs(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `bench-${String(i).padStart(2, '0')}`);
}

/** Deterministic numbers in [0, 1) from a seed (mulberry32), so every run sends the same mix. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A generator of generic-event bodies (JSON text, one event each) in Firewatch's own event shape:
 * mostly `hub_unhealthy` events on `keys` dedup keys, firing or resolved, and `ruleShare` of
 * server_start_failed events (no dedup_key: the rule keys them by community).
 */
export function eventMix(options: EventMixOptions, random: () => number): () => string {
  const communities = communitySlugs(options.communities);
  return () => {
    const draw = random();
    if (draw < options.ruleShare + options.resetShare) {
      const community = communities[Math.floor(random() * communities.length)];
      const type = draw < options.ruleShare ? 'server_start_failed' : 'server_start_succeeded';
      return JSON.stringify({ type, community, summary: `user server ${type.replace(/_/g, ' ')}` });
    }
    const key = Math.floor(random() * options.keys);
    return JSON.stringify({
      type: 'hub_unhealthy',
      dedup_key: `bench-key-${key}`,
      status: random() < options.okShare ? 'resolved' : 'firing',
      community: communities[key % communities.length],
      severity: 'warning',
      summary: `hub ${key} answers /hub/health with 503`,
      labels: { region: key % 2 === 0 ? 'eu' : 'us', hub: `hub-${key}` },
    });
  };
}
