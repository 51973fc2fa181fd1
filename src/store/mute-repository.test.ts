import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { seedOneMonitor } from '../../test/support/seed.js';
import { engineRules, signal } from '../../test/support/signals.js';
import { DEFAULT_ALERTING } from '../alerts/alerting-settings.js';
import { ingestBatch } from './alert-ingest.js';
import type { Database } from './database.js';
import { cancelMaintenance, createMaintenance } from './maintenance-repository.js';
import { loadMutes } from './mute-repository.js';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
// Sundays 02:00–04:00 UTC from 2026-11-22.
const FIRST = at('2026-11-22T02:00:00Z');

async function fire(database: Database, key: string, now: number): Promise<string | null> {
  await ingestBatch(
    database.db,
    database.capabilities,
    [
      {
        integrationId: null,
        idempotencyKey: null,
        signals: [signal({ dedupKey: key, community: 'alpha', component: 'alpha/hub', occurredAt: now })],
      },
    ],
    { rules: engineRules(), settings: DEFAULT_ALERTING, now },
  );
  const row = await database.db
    .selectFrom('alerts')
    .select('muted_by')
    .where('dedup_key', '=', key)
    .executeTakeFirstOrThrow();
  return row.muted_by;
}

describe.each(testDialects())('maintenance muting on $name', (dialect) => {
  it.skipIf(!dialect.available)(
    'a recurring maintenance mutes alerts on its components only while an occurrence runs',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        await seedOneMonitor(database.db, { at: FIRST - 48 * H });
        const created = await createMaintenance(
          database.db,
          {
            title: 'Weekly upgrade',
            description: null,
            startsAt: FIRST,
            endsAt: FIRST + 2 * H,
            repeat: '0 2 * * 0',
            repeatUntil: null,
            notifyBeforeMs: 24 * H,
            components: ['alpha/hub'],
            author: 'ana',
          },
          FIRST - 48 * H,
        );
        if (!('maintenance' in created)) throw new Error('not created');
        const muted = `maintenance:${created.maintenance.id}`;

        // The third occurrence, two weeks on: muted during it, not an hour after it, nor on the Saturday.
        expect(await fire(database, 'during', at('2026-12-06T03:00:00Z'))).toBe(muted);
        expect(await fire(database, 'after', at('2026-12-06T05:00:00Z'))).toBeNull();
        expect(await fire(database, 'saturday', at('2026-12-12T03:00:00Z'))).toBeNull();
        expect(await fire(database, 'first', FIRST + H)).toBe(muted);

        await cancelMaintenance(database.db, created.maintenance.id, at('2026-12-12T00:00:00Z'));
        expect(await fire(database, 'cancelled', at('2026-12-13T03:00:00Z'))).toBeNull();
      });
    },
  );

  it.skipIf(!dialect.available)(
    'stops loading a recurring window once repeat_until is long past',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        await seedOneMonitor(database.db, { at: FIRST - H });
        await createMaintenance(
          database.db,
          {
            title: 'Short series',
            description: null,
            startsAt: FIRST,
            endsAt: FIRST + 2 * H,
            repeat: '0 2 * * 0',
            repeatUntil: FIRST + 7 * 24 * H,
            notifyBeforeMs: 0,
            components: ['alpha/hub'],
            author: 'ana',
          },
          FIRST - H,
        );
        expect((await loadMutes(database.db, FIRST + 30 * 24 * H)).maintenances).toHaveLength(1);
        expect((await loadMutes(database.db, FIRST + 400 * 24 * H)).maintenances).toHaveLength(0);
      });
    },
  );
});
