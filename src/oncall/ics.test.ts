import { describe, expect, it } from 'vitest';
import { scheduleCalendar } from './ics.js';
import type { Shift } from './schedule.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const SHIFTS: readonly Shift[] = [
  {
    start: Date.parse('2026-03-07T14:00:00Z'),
    end: Date.parse('2026-03-08T13:00:00Z'),
    users: ['ada'],
    layer: 'daytime',
  },
  {
    start: Date.parse('2026-03-08T13:00:00Z'),
    end: Date.parse('2026-03-08T15:00:00Z'),
    users: [],
    layer: null,
  },
  {
    start: Date.parse('2026-03-08T15:00:00Z'),
    end: Date.parse('2026-03-09T13:00:00Z'),
    users: ['bob', 'zed'],
    layer: null,
  },
];

function calendar(overrides: Partial<Parameters<typeof scheduleCalendar>[0]> = {}): string {
  return scheduleCalendar({
    name: 'Primary',
    shifts: SHIFTS,
    describe: (user) => `${user.toUpperCase()} (${user})`,
    uidPrefix: 'schedule-primary',
    now: NOW,
    ...overrides,
  });
}

/** Undoes RFC 5545 line folding. */
const unfold = (text: string): string => text.replace(/\r\n /g, '');

describe('scheduleCalendar', () => {
  it('writes one event per shift and user, in UTC, with CRLF line endings', () => {
    const event = (uid: string, start: string, end: string, who: string): string[] => [
      'BEGIN:VEVENT',
      `UID:schedule-primary-${uid}@firewatch`,
      'DTSTAMP:20260301T120000Z',
      `DTSTART:${start}`,
      `DTEND:${end}`,
      'SUMMARY:On call: Primary',
      `DESCRIPTION:${who}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    ];
    expect(calendar()).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Firewatch//On-call schedules//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'X-WR-CALNAME:Primary',
        'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
        'X-PUBLISHED-TTL:PT1H',
        ...event('1772892000000-ada', '20260307T140000Z', '20260308T130000Z', 'ADA (ada)'),
        ...event('1772982000000-bob', '20260308T150000Z', '20260309T130000Z', 'BOB (bob)'),
        ...event('1772982000000-zed', '20260308T150000Z', '20260309T130000Z', 'ZED (zed)'),
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });

  it('keeps UIDs stable across exports at different times', () => {
    const uids = (text: string) => text.split('\r\n').filter((line) => line.startsWith('UID:'));
    expect(uids(calendar({ now: NOW + 3_600_000 }))).toEqual(uids(calendar()));
  });

  it('uses the prodId it is given', () => {
    expect(calendar({ prodId: '-//Example//Hub//EN' })).toContain('\r\nPRODID:-//Example//Hub//EN\r\n');
  });

  it('writes an empty calendar when nobody is on call', () => {
    expect(calendar({ shifts: [SHIFTS[1] as Shift] })).not.toContain('VEVENT');
  });

  it('escapes backslashes, semicolons, commas and line breaks in text', () => {
    const text = calendar({ name: 'Ops; EU, nights\\weekends', describe: () => 'line one\nline two' });
    expect(text).toContain('\r\nSUMMARY:On call: Ops\\; EU\\, nights\\\\weekends\r\n');
    expect(text).toContain('\r\nX-WR-CALNAME:Ops\\; EU\\, nights\\\\weekends\r\n');
    expect(text).toContain('\r\nDESCRIPTION:line one\\nline two\r\n');
  });

  it('folds lines longer than 75 octets without splitting a character', () => {
    const long = `Ingénieure d’astreinte — ${'é'.repeat(60)} — 東京オフィス ${'x'.repeat(40)}`;
    const text = calendar({ describe: () => long });
    const lines = text.split('\r\n');
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    expect(unfold(text)).toContain(`\r\nDESCRIPTION:${long}\r\n`);
    expect(text).not.toContain('\uFFFD');
  });
});
