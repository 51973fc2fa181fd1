import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { escalationPolicySchema } from '../config/escalation-policy-schema.js';
import type { FleetConfig } from '../config/fleet-config.js';
import { parseConfigFile } from '../config/parse-config-file.js';
import { personSchema } from '../config/person-schema.js';
import { scheduleSchema } from '../config/schedule-schema.js';
import { applyFleetConfig } from './config-repository.js';
import {
  addApiOverride,
  deleteApiOverride,
  deleteApiPerson,
  deleteApiPolicy,
  deleteApiSchedule,
  ManagedByConfigError,
  putApiPerson,
  putApiPolicy,
  putApiSchedule,
} from './oncall-api-repository.js';
import { readPeople, readPolicies, readSchedules } from './oncall-rows.js';

const T0 = Date.parse('2026-06-01T00:00:00Z');
const T1 = T0 + 60_000;

const FILE = `
version: 1
users:
  - { key: ana, time_zone: UTC }
schedules:
  - key: primary
    time_zone: UTC
    layers: [{ name: all, rotation: daily, start: "2026-01-01", participants: [ana] }]
    overrides: [{ kind: add, user: ana, start: "2026-06-02T00:00", end: "2026-06-03T00:00" }]
escalation_policies:
  - { key: default, steps: [{ targets: [{ user: ana }], escalate_after: 5m }] }
`;

function fleet(yaml: string): FleetConfig {
  const parsed = parseConfigFile(yaml, 'fleet.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}: ${e.message}`).join('\n'));
  return parsed.config;
}

const BEN = personSchema.parse({
  key: 'ben',
  name: 'Ben',
  time_zone: 'America/New_York',
  contact_methods: [
    { key: 'hook', kind: 'webhook', url: 'https://hooks.example.org/ben', secret: 'abc' },
    { key: 'mail', kind: 'email', address: 'ben@example.org' },
  ],
});
const BACKUP = scheduleSchema.parse({
  key: 'backup',
  time_zone: 'Europe/Berlin',
  layers: [{ name: 'all', rotation: 'weekly', start: '2026-01-05T09:00', participants: ['ben'] }],
});
const PAGE_BEN = escalationPolicySchema.parse({
  key: 'page-ben',
  steps: [{ targets: [{ user: 'ben' }], escalate_after: '1m' }],
});

describe.each(testDialects())('on-call API writes on $name', (dialect) => {
  it.skipIf(!dialect.available)(
    'creates a user, then replaces them in place keeping method rows',
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        expect(await putApiPerson(db, BEN, T0)).toEqual({ created: true });
        const [created] = await readPeople(db, 'ben');
        expect(created).toMatchObject({ origin: 'api', person: BEN });
        const renamed = { ...BEN, name: 'Benjamin', contactMethods: [BEN.contactMethods[1]!] };
        expect(await putApiPerson(db, renamed, T1)).toEqual({ created: false });
        const [updated] = await readPeople(db, 'ben');
        expect(updated!.id).toBe(created!.id);
        expect(updated!.person).toEqual(renamed);
        expect(updated!.methods.map((m) => m.id)).toEqual([created!.methods[1]!.id]);
      });
    },
  );

  it.skipIf(!dialect.available)('creates and replaces schedules and policies', async () => {
    await withOpenDatabase(dialect, async ({ db }) => {
      await putApiPerson(db, BEN, T0);
      expect(await putApiSchedule(db, BACKUP, T0)).toEqual({ created: true });
      expect(await putApiSchedule(db, { ...BACKUP, name: 'Backup' }, T1)).toEqual({ created: false });
      expect((await readSchedules(db, { key: 'backup' }))[0]).toMatchObject({
        origin: 'api',
        schedule: { ...BACKUP, name: 'Backup' },
      });
      expect(await putApiPolicy(db, PAGE_BEN, T0)).toEqual({ created: true });
      expect(await putApiPolicy(db, { ...PAGE_BEN, repeat: 2 }, T1)).toEqual({ created: false });
      expect((await readPolicies(db, 'page-ben'))[0]).toMatchObject({ origin: 'api', policy: { repeat: 2 } });
    });
  });

  it.skipIf(!dialect.available)(
    'refuses to put or delete what the config file owns, changing nothing',
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        await applyFleetConfig(db, fleet(FILE), T0);
        const before = await readPeople(db);
        await expect(putApiPerson(db, { ...BEN, key: 'ana' }, T1)).rejects.toThrow(ManagedByConfigError);
        await expect(putApiPerson(db, { ...BEN, key: 'ana' }, T1)).rejects.toThrow(
          'user "ana" is managed by config as code (firewatch apply) — change it in the config file, or use another key',
        );
        await expect(putApiSchedule(db, { ...BACKUP, key: 'primary' }, T1)).rejects.toThrow(
          ManagedByConfigError,
        );
        await expect(putApiPolicy(db, { ...PAGE_BEN, key: 'default' }, T1)).rejects.toThrow(
          ManagedByConfigError,
        );
        expect(await readPeople(db)).toEqual(before);
        expect(await db.selectFrom('contact_methods').selectAll().execute()).toEqual([]);
        expect(await deleteApiPerson(db, 'ana')).toBe('config');
        expect(await deleteApiSchedule(db, 'primary')).toBe('config');
        expect(await deleteApiPolicy(db, 'default')).toBe('config');
        expect(await deleteApiPerson(db, 'nobody')).toBe('missing');
      });
    },
  );

  it.skipIf(!dialect.available)('deletes API rows with their contact methods and overrides', async () => {
    await withOpenDatabase(dialect, async ({ db }) => {
      await putApiPerson(db, BEN, T0);
      await putApiSchedule(db, BACKUP, T0);
      await putApiPolicy(db, PAGE_BEN, T0);
      await addApiOverride(
        db,
        'backup',
        { id: 'ovr_1', kind: 'add', user: 'ben', start: T0, end: T1 },
        'ben',
        T0,
      );
      expect(await deleteApiPolicy(db, 'page-ben')).toBe('deleted');
      expect(await deleteApiSchedule(db, 'backup')).toBe('deleted');
      expect(await deleteApiPerson(db, 'ben')).toBe('deleted');
      expect(await deleteApiPerson(db, 'ben')).toBe('missing');
      for (const table of [
        'people',
        'contact_methods',
        'schedules',
        'schedule_overrides',
        'escalation_policies',
      ] as const) {
        expect(await db.selectFrom(table).selectAll().execute()).toEqual([]);
      }
    });
  });

  it.skipIf(!dialect.available)(
    "adds overrides to the file's schedules but deletes only the API's",
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        await applyFleetConfig(db, fleet(FILE), T0);
        const override = { id: 'ovr_1', kind: 'replace' as const, user: 'ana', start: T0, end: T1 };
        expect(await addApiOverride(db, 'primary', override, 'ana', T0)).toBe(true);
        expect(await addApiOverride(db, 'nope', override, 'ana', T0)).toBe(false);
        expect(await deleteApiOverride(db, 'primary', 'cfg-primary-0')).toBe('config');
        expect(await deleteApiOverride(db, 'other', 'ovr_1')).toBe('missing');
        expect(await deleteApiOverride(db, 'primary', 'ovr_1')).toBe('deleted');
        expect(await deleteApiOverride(db, 'primary', 'ovr_1')).toBe('missing');
        const [stored] = await readSchedules(db, { key: 'primary' });
        expect(stored!.overrides.map((o) => o.override.id)).toEqual(['cfg-primary-0']);
      });
    },
  );
});
