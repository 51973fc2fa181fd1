/**
 * Polls `probe` every `pollMs` until it returns something other than undefined, and returns that with
 * how long it took; throws after `deadlineMs`, naming `what` and the probe's last error.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  deadlineMs: number,
  pollMs = 200,
): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  let last: unknown;
  while (Date.now() - start < deadlineMs) {
    try {
      const value = await probe();
      if (value !== undefined) return { value, ms: Date.now() - start };
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(
    `timed out after ${deadlineMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`,
  );
}
