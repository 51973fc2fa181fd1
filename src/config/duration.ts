const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const HOW = 'write a whole number with a unit: 500ms, 30s, 5m, 1h or 14d (a bare number means seconds)';

/**
 * Milliseconds in a config duration: a string of a whole number and one unit (`500ms`, `30s`, `5m`,
 * `1h`, `14d`) or a number of whole seconds. Throws a RangeError that says how to write it.
 */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`invalid duration ${value} — ${HOW}`);
    }
    return checked(value * UNIT_MS.s, String(value));
  }
  const match = DURATION.exec(value);
  if (match === null) {
    throw new RangeError(`invalid duration ${JSON.stringify(value)} — ${HOW}`);
  }
  const unit = match[2] as keyof typeof UNIT_MS;
  return checked(Number(match[1]) * UNIT_MS[unit], value);
}

/** The shortest string parseDuration reads back as exactly `ms` (`30s`, `5m`, `1500ms`). */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(`formatDuration: expected a whole number of milliseconds ≥ 0, got ${ms}`);
  }
  if (ms === 0) return '0s';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

function checked(ms: number, written: string): number {
  if (!Number.isSafeInteger(ms)) {
    throw new RangeError(`duration ${JSON.stringify(written)} is too long — ${HOW}`);
  }
  return ms;
}
