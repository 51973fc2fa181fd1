import type { Kysely } from 'kysely';
import type { IntegrationConfig } from '../config/integration-schema.js';
import type { ConfigChange } from '../config/plan-config.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  INTEGRATION_KINDS,
  type IntegrationKind,
  type IntegrationSettings,
} from '../ingest/integration-settings.js';
import { newId } from './new-id.js';
import type { IntegrationRow, Schema } from './schema.js';
import { generateToken } from './token-repository.js';

/** A stored integration with its secret token (the last part of its ingest URL). */
export interface StoredIntegration {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly kind: IntegrationKind;
  readonly token: string;
  readonly settings: IntegrationSettings;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What ingest needs of the integration a token belongs to. */
export interface IntegrationForToken {
  readonly id: string;
  readonly key: string;
  readonly kind: IntegrationKind;
  readonly settings: IntegrationSettings;
}

/** Every integration, tokens included, by key. */
export async function listIntegrations(db: Kysely<Schema>): Promise<StoredIntegration[]> {
  const rows = await db.selectFrom('integrations').selectAll().orderBy('key').execute();
  return rows.map((row) => ({
    id: row.id,
    key: row.key,
    name: row.name,
    kind: kindOf(row),
    token: row.token,
    settings: settingsOf(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

/** The integration whose token this is, or null when no integration has it (deleted or never made). */
export async function findIntegrationByToken(
  db: Kysely<Schema>,
  token: string,
): Promise<IntegrationForToken | null> {
  const row = await db.selectFrom('integrations').selectAll().where('token', '=', token).executeTakeFirst();
  if (row === undefined) return null;
  return { id: row.id, key: row.key, kind: kindOf(row), settings: settingsOf(row) };
}

/**
 * Writes the plan's integration changes (`changes` of kind `integration`), matched by key: a created
 * integration gets a new random token, an updated one keeps its token, a deleted one's row goes (and
 * its token stops working). Meant for applyFleetConfig's transaction.
 */
export async function writeIntegrations(
  trx: Kysely<Schema>,
  desired: readonly IntegrationConfig[],
  changes: readonly ConfigChange[],
  now: number,
): Promise<void> {
  const deleted = changes.filter((c) => c.action === 'delete').map((c) => c.ref);
  if (deleted.length > 0) await trx.deleteFrom('integrations').where('key', 'in', deleted).execute();
  const byKey = new Map(desired.map((i) => [i.key, i]));
  for (const change of changes) {
    const integration = byKey.get(change.ref);
    if (integration === undefined || change.action === 'delete') continue;
    const columns = {
      name: integration.name,
      kind: integration.kind,
      settings: JSON.stringify(integration.settings),
      updated_at: now,
    };
    if (change.action === 'create') {
      await trx
        .insertInto('integrations')
        .values({
          id: newId('int', now),
          key: integration.key,
          token: generateToken(),
          created_at: now,
          ...columns,
        })
        .execute();
      continue;
    }
    const updated = await trx
      .updateTable('integrations')
      .set(columns)
      .where('key', '=', change.ref)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new Error(
        `update integration "${change.ref}": the row is gone (deleted by someone else meanwhile)`,
      );
    }
  }
}

function kindOf(row: IntegrationRow): IntegrationKind {
  if (!(INTEGRATION_KINDS as readonly string[]).includes(row.kind)) {
    throw new Error(
      `integration ${row.key} has kind "${row.kind}", which this version of Firewatch does not know`,
    );
  }
  return row.kind as IntegrationKind;
}

/** Stored settings with defaults for whatever rows written by older versions lack. */
function settingsOf(row: IntegrationRow): IntegrationSettings {
  let stored: Partial<IntegrationSettings>;
  try {
    stored = JSON.parse(row.settings) as Partial<IntegrationSettings>;
  } catch (error) {
    throw new Error(`read integration ${row.key}: its settings are not valid JSON`, { cause: error });
  }
  return {
    defaults: { community: null, component: null, severity: null, ...stored.defaults },
    maxBodyBytes: stored.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    mapping: stored.mapping ?? null,
  };
}
