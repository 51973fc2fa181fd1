import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema.js';
import { type TokenIdentity, type TokenScope, verifyToken } from '../store/token-repository.js';
import { ApiError } from './errors.js';

/**
 * Checks the request's `Authorization: Bearer <token>` and that the token holds
 * `scope` (or admin). Throws ApiError 401/403 saying what to do. With `queryToken`, a
 * `?token=<token>` query parameter works too when there is no header: for calendar feeds,
 * which calendar apps fetch by URL alone.
 */
export async function requireScope(
  db: Kysely<Schema>,
  request: FastifyRequest,
  scope: TokenScope,
  options: { readonly queryToken?: boolean } = {},
): Promise<TokenIdentity> {
  const header = request.headers.authorization;
  const fromQuery = options.queryToken
    ? (request.query as { token?: unknown } | undefined)?.token
    : undefined;
  const token =
    header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? (typeof fromQuery === 'string' ? fromQuery : undefined);
  if (!token) {
    const alternative = options.queryToken ? ' or add ?token=<token> to the URL' : '';
    throw new ApiError('unauthorized', 'this endpoint needs an API token', {
      hint: `send "Authorization: Bearer <token>"${alternative}; create one with \`firewatch token create --name NAME\``,
    });
  }
  const identity = await verifyToken(db, token);
  if (!identity) {
    throw new ApiError('unauthorized', 'the API token is unknown or revoked', {
      hint: 'check the token, or create a new one with `firewatch token create --name NAME`',
    });
  }
  if (!identity.scopes.includes(scope) && !identity.scopes.includes('admin')) {
    throw new ApiError('forbidden', `the API token "${identity.name}" lacks the "${scope}" scope`, {
      hint: `create a token with --scopes ${scope}`,
    });
  }
  return identity;
}
