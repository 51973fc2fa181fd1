import type { Kysely } from 'kysely';
import { DEFAULT_INCIDENT_POLICY, type IncidentPolicy } from '../incidents/incident-policy.js';
import type { IncidentSettings } from './incident-repository.js';
import { readUrgency, writeSetting } from './oncall-rows.js';
import type { Schema } from './schema.js';

/** The settings row that holds the IncidentPolicy (fleet config `incidents:`) as JSON. */
export const INCIDENTS_KEY = 'incidents';

/** The stored incident policy; DEFAULT_INCIDENT_POLICY for whatever is not stored (all of it without a row). */
export async function loadIncidentPolicy(db: Kysely<Schema>): Promise<IncidentPolicy> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', INCIDENTS_KEY)
    .executeTakeFirst();
  if (row === undefined) return DEFAULT_INCIDENT_POLICY;
  let stored: Partial<IncidentPolicy>;
  try {
    stored = JSON.parse(row.value) as Partial<IncidentPolicy>;
  } catch (error) {
    throw new Error('read incident policy: the stored value is not valid JSON', { cause: error });
  }
  return {
    automation: stored.automation ?? DEFAULT_INCIDENT_POLICY.automation,
    firstUpdate: stored.firstUpdate ?? DEFAULT_INCIDENT_POLICY.firstUpdate,
    quietPeriodMs: stored.quietPeriodMs ?? DEFAULT_INCIDENT_POLICY.quietPeriodMs,
    updateEveryMs: { ...DEFAULT_INCIDENT_POLICY.updateEveryMs, ...stored.updateEveryMs },
  };
}

/** Stores the incident policy (the whole value; loadIncidentPolicy reads it back). */
export async function writeIncidentPolicy(
  trx: Kysely<Schema>,
  policy: IncidentPolicy,
  now: number,
): Promise<void> {
  await writeSetting(trx, INCIDENTS_KEY, policy, now);
}

/**
 * IncidentSettings from the database: the stored urgency matrix and incident policy, with the page's
 * public URL and name as given (default: no URL, "Status").
 */
export async function loadIncidentSettings(
  db: Kysely<Schema>,
  page: { readonly pageUrl: string; readonly pageName: string } = { pageUrl: '', pageName: 'Status' },
): Promise<IncidentSettings> {
  return { matrix: await readUrgency(db), policy: await loadIncidentPolicy(db), ...page };
}
