import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { LastPing, PingKind } from '../checks/heartbeat-spec.js';
import { newId } from './new-id.js';
import type { Schema } from './schema.js';

/** Gives every heartbeat monitor without a ping token a new random one (kept for the monitor's life). */
export async function ensureHeartbeatTokens(db: Kysely<Schema>, now: number): Promise<void> {
  const missing = await db
    .selectFrom('monitors')
    .leftJoin('heartbeat_tokens', 'heartbeat_tokens.monitor_id', 'monitors.id')
    .select('monitors.id')
    .where('monitors.type', '=', 'heartbeat')
    .where('heartbeat_tokens.token', 'is', null)
    .execute();
  for (let i = 0; i < missing.length; i += 500) {
    await db
      .insertInto('heartbeat_tokens')
      .values(
        missing.slice(i, i + 500).map((m) => ({
          monitor_id: m.id,
          token: randomBytes(18).toString('base64url'),
          created_at: now,
        })),
      )
      .execute();
  }
  // Tokens of deleted monitors stop working at once.
  await db
    .deleteFrom('heartbeat_tokens')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('monitors')
            .select('monitors.id')
            .whereRef('monitors.id', '=', 'heartbeat_tokens.monitor_id'),
        ),
      ),
    )
    .execute();
}

/** The heartbeat monitor a ping token belongs to, or null. */
export async function monitorForToken(
  db: Kysely<Schema>,
  token: string,
): Promise<{ id: string; ref: string } | null> {
  const row = await db
    .selectFrom('heartbeat_tokens')
    .innerJoin('monitors', 'monitors.id', 'heartbeat_tokens.monitor_id')
    .select(['monitors.id', 'monitors.ref'])
    .where('heartbeat_tokens.token', '=', token)
    .executeTakeFirst();
  return row ?? null;
}

/** Appends one ping. */
export async function recordPing(
  db: Kysely<Schema>,
  ping: { monitorId: string; kind: PingKind; at: number; source: string | null },
): Promise<void> {
  await db
    .insertInto('heartbeat_pings')
    .values({
      id: newId('png', ping.at),
      monitor_id: ping.monitorId,
      kind: ping.kind,
      at: ping.at,
      source: ping.source,
    })
    .execute();
}

/** The latest ping of a monitor, or null when none came (or all were pruned). */
export async function lastPing(db: Kysely<Schema>, monitorId: string): Promise<LastPing | null> {
  const row = await db
    .selectFrom('heartbeat_pings')
    .select(['kind', 'at'])
    .where('monitor_id', '=', monitorId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { kind: row.kind as PingKind, at: row.at } : null;
}

/** Ping tokens by monitor id, for showing ping URLs to people with a token of their own. */
export async function heartbeatTokens(db: Kysely<Schema>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('heartbeat_tokens').select(['monitor_id', 'token']).execute();
  return new Map(rows.map((r) => [r.monitor_id, r.token]));
}
