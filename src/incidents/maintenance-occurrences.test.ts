import { describe, expect, it } from 'vitest';
import { occurrenceAt, occurrencesBetween } from './maintenance-occurrences.js';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('occurrencesBetween', () => {
  it('returns a one-off window only when it overlaps the range', () => {
    const w = {
      startsAt: at('2026-11-22T02:00:00Z'),
      endsAt: at('2026-11-22T04:00:00Z'),
      repeat: null,
      repeatUntil: null,
    };
    expect(occurrencesBetween(w, at('2026-11-22T00:00:00Z'), at('2026-11-22T02:00:00Z'))).toEqual([]);
    expect(occurrencesBetween(w, at('2026-11-22T03:59:00Z'), at('2026-11-23T00:00:00Z'))).toEqual([
      { start: w.startsAt, end: w.endsAt },
    ]);
    expect(occurrencesBetween(w, w.endsAt, w.endsAt + H)).toEqual([]);
  });

  it('repeats weekly on the cron schedule, each occurrence as long as the first', () => {
    // Sundays 02:00 UTC, two hours each, starting Sunday 2026-11-22.
    const w = {
      startsAt: at('2026-11-22T02:00:00Z'),
      endsAt: at('2026-11-22T04:00:00Z'),
      repeat: '0 2 * * 0',
      repeatUntil: null,
    };
    const list = occurrencesBetween(w, at('2026-11-21T00:00:00Z'), at('2026-12-07T00:00:00Z'));
    expect(list.map((o) => new Date(o.start).toISOString())).toEqual([
      '2026-11-22T02:00:00.000Z',
      '2026-11-29T02:00:00.000Z',
      '2026-12-06T02:00:00.000Z',
    ]);
    for (const o of list) expect(o.end - o.start).toBe(2 * H);
  });

  it('includes an occurrence that started before the range and is still running', () => {
    const w = {
      startsAt: at('2026-11-22T02:00:00Z'),
      endsAt: at('2026-11-22T04:00:00Z'),
      repeat: '0 2 * * 0',
      repeatUntil: null,
    };
    expect(occurrenceAt(w, at('2026-11-29T03:00:00Z'))).toEqual({
      start: at('2026-11-29T02:00:00Z'),
      end: at('2026-11-29T04:00:00Z'),
    });
    expect(occurrenceAt(w, at('2026-11-29T04:00:00Z'))).toBeNull();
  });

  it('stops after repeat_until and never before starts_at', () => {
    const w = {
      startsAt: at('2026-11-22T02:00:00Z'),
      endsAt: at('2026-11-22T04:00:00Z'),
      repeat: '0 2 * * *',
      repeatUntil: at('2026-11-24T02:00:00Z'),
    };
    const list = occurrencesBetween(w, at('2026-11-01T00:00:00Z'), at('2026-12-01T00:00:00Z'));
    expect(list.map((o) => new Date(o.start).toISOString().slice(0, 10))).toEqual([
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
    ]);
  });
});
