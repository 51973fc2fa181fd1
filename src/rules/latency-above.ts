import { formatDuration } from '../config/duration.js';
import type { LatencyRule, RuleEvaluator } from './alert-rule.js';
import { settleRule } from './settle-rule.js';

/**
 * Active once latency has been above `thresholdMs` continuously for `forMs`; a reading at or
 * below the threshold clears it and starts over.
 *
 * - Readings are `signal.latencyMs`, timed by `occurredAt`. A signal without a reading, or one
 *   older than the latest reading, leaves the state unchanged.
 * - "Above since" is the time of the first reading of the current run above the threshold. The
 *   run is judged at each reading's time and on clock ticks at `now`, so a run that started
 *   above fires after `forMs` even if no further reading arrives.
 * - State data: `{ aboveSince, latestAt, latestMs }`.
 */
export const evaluateLatency: RuleEvaluator<LatencyRule> = (state, signal, rule, now) => {
  const aboveSince = time(state.data.aboveSince);
  const latestAt = time(state.data.latestAt);
  if (signal === null) {
    const active = state.active || (aboveSince !== null && now - aboveSince >= rule.forMs);
    return settleRule(
      state,
      active,
      state.data,
      state.lastSignalAt,
      now,
      describeAbove(rule, state.data.latestMs),
    );
  }
  const latencyMs = signal.latencyMs;
  const at = signal.occurredAt;
  if (latencyMs === undefined || (latestAt !== null && at < latestAt)) {
    return { state, changed: false, reason: null };
  }
  if (latencyMs <= rule.thresholdMs) {
    const data = { aboveSince: null, latestAt: at, latestMs: latencyMs };
    const reason = `latency ${latencyMs}ms is at or below ${rule.thresholdMs}ms`;
    return settleRule(state, false, data, now, now, reason);
  }
  const since = aboveSince ?? at;
  const active = state.active || at - since >= rule.forMs;
  const data = { aboveSince: since, latestAt: at, latestMs: latencyMs };
  return settleRule(state, active, data, now, now, describeAbove(rule, latencyMs));
};

function describeAbove(rule: LatencyRule, latestMs: unknown): string {
  const lasted = formatDuration(Math.max(0, Math.round(rule.forMs)));
  const above = `latency above ${rule.thresholdMs}ms for ${lasted}`;
  return typeof latestMs === 'number' ? `${above} (latest ${latestMs}ms)` : above;
}

function time(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
