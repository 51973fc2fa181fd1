import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId } from './new-id.js';
import type { Schema } from './schema.js';

/** What a link in a notification does. */
export type LinkAction = 'acknowledge' | 'resolve';

const hash = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Makes one single-use link token per action for `person` on `page`; only hashes are stored.
 * Returns the raw tokens (they go into the message and nowhere else).
 */
export async function createActionTokens(
  db: Kysely<Schema>,
  input: {
    readonly personKey: string;
    readonly pageId: string;
    readonly now: number;
    readonly ttlMs: number;
  },
  actions: readonly LinkAction[],
): Promise<Record<LinkAction, string>> {
  const tokens = {} as Record<LinkAction, string>;
  const rows = actions.map((action) => {
    const token = randomBytes(24).toString('base64url');
    tokens[action] = token;
    return {
      id: newId('atk', input.now),
      token_hash: hash(token),
      person_key: input.personKey,
      action,
      page_id: input.pageId,
      expires_at: input.now + input.ttlMs,
      used_at: null,
      created_at: input.now,
    };
  });
  await db.insertInto('action_tokens').values(rows).execute();
  return tokens;
}

/** A token as found, before use: who may do what to which page, and whether it still works. */
export interface ActionTokenView {
  readonly personKey: string;
  readonly action: LinkAction;
  readonly pageId: string;
  readonly state: 'usable' | 'used' | 'expired';
}

/** Looks a raw token up without using it (the confirmation page); null when unknown. */
export async function findActionToken(
  db: Kysely<Schema>,
  token: string,
  now: number,
): Promise<ActionTokenView | null> {
  const row = await db
    .selectFrom('action_tokens')
    .selectAll()
    .where('token_hash', '=', hash(token))
    .executeTakeFirst();
  if (!row) return null;
  const state = row.used_at !== null ? 'used' : Number(row.expires_at) <= now ? 'expired' : 'usable';
  return { personKey: row.person_key, action: row.action as LinkAction, pageId: row.page_id, state };
}

/**
 * Uses a token: marks it used if it is usable, atomically (a second click, from any process,
 * finds it used). Returns the token's view as it was, or null when unknown.
 */
export async function useActionToken(
  db: Kysely<Schema>,
  token: string,
  now: number,
): Promise<ActionTokenView | null> {
  const found = await findActionToken(db, token, now);
  if (found?.state !== 'usable') return found;
  const result = await db
    .updateTable('action_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hash(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? found : { ...found, state: 'used' };
}
