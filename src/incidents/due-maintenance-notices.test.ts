import { describe, expect, it } from 'vitest';
import { dueMaintenanceNotices, type NoticeWindow } from './due-maintenance-notices.js';

const H = 3_600_000;
const M = 60_000;
const at = (iso: string) => Date.parse(iso);

const START = at('2026-11-22T02:00:00Z');
const ONE_OFF: NoticeWindow = {
  startsAt: START,
  endsAt: START + 2 * H,
  repeat: null,
  repeatUntil: null,
  notifyBeforeMs: 24 * H,
  createdAt: START - 72 * H,
};

const phases = (window: NoticeWindow, now: number) =>
  dueMaintenanceNotices(window, now).map((d) => [new Date(d.occurrence.start).toISOString(), d.phase]);

describe('dueMaintenanceNotices', () => {
  it('is due ahead from start minus notify_before, at the start, and at the end — each for an hour', () => {
    expect(phases(ONE_OFF, START - 25 * H)).toEqual([]);
    expect(phases(ONE_OFF, START - 24 * H)).toEqual([['2026-11-22T02:00:00.000Z', 'ahead']]);
    expect(phases(ONE_OFF, START - 23 * H - 30 * M)).toEqual([['2026-11-22T02:00:00.000Z', 'ahead']]);
    expect(phases(ONE_OFF, START - 22 * H)).toEqual([]);
    expect(phases(ONE_OFF, START + 10 * M)).toEqual([['2026-11-22T02:00:00.000Z', 'started']]);
    expect(phases(ONE_OFF, START + 90 * M)).toEqual([]);
    expect(phases(ONE_OFF, START + 2 * H)).toEqual([['2026-11-22T02:00:00.000Z', 'completed']]);
    expect(phases(ONE_OFF, START + 3 * H + 1)).toEqual([]);
  });

  it('warns at once about a window made with less notice than notify_before', () => {
    const late = { ...ONE_OFF, createdAt: START - 2 * H };
    expect(phases(late, START - 2 * H)).toEqual([['2026-11-22T02:00:00.000Z', 'ahead']]);
  });

  it('sends nothing ahead when notify_before is off', () => {
    expect(phases({ ...ONE_OFF, notifyBeforeMs: 0 }, START - H)).toEqual([]);
    expect(phases({ ...ONE_OFF, notifyBeforeMs: 0 }, START)).toEqual([
      ['2026-11-22T02:00:00.000Z', 'started'],
    ]);
  });

  it('never backfills occurrences long past', () => {
    const weekly = {
      ...ONE_OFF,
      repeat: '0 2 * * 0',
      createdAt: START - 365 * 24 * H,
      startsAt: START - 52 * 7 * 24 * H,
      endsAt: START - 52 * 7 * 24 * H + 2 * H,
    };
    // Hours after an occurrence ended: nothing, although 52 of them lie in the past.
    expect(phases(weekly, START + 5 * H)).toEqual([]);
    // The next one is announced a day ahead, and its end is told.
    expect(phases(weekly, START + 6 * 24 * H + 30 * M)).toEqual([['2026-11-29T02:00:00.000Z', 'ahead']]);
    expect(phases(weekly, at('2026-11-29T04:30:00Z'))).toEqual([['2026-11-29T02:00:00.000Z', 'completed']]);
  });
});
