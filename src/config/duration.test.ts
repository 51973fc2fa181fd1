import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads milliseconds, seconds, minutes and hours', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('14d')).toBe(14 * 86_400_000);
    expect(parseDuration('0s')).toBe(0);
  });

  it('reads a bare number as whole seconds', () => {
    expect(parseDuration(45)).toBe(45_000);
  });

  it.each(['30', '30 s', '1.5s', '-1s', '5min', '1w', 'S30', ''])(
    'rejects %j and says how to write a duration',
    (text) => {
      expect(() => parseDuration(text)).toThrow(
        /invalid duration .* — write a whole number with a unit: 500ms, 30s/,
      );
    },
  );

  it('rejects fractional and negative numbers of seconds', () => {
    expect(() => parseDuration(1.5)).toThrow(RangeError);
    expect(() => parseDuration(-2)).toThrow(RangeError);
  });

  it('rejects durations too long to be exact', () => {
    expect(() => parseDuration('9999999999999999h')).toThrow(/too long/);
  });
});

describe('formatDuration', () => {
  it('writes the largest unit that is exact', () => {
    expect(formatDuration(30_000)).toBe('30s');
    expect(formatDuration(300_000)).toBe('5m');
    expect(formatDuration(7_200_000)).toBe('2h');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(1500)).toBe('1500ms');
    expect(formatDuration(0)).toBe('0s');
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1, 999, 1000, 61_000, 3_540_000, 86_400_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });

  it('refuses values it cannot write exactly', () => {
    expect(() => formatDuration(1.5)).toThrow(RangeError);
    expect(() => formatDuration(-1)).toThrow(RangeError);
  });
});
