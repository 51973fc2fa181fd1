import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { initial } from './migrations/0001-initial.js';
import { rollups } from './migrations/0002-rollups.js';
import { monitorSettings } from './migrations/0003-monitor-settings.js';
import { locationStates } from './migrations/0004-location-states.js';
import { heartbeats } from './migrations/0005-heartbeats.js';
import { alerts } from './migrations/0006-alerts.js';
import { oncall } from './migrations/0007-oncall.js';
import { incidents } from './migrations/0008-incidents.js';
import type { Schema } from './schema.js';

/** Every migration, in order. Names sort lexically; never rename or edit a shipped one. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-rollups': rollups,
  '0003-monitor-settings': monitorSettings,
  '0004-location-states': locationStates,
  '0005-heartbeats': heartbeats,
  '0006-alerts': alerts,
  '0007-oncall': oncall,
  '0008-incidents': incidents,
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/** Firewatch's migrations, for a Kysely Migrator. */
export const migrationProvider: MigrationProvider = new StaticProvider();

/**
 * Brings the schema up to date; throws with the failing migration's name. `schema` is where the
 * migration tables live (PostgreSQL only).
 */
export async function migrateToLatest(db: Kysely<Schema>, schema?: string): Promise<readonly string[]> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`migrate database${failed ? ` (migration ${failed.migrationName})` : ''}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
