/** One probe's time limit: an abort signal that fires at the deadline or when the outer signal aborts. */
export interface Deadline {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** True when the deadline (not the outer signal) aborted the probe. */
  readonly timedOut: () => boolean;
  readonly remainingMs: () => number;
  /** Clears the timer and the outer listener; call it when the probe ends. */
  readonly dispose: () => void;
}

/**
 * Starts a deadline of `timeoutMs`. A plain timer rather than AbortSignal.any/timeout: it is cleared when
 * the probe ends, so thousands of probes a minute leave no pending timers or listeners on a long-lived
 * outer signal.
 */
export function startDeadline(timeoutMs: number, outer: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  const endsAt = performance.now() + timeoutMs;
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const cancel = () => controller.abort(outer?.reason);
  if (outer?.aborted) cancel();
  else outer?.addEventListener('abort', cancel, { once: true });
  return {
    timeoutMs,
    signal: controller.signal,
    timedOut: () => expired,
    remainingMs: () => Math.max(0, Math.round(endsAt - performance.now())),
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', cancel);
    },
  };
}
