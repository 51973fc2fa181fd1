import type { Kysely } from 'kysely';
import type { Schema } from './schema.js';

/**
 * Takes or renews a named lease (a settings row `lease:<name>` holding "<owner> <until>") so that one
 * process at a time does singleton work such as incident automation. Conditional update on the old value:
 * when two processes race, the row count says who won. True when `owner` holds the lease until now + ttlMs.
 */
export async function acquireLease(
  db: Kysely<Schema>,
  name: string,
  owner: string,
  now: number,
  ttlMs: number,
): Promise<boolean> {
  const key = `lease:${name}`;
  const value = `${owner} ${now + ttlMs}`;
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (!row) {
    const inserted = await db
      .insertInto('settings')
      .values({ key, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  const [holder, until] = row.value.split(' ');
  if (holder !== owner && Number(until) >= now) return false;
  const updated = await db
    .updateTable('settings')
    .set({ value, updated_at: now })
    .where('key', '=', key)
    .where('value', '=', row.value)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Gives a lease up at once (on shutdown) if `owner` holds it. */
export async function releaseLease(db: Kysely<Schema>, name: string, owner: string): Promise<void> {
  await db
    .deleteFrom('settings')
    .where('key', '=', `lease:${name}`)
    .where('value', 'like', `${owner} %`)
    .execute();
}
