import { z } from 'zod';
import { type AlertingSettings, DEFAULT_ALERTING } from '../alerts/alerting-settings.js';
import type { FlapSettings } from '../rules/alert-rule.js';
import { SEVERITIES, type Severity } from '../rules/signal.js';
import { formatDuration } from './duration.js';
import { duration, durationOrOff, OFF } from './schema-parts.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** `P1` … `P4`. */
export const severity = z.enum(SEVERITIES);

const timeBox = durationOrOff('time box');

/** `flap: { max_changes, window }`; a part left out takes DEFAULT_ALERTING.flap's. */
export const flapSchema = z
  .strictObject({
    max_changes: z.int().min(1).max(100).nullish(),
    window: duration('flap window', MINUTE, DAY).nullish(),
  })
  .transform(
    (f): FlapSettings => ({
      maxChanges: f.max_changes ?? DEFAULT_ALERTING.flap.maxChanges,
      windowMs: f.window ?? DEFAULT_ALERTING.flap.windowMs,
    }),
  );

/** The top-level `alerting:` map → AlertingSettings; whatever it leaves out is DEFAULT_ALERTING's. */
export const alertingSchema = z
  .strictObject({
    time_boxes: z
      .strictObject({
        P1: timeBox.nullish(),
        P2: timeBox.nullish(),
        P3: timeBox.nullish(),
        P4: timeBox.nullish(),
      })
      .nullish(),
    flap: flapSchema.nullish(),
    default_severity: severity.nullish(),
  })
  .transform(
    (a): AlertingSettings => ({
      timeBoxes: Object.fromEntries(
        SEVERITIES.map((s) => {
          const written = a.time_boxes?.[s];
          return [s, written == null ? DEFAULT_ALERTING.timeBoxes[s] : written === OFF ? null : written];
        }),
      ) as Record<Severity, number | null>,
      flap: a.flap ?? DEFAULT_ALERTING.flap,
      defaultSeverity: a.default_severity ?? DEFAULT_ALERTING.defaultSeverity,
    }),
  );

/** Settings → the `alerting:` map, defaults left out; an empty map when everything is the default. */
export function alertingToFile(settings: AlertingSettings): Record<string, unknown> {
  const timeBoxes = Object.fromEntries(
    SEVERITIES.filter((s) => settings.timeBoxes[s] !== DEFAULT_ALERTING.timeBoxes[s]).map((s) => {
      const ms = settings.timeBoxes[s];
      return [s, ms === null ? OFF : formatDuration(ms)];
    }),
  );
  const flap = flapToFile(settings.flap);
  return {
    ...(Object.keys(timeBoxes).length > 0 ? { time_boxes: timeBoxes } : {}),
    ...(flap === null ? {} : { flap }),
    ...(settings.defaultSeverity === DEFAULT_ALERTING.defaultSeverity
      ? {}
      : { default_severity: settings.defaultSeverity }),
  };
}

/** Flap settings → `{ max_changes, window }` with default parts left out; null when all are defaults. */
export function flapToFile(flap: FlapSettings): Record<string, unknown> | null {
  const fields = {
    ...(flap.maxChanges === DEFAULT_ALERTING.flap.maxChanges ? {} : { max_changes: flap.maxChanges }),
    ...(flap.windowMs === DEFAULT_ALERTING.flap.windowMs ? {} : { window: formatDuration(flap.windowMs) }),
  };
  return Object.keys(fields).length > 0 ? fields : null;
}
