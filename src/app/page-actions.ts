import type { AlertingSettings } from '../alerts/alerting-settings.js';
import { type ActionTokenView, findActionToken, useActionToken } from '../store/action-token-repository.js';
import { AlertActionError } from '../store/alert-action-error.js';
import { acknowledgeAlert, resolveAlertByHand } from '../store/alert-actions.js';
import type { Database } from '../store/database.js';

/** What following a link in a notification did. */
export type LinkOutcome =
  | { readonly kind: 'done'; readonly token: ActionTokenView; readonly alerts: number }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'used' | 'expired'; readonly token: ActionTokenView };

/** Reads a link's token for the confirmation page, without using it. */
export async function inspectLink(database: Database, token: string, now: number): Promise<LinkOutcome> {
  const found = await findActionToken(database.db, token, now);
  if (!found) return { kind: 'unknown' };
  return found.state === 'usable'
    ? { kind: 'done', token: found, alerts: 0 }
    : { kind: found.state, token: found };
}

/**
 * Uses a link once: acknowledges (the person becomes the owner of every firing alert of the
 * page's group) or resolves every open alert of the group, as the person the link was made for.
 */
export async function followLink(
  database: Database,
  settings: AlertingSettings,
  token: string,
  now: number,
): Promise<LinkOutcome> {
  const used = await useActionToken(database.db, token, now);
  if (!used) return { kind: 'unknown' };
  if (used.state !== 'usable') return { kind: used.state, token: used };
  const page = await database.db
    .selectFrom('pages')
    .select('group_id')
    .where('id', '=', used.pageId)
    .executeTakeFirst();
  if (!page) return { kind: 'unknown' };
  const statuses = used.action === 'acknowledge' ? ['firing'] : ['firing', 'acknowledged'];
  const alerts = await database.db
    .selectFrom('alerts')
    .select('id')
    .where('group_id', '=', page.group_id)
    .where('status', 'in', statuses)
    .orderBy('id')
    .execute();
  const actor = { name: used.personKey, now };
  let done = 0;
  for (const { id } of alerts) {
    try {
      if (used.action === 'acknowledge') {
        await acknowledgeAlert(database.db, database.capabilities, id, actor, { settings });
      } else {
        const note = 'resolved from a notification link';
        await resolveAlertByHand(database.db, database.capabilities, id, actor, note);
      }
      done++;
    } catch (error) {
      // Someone else acknowledged or resolved this one a moment ago: theirs stands, go on.
      if (!(error instanceof AlertActionError)) throw error;
    }
  }
  return { kind: 'done', token: used, alerts: done };
}
