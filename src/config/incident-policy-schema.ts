import { z } from 'zod';
import { DEFAULT_INCIDENT_POLICY, type IncidentPolicy } from '../incidents/incident-policy.js';
import { IMPACTS, type Impact } from '../oncall/urgency-matrix.js';
import { formatDuration } from './duration.js';
import { duration, durationOrOff, OFF } from './schema-parts.js';

const DAY = 86_400_000;

const cadence = durationOrOff('update cadence');

/**
 * The top-level `incidents:` map → IncidentPolicy: `automation` (bool), `first_update` (publish |
 * draft), `quiet_period` (5s to 24h), `update_every` per impact (1m to 24h, or off). Whatever it
 * leaves out is DEFAULT_INCIDENT_POLICY's.
 */
export const incidentPolicySchema = z
  .strictObject({
    automation: z.boolean().nullish(),
    first_update: z.enum(['publish', 'draft']).nullish(),
    // Seconds are allowed so demos and tests can watch a whole incident; production wants minutes.
    quiet_period: duration('quiet period', 5_000, DAY).nullish(),
    update_every: z
      .strictObject({
        critical: cadence.nullish(),
        major: cadence.nullish(),
        minor: cadence.nullish(),
        none: cadence.nullish(),
      })
      .nullish(),
  })
  .transform(
    (i): IncidentPolicy => ({
      automation: i.automation ?? DEFAULT_INCIDENT_POLICY.automation,
      firstUpdate: i.first_update ?? DEFAULT_INCIDENT_POLICY.firstUpdate,
      quietPeriodMs: i.quiet_period ?? DEFAULT_INCIDENT_POLICY.quietPeriodMs,
      updateEveryMs: Object.fromEntries(
        IMPACTS.map((impact) => {
          const written = i.update_every?.[impact];
          const ms =
            written == null
              ? DEFAULT_INCIDENT_POLICY.updateEveryMs[impact]
              : written === OFF
                ? null
                : written;
          return [impact, ms];
        }),
      ) as Record<Impact, number | null>,
    }),
  );

/** Policy → the `incidents:` map, defaults left out; an empty map when everything is the default. */
export function incidentPolicyToFile(policy: IncidentPolicy): Record<string, unknown> {
  const defaults = DEFAULT_INCIDENT_POLICY;
  const updateEvery = Object.fromEntries(
    IMPACTS.filter((impact) => policy.updateEveryMs[impact] !== defaults.updateEveryMs[impact]).map(
      (impact) => {
        const ms = policy.updateEveryMs[impact];
        return [impact, ms === null ? OFF : formatDuration(ms)];
      },
    ),
  );
  return {
    ...(policy.automation === defaults.automation ? {} : { automation: policy.automation }),
    ...(policy.firstUpdate === defaults.firstUpdate ? {} : { first_update: policy.firstUpdate }),
    ...(policy.quietPeriodMs === defaults.quietPeriodMs
      ? {}
      : { quiet_period: formatDuration(policy.quietPeriodMs) }),
    ...(Object.keys(updateEvery).length > 0 ? { update_every: updateEvery } : {}),
  };
}
