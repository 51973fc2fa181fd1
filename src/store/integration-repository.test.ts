import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { EMPTY_FLEET } from '../config/fleet-config.js';
import type { IntegrationConfig } from '../config/integration-schema.js';
import { applyFleetConfig } from './config-repository.js';
import { findIntegrationByToken, listIntegrations } from './integration-repository.js';

const T0 = 1_795_000_000_000;

const GENERIC: IntegrationConfig = {
  key: 'events',
  name: 'Server events',
  kind: 'generic',
  settings: {
    defaults: { community: null, component: null, severity: 'P2' },
    maxBodyBytes: 65_536,
    mapping: {
      eventsPath: '$.events',
      fields: { type: '$.name' },
      statusMap: { ALARM: 'problem' },
      severityMap: {},
    },
  },
};

const ALERTMANAGER: IntegrationConfig = {
  key: 'alertmanager',
  name: 'Alertmanager',
  kind: 'alertmanager',
  settings: {
    defaults: { community: null, component: null, severity: null },
    maxBodyBytes: 262_144,
    mapping: null,
  },
};

describe.each(testDialects())('integration repository on $name', (dialect) => {
  it.skipIf(!dialect.available)('lists every integration by key with its token and settings', async () => {
    await withOpenDatabase(dialect, async ({ db }) => {
      await applyFleetConfig(db, { ...EMPTY_FLEET, integrations: [GENERIC, ALERTMANAGER] }, T0);
      const listed = await listIntegrations(db);
      expect(listed).toEqual([
        expect.objectContaining({
          key: 'alertmanager',
          kind: 'alertmanager',
          settings: ALERTMANAGER.settings,
        }),
        expect.objectContaining({ key: 'events', name: 'Server events', settings: GENERIC.settings }),
      ]);
      expect(listed.map((i) => [i.createdAt, i.updatedAt])).toEqual([
        [T0, T0],
        [T0, T0],
      ]);
      expect(listed[0]!.id).toMatch(/^int_/);
    });
  });

  it.skipIf(!dialect.available)('finds the integration a token belongs to', async () => {
    await withOpenDatabase(dialect, async ({ db }) => {
      await applyFleetConfig(db, { ...EMPTY_FLEET, integrations: [GENERIC, ALERTMANAGER] }, T0);
      const [, events] = await listIntegrations(db);
      expect(await findIntegrationByToken(db, events!.token)).toEqual({
        id: events!.id,
        key: 'events',
        kind: 'generic',
        settings: GENERIC.settings,
      });
    });
  });

  it.skipIf(!dialect.available)(
    'finds nothing for an unknown token or one of a deleted integration',
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        await applyFleetConfig(db, { ...EMPTY_FLEET, integrations: [GENERIC] }, T0);
        const [events] = await listIntegrations(db);
        expect(await findIntegrationByToken(db, 'fw_unknown')).toBeNull();
        await applyFleetConfig(db, EMPTY_FLEET, T0);
        expect(await findIntegrationByToken(db, events!.token)).toBeNull();
      });
    },
  );

  it.skipIf(!dialect.available)('fills in defaults a stored row lacks', async () => {
    await withOpenDatabase(dialect, async ({ db }) => {
      await db
        .insertInto('integrations')
        .values({
          id: 'int_old',
          key: 'old',
          name: 'Old',
          kind: 'grafana',
          token: 'fw_old',
          settings: '{}',
          created_at: T0,
          updated_at: T0,
        })
        .execute();
      expect((await findIntegrationByToken(db, 'fw_old'))?.settings).toEqual(ALERTMANAGER.settings);
    });
  });
});
