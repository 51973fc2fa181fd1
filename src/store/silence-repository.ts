import type { Kysely } from 'kysely';
import type { LabelMatcher } from '../rules/label-matcher.js';
import { newId } from './new-id.js';
import type { Schema, SilenceRow } from './schema.js';

/** A silence as the API shows it. */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly LabelMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly reason: string;
  readonly author: string;
  readonly createdAt: number;
  readonly expiredAt: number | null;
  /** pending (not started), active, or expired (ended or ended early). */
  readonly state: 'pending' | 'active' | 'expired';
}

/** Stores a new silence. */
export async function createSilence(
  db: Kysely<Schema>,
  input: {
    readonly matchers: readonly LabelMatcher[];
    readonly startsAt: number;
    readonly endsAt: number;
    readonly reason: string;
    readonly author: string;
  },
  now: number,
): Promise<Silence> {
  const row: SilenceRow = {
    id: newId('sil', now),
    matchers: JSON.stringify(input.matchers),
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    reason: input.reason,
    author: input.author,
    created_at: now,
    expired_at: null,
  };
  await db.insertInto('silences').values(row).execute();
  return toSilence(row, now);
}

/** Silences newest first; expired ones only when `all`. */
export async function listSilences(db: Kysely<Schema>, now: number, all: boolean): Promise<Silence[]> {
  let query = db.selectFrom('silences').selectAll();
  if (!all) query = query.where('ends_at', '>', now).where('expired_at', 'is', null);
  const rows = await query.orderBy('id', 'desc').limit(1000).execute();
  return rows.map((row) => toSilence(row, now));
}

export async function getSilence(db: Kysely<Schema>, id: string, now: number): Promise<Silence | null> {
  const row = await db.selectFrom('silences').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toSilence(row, now) : null;
}

/** Ends a silence now (the row stays, for the record). Returns null when there is no such silence. */
export async function expireSilence(db: Kysely<Schema>, id: string, now: number): Promise<Silence | null> {
  await db
    .updateTable('silences')
    .set({ expired_at: now })
    .where('id', '=', id)
    .where('expired_at', 'is', null)
    .execute();
  return getSilence(db, id, now);
}

function toSilence(row: SilenceRow, now: number): Silence {
  const ended = row.expired_at !== null || row.ends_at <= now;
  return {
    id: row.id,
    matchers: JSON.parse(row.matchers) as LabelMatcher[],
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    reason: row.reason,
    author: row.author,
    createdAt: row.created_at,
    expiredAt: row.expired_at,
    state: ended ? 'expired' : row.starts_at > now ? 'pending' : 'active',
  };
}
