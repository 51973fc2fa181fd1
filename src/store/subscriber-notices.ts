import type { Kysely, Transaction } from 'kysely';
import type { Capabilities } from './capabilities.js';
import type { Database } from './database.js';
import type { Schema } from './schema.js';

// Placeholder while the subscriptions work lands: the signatures are the contract.

/** Enqueues one notice per confirmed subscriber whose scope covers the incident, for a published update. */
export async function enqueueIncidentNotices(
  _tx: Kysely<Schema> | Transaction<Schema>,
  _capabilities: Capabilities,
  _input: { readonly incidentId: string; readonly updateId: string },
  _page: { readonly pageUrl: string; readonly pageName: string },
  _now: number,
): Promise<number> {
  return 0;
}

/** Enqueues ahead/start/end notices for maintenance occurrences that are due. */
export async function enqueueMaintenanceNotices(
  _database: Database,
  _page: { readonly pageUrl: string; readonly pageName: string },
  _now: number,
): Promise<number> {
  return 0;
}
