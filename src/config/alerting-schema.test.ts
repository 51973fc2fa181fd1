import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERTING } from '../alerts/alerting-settings.js';
import { alertingSchema, alertingToFile } from './alerting-schema.js';

describe('alertingSchema', () => {
  it('gives the defaults for an empty section', () => {
    expect(alertingSchema.parse({})).toEqual(DEFAULT_ALERTING);
  });

  it('reads time boxes as durations or off, keeping the default of severities left out or null', () => {
    const settings = alertingSchema.parse({ time_boxes: { P1: '15m', P3: 'off', P4: null } });
    expect(settings.timeBoxes).toEqual({ P1: 900_000, P2: null, P3: null, P4: 1_800_000 });
  });

  it('fills in the flap part a file leaves out', () => {
    expect(alertingSchema.parse({ flap: { window: '1h' } }).flap).toEqual({
      maxChanges: 6,
      windowMs: 3_600_000,
    });
  });

  it('refuses a time box outside 1m to 24h and one that is no duration', () => {
    const issues = alertingSchema.safeParse({ time_boxes: { P1: '30s', P2: 'never', P3: '2d' } }).error
      ?.issues;
    expect(issues?.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['time_boxes.P1', 'time box 30s is out of range — write a duration from 1m to 24h (e.g. 30m) or off'],
      ['time_boxes.P2', 'invalid time box "never" — write a duration from 1m to 24h (e.g. 30m) or off'],
      ['time_boxes.P3', 'time box 2d is out of range — write a duration from 1m to 24h (e.g. 30m) or off'],
    ]);
  });
});

describe('alertingToFile', () => {
  it('writes nothing for the defaults', () => {
    expect(alertingToFile(DEFAULT_ALERTING)).toEqual({});
  });

  it('writes only what differs, and reads back equal', () => {
    const file = { time_boxes: { P1: '15m', P3: 'off' }, flap: { max_changes: 3 }, default_severity: 'P2' };
    const settings = alertingSchema.parse(file);
    expect(alertingToFile(settings)).toEqual(file);
    expect(alertingSchema.parse(alertingToFile(settings))).toEqual(settings);
  });
});
