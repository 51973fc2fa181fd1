import type { Kysely } from 'kysely';
import type { IncidentPolicy } from '../incidents/incident-policy.js';
import type { Person } from '../oncall/person.js';
import type { Impact } from '../oncall/urgency-matrix.js';
import type { Capabilities } from './capabilities.js';
import { recordIncidentEvents } from './incident-events.js';
import { enqueueNotifications, type NewNotification } from './outbox-repository.js';
import type { Schema } from './schema.js';

/** One reminder sent: which incident, to whom (null when it has no commander), and when the next is due. */
export interface UpdateReminder {
  readonly incidentId: string;
  readonly commander: string | null;
  readonly nextDueAt: number;
}

/**
 * Reminds the commander of every open, published incident whose next public update is overdue: one
 * `update_due` timeline event and one notification per contact method, then the due time moves on by the
 * policy's cadence (so an incident nobody updates reminds again every period). The move is a conditional
 * update on the old due time: with several processes, one of them reminds.
 */
export async function remindUpdatesDue(
  db: Kysely<Schema>,
  capabilities: Capabilities,
  people: ReadonlyMap<string, Person>,
  policy: IncidentPolicy,
  pageUrl: string,
  now: number,
): Promise<UpdateReminder[]> {
  const due = await db
    .selectFrom('incidents')
    .select(['id', 'title', 'impact', 'commander', 'next_update_due_at', 'version'])
    .where('status', 'in', ['investigating', 'identified', 'monitoring'])
    .where('published_at', 'is not', null)
    .where('next_update_due_at', '<=', now)
    .execute();
  const sent: UpdateReminder[] = [];
  for (const incident of due) {
    const dueAt = Number(incident.next_update_due_at);
    const every = policy.updateEveryMs[incident.impact as Impact] ?? null;
    const nextDueAt = every === null ? null : Math.max(now, dueAt) + every;
    const reminded = await db.transaction().execute(async (tx) => {
      const moved = await tx
        .updateTable('incidents')
        .set((eb) => ({
          next_update_due_at: nextDueAt,
          update_reminders: eb('update_reminders', '+', 1),
          version: eb('version', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', incident.id)
        .where('next_update_due_at', '=', dueAt)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) return false; // another process reminded, or an update came in
      const who = incident.commander;
      await recordIncidentEvents(tx, [
        {
          incidentId: incident.id,
          kind: 'update_due',
          actor: 'automation',
          summary:
            who === null
              ? 'A public update is due; the incident has no commander to remind'
              : `A public update is due: reminded ${who}`,
          data: { due_at: dueAt, next_due_at: nextDueAt },
          at: now,
        },
      ]);
      const person = who === null ? undefined : people.get(who);
      if (person) {
        const url = `${pageUrl.replace(/\/$/, '')}/incidents/${incident.id}`;
        const notifications: NewNotification[] = person.contactMethods.map((method) => ({
          dedupKey: `inc:${incident.id}:due:${dueAt}:${person.key}:${method.key}`,
          pageId: null,
          alertId: null,
          personKey: person.key,
          method,
          reason: 'incident_update_due',
          urgency: 'low',
          deliverAt: now,
          message: {
            kind: 'notify',
            urgency: 'low',
            title: `Update due: ${incident.title}`,
            text:
              `You are the commander of "${incident.title}" (${incident.impact} impact). ` +
              `Its next public update was due at ${new Date(dueAt).toISOString()}: post one, even if nothing changed.`,
            url,
            actions: [{ label: 'Open the incident', url }],
            data: { incident_id: incident.id, due_at: dueAt },
            at: now,
          },
        }));
        await enqueueNotifications(tx, capabilities, notifications, now);
      }
      return true;
    });
    if (reminded)
      sent.push({ incidentId: incident.id, commander: incident.commander, nextDueAt: nextDueAt ?? 0 });
  }
  return sent;
}
