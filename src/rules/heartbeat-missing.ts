import type { HeartbeatMissingRule, RuleEvaluator } from './alert-rule.js';
import { settleRule } from './settle-rule.js';

const UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
] as const;

/**
 * Active when the expected signal stops coming, or when the job says it failed.
 *
 * - An `ok` signal is a heartbeat: it records `lastSignalAt` (arrival time, `now`, so a sender's
 *   clock cannot raise a false alarm) and clears the condition.
 * - A `problem` signal is the job reporting failure: active at once (and it too counts as contact).
 * - On a clock tick, more than `expectEveryMs + graceMs` since `lastSignalAt` → active
 *   ("no backup_done for 1h10m").
 * - Before the first signal nothing fires: without one there is no time to expect the next from.
 *   Start monitoring a job by sending one heartbeat.
 */
export const evaluateHeartbeatMissing: RuleEvaluator<HeartbeatMissingRule> = (state, signal, rule, now) => {
  if (signal !== null) {
    const active = signal.status === 'problem';
    const reason = active ? failed(signal.type, signal.summary) : `${signal.type} arrived`;
    return settleRule(state, active, state.data, now, now, reason);
  }
  if (state.lastSignalAt === null || state.active) return { state, changed: false, reason: null };
  const silent = now - state.lastSignalAt;
  if (silent <= rule.expectEveryMs + rule.graceMs) return { state, changed: false, reason: null };
  const what = rule.match.types.length === 0 ? 'signal' : rule.match.types.join(' or ');
  return settleRule(
    state,
    true,
    state.data,
    state.lastSignalAt,
    now,
    `no ${what} for ${describeSilence(silent)}`,
  );
};

function failed(type: string, summary: string): string {
  return summary === '' ? `${type} reported a failure` : `${type} reported a failure: ${summary}`;
}

/** A silence in the largest whole units, to the second: `1h10m`, `2d3h`, `45s`. */
function describeSilence(ms: number): string {
  let rest = Math.floor(ms / 1000) * 1000;
  let text = '';
  for (const [unit, size] of UNITS) {
    const whole = Math.floor(rest / size);
    if (whole > 0) text += `${whole}${unit}`;
    rest -= whole * size;
  }
  return text === '' ? '0s' : text;
}
