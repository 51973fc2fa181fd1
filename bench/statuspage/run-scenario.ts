import autocannon from 'autocannon';
import type { BenchChild } from './bench-child.js';
import type { ServerStats } from './server-stats.js';

/** One load pattern: a URL hammered with fixed headers, optionally while components flip. */
export interface Scenario {
  readonly name: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The server child answering `url` (for its stats, and flips when it is Firewatch). */
  readonly server: BenchChild;
  /** Flip a component this often during the scenario (warm-up included); 0 for never. */
  readonly flipEveryMs: number;
}

/** What one scenario measured. */
export interface ScenarioFigures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly non2xx: number;
  readonly errors: number;
  /** Server CPU (user + system) per answered request, µs. */
  readonly cpuUsPerRequest: number;
  readonly server: ServerStats;
}

/**
 * Runs autocannon against the scenario's URL for `warmupS` (discarded), then `durationS` measured with
 * `connections` connections, collecting the server's own figures for the measured window.
 */
export async function runScenario(
  scenario: Scenario,
  options: { readonly connections: number; readonly durationS: number; readonly warmupS: number },
): Promise<ScenarioFigures> {
  const load = (duration: number) =>
    autocannon({
      url: scenario.url,
      connections: options.connections,
      duration,
      headers: { ...scenario.headers },
    });
  if (scenario.flipEveryMs > 0) scenario.server.send({ type: 'flip', everyMs: scenario.flipEveryMs });
  try {
    await load(options.warmupS);
    scenario.server.send({ type: 'reset' });
    const result = await load(options.durationS);
    const server = await scenario.server.stats();
    return {
      requestsPerSecond: result.requests.mean,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      maxMs: result.latency.max,
      non2xx: result.non2xx,
      errors: result.errors,
      cpuUsPerRequest: (server.cpuMs * 1_000) / Math.max(1, result.requests.total),
      server,
    };
  } finally {
    if (scenario.flipEveryMs > 0) scenario.server.send({ type: 'flip', everyMs: 0 });
  }
}
