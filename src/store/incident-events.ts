import type { Kysely, Transaction } from 'kysely';
import type { IncidentEventKind } from '../incidents/incident.js';
import { newId } from './new-id.js';
import type { Schema } from './schema.js';

/** One timeline row for an incident. Write it in the same transaction as the change it records. */
export interface IncidentEventInput {
  readonly incidentId: string;
  readonly kind: IncidentEventKind;
  /** Who did it: a person key, `automation`, `community`, or an API token name. */
  readonly actor: string;
  /** One sentence a human reads in the timeline ("Status changed from investigating to identified"). */
  readonly summary: string;
  readonly data?: Readonly<Record<string, unknown>> | null;
  readonly at: number;
}

/** Appends events to incidents' timelines (append-only: never updated or deleted). */
export async function recordIncidentEvents(
  db: Kysely<Schema> | Transaction<Schema>,
  events: readonly IncidentEventInput[],
): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('incident_events')
    .values(
      events.map((e) => ({
        id: newId('iev', e.at),
        incident_id: e.incidentId,
        kind: e.kind,
        actor: e.actor,
        summary: e.summary,
        data: e.data ? JSON.stringify(e.data) : null,
        at: e.at,
      })),
    )
    .execute();
}
