import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId } from './new-id.js';
import type { Schema } from './schema.js';

/** What a token may do. `admin` implies every other scope. */
export const TOKEN_SCOPES = ['read', 'write', 'metrics', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** A verified token: who it is, and what it may do. */
export interface TokenIdentity {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly TokenScope[];
}

/** Only the SHA-256 of a token is stored; the token itself is shown once, at creation. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new random token, `fw_` + 43 URL-safe characters (256 bits). */
export function generateToken(): string {
  return `fw_${randomBytes(32).toString('base64url')}`;
}

/** Stores `token` (or a new random one) under `name`; returns the plaintext token. */
export async function createToken(
  db: Kysely<Schema>,
  options: { name: string; scopes: readonly TokenScope[]; now: number; token?: string },
): Promise<string> {
  const token = options.token ?? generateToken();
  await db
    .insertInto('api_tokens')
    .values({
      id: newId('tok', options.now),
      name: options.name,
      token_hash: hashToken(token),
      scopes: options.scopes.join(' '),
      created_at: options.now,
      last_used_at: null,
      revoked_at: null,
    })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .execute();
  return token;
}

/** The identity behind a presented token, or null when unknown or revoked. */
export async function verifyToken(db: Kysely<Schema>, token: string): Promise<TokenIdentity | null> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scopes'])
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes
      .split(' ')
      .filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s)),
  };
}

/** Number of tokens that still work. */
export async function countActiveTokens(db: Kysely<Schema>): Promise<number> {
  const row = await db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
