import { formatDuration } from '../config/duration.js';
import type { EventsInWindowRule, RuleEvaluation, RuleEvaluator, RuleState } from './alert-rule.js';
import type { Signal } from './signal.js';

/**
 * `count` problem events within `windowMs` make the condition active ("2 server_start_failed
 * events within 30m"); it stays active through further events and through silence.
 *
 * - An event is a `problem` signal whose type is in `match.types` (any type when empty), timed
 *   by `occurredAt`. The window is inclusive: events exactly `windowMs` apart count.
 * - A reset is a signal whose type is in `resetTypes`, or, with `consecutive`, an `ok` signal of
 *   a matched type. It drops the events that occurred up to it and clears the condition.
 * - Late signals are placed by `occurredAt`: a late event joins the window it belongs to; an
 *   event older than the latest reset is ignored; a late reset drops only older events, and the
 *   condition stays active only if the newer events still make `count`. An event more than
 *   `windowMs` older than the newest kept one is dropped, even if later stragglers would have
 *   formed a window with it.
 * - Clock ticks change nothing. State data: `{ events, resetAt }` — at most `count` event times
 *   within `windowMs` of the newest, oldest first, and the time of the latest reset.
 */
export const evaluateEventsInWindow: RuleEvaluator<EventsInWindowRule> = (state, signal, rule, now) => {
  if (signal === null) return { state, changed: false, reason: null };
  const events = times(state.data.events);
  const resetAt = time(state.data.resetAt);
  if (isReset(signal, rule)) {
    const at = signal.occurredAt;
    const after = events.filter((t) => t > at);
    const active = state.active && after.length >= needed(rule);
    const reason = `reset by ${signal.type}${signal.status === 'ok' ? ' ok' : ''}`;
    return settle(state, active, { events: after, resetAt: Math.max(resetAt ?? at, at) }, now, reason);
  }
  const isEvent = signal.status === 'problem' && typeMatches(signal.type, rule);
  if (!isEvent || (resetAt !== null && signal.occurredAt < resetAt)) {
    return settle(state, state.active, state.data, now, null);
  }
  const kept = inWindow(insertSorted(events, signal.occurredAt), rule);
  const active = state.active || kept.length >= needed(rule);
  return settle(state, active, { events: kept, resetAt }, now, describe(kept.length, rule));
};

function isReset(signal: Signal, rule: EventsInWindowRule): boolean {
  if (rule.resetTypes.includes(signal.type)) return true;
  return rule.consecutive && signal.status === 'ok' && typeMatches(signal.type, rule);
}

function typeMatches(type: string, rule: EventsInWindowRule): boolean {
  return rule.match.types.length === 0 || rule.match.types.includes(type);
}

function needed(rule: EventsInWindowRule): number {
  return Math.max(1, rule.count);
}

function insertSorted(events: readonly number[], at: number): number[] {
  const index = events.findIndex((t) => t > at);
  return index === -1 ? [...events, at] : [...events.slice(0, index), at, ...events.slice(index)];
}

/** The newest `count` events within `windowMs` of the newest one. */
function inWindow(sorted: readonly number[], rule: EventsInWindowRule): number[] {
  const newest = sorted.at(-1);
  if (newest === undefined) return [];
  return sorted.filter((t) => newest - t <= rule.windowMs).slice(-needed(rule));
}

function settle(
  state: RuleState,
  active: boolean,
  data: RuleState['data'],
  now: number,
  reason: string | null,
): RuleEvaluation {
  const changed = active !== state.active;
  return {
    state: { active, since: changed ? now : state.since, lastSignalAt: now, data },
    changed,
    reason: changed ? reason : null,
  };
}

function describe(events: number, rule: EventsInWindowRule): string {
  const what = rule.match.types.length === 0 ? 'problem' : rule.match.types.join(' or ');
  const window = formatDuration(Math.max(0, Math.round(rule.windowMs)));
  return `${events} ${what} ${events === 1 ? 'event' : 'events'} within ${window}`;
}

function times(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  return value.filter((t): t is number => Number.isFinite(t)).sort((a, b) => a - b);
}

function time(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
