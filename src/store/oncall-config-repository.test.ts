import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { exportConfig } from '../config/export-config.js';
import { EMPTY_FLEET, type FleetConfig } from '../config/fleet-config.js';
import { parseConfigFile } from '../config/parse-config-file.js';
import { personSchema } from '../config/person-schema.js';
import { planConfig } from '../config/plan-config.js';
import { scheduleSchema } from '../config/schedule-schema.js';
import { DEFAULT_URGENCY_MATRIX } from '../oncall/urgency-matrix.js';
import { applyFleetConfig, loadFleetConfig, planFleetConfig } from './config-repository.js';
import { addApiOverride, putApiPerson, putApiSchedule } from './oncall-api-repository.js';
import { loadOncallDirectory } from './oncall-config-repository.js';
import { readPeople, readSchedules } from './oncall-rows.js';

const T0 = Date.parse('2026-06-01T00:00:00Z');
const T1 = T0 + 60_000;
const DAY = 86_400_000;

// Users, schedules and policies are loaded by key, and contact methods too: the file lists them so.
const ONCALL = `
version: 1
users:
  - key: ana
    name: Ana Pérez
    time_zone: Europe/Berlin
    contact_methods:
      - { key: chat, kind: slack, url: "https://hooks.slack.com/services/T/B/X", secret: s3cret }
      - { key: mail, kind: email, address: ana@example.org }
    notification_rules:
      - { method: mail }
      - { method: chat, after: 5m, urgency: [high] }
  - { key: ben, time_zone: America/New_York, working_hours: [{ days: [sat, sun], from: "10:00", to: "14:00" }] }
schedules:
  - key: primary
    time_zone: America/New_York
    layers:
      - { name: weekly, rotation: weekly, start: "2026-01-05T09:00", participants: [ana, ben] }
      - { name: nights, rotation: custom, shift_length: 12h, start: "2026-01-05T21:00", participants: [ben], restrictions: [{ days: [mon], from: "21:00", to: "09:00" }] }
    overrides:
      - { kind: replace, user: ben, start: "2026-06-10T09:00", end: "2026-06-11T09:00" }
      - { kind: add, user: ana, start: "2026-05-01T09:00", end: "2026-05-02T09:00" }
escalation_policies:
  - key: default
    steps:
      - { targets: [{ schedule: primary }], escalate_after: 5m }
      - { targets: [{ user: ana }], escalate_after: 10m }
    reminder_every: off
routing:
  default_policy: default
  routes:
    - { match: ['community="hub-a"'], policy: default }
urgency:
  - { severity: P4, urgency: low }
`;

function fleet(yaml: string): FleetConfig {
  const parsed = parseConfigFile(yaml, 'fleet.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}: ${e.message}`).join('\n'));
  return parsed.config;
}

function edited(from: string, to: string): FleetConfig {
  if (!ONCALL.includes(from)) throw new Error(`fixture has no ${from}`);
  return fleet(ONCALL.replace(from, to));
}

const API_USER = personSchema.parse({
  key: 'dan',
  time_zone: 'UTC',
  contact_methods: [{ key: 'mail', kind: 'email', address: 'dan@example.org' }],
});

describe.each(testDialects())('on-call config on $name', (dialect) => {
  it.skipIf(!dialect.available)(
    'applies users, schedules, policies, routing and urgency and loads them back equal',
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        const desired = fleet(ONCALL);
        const plan = await applyFleetConfig(db, desired, T0);
        expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.ref}`)).toEqual([
          'create person ana',
          'create person ben',
          'create schedule primary',
          'create escalation_policy default',
          'update settings routing',
          'update settings urgency',
        ]);
        expect(await loadFleetConfig(db)).toEqual(desired);
        expect(await applyFleetConfig(db, desired, T1)).toEqual({ changes: [] });
        const overrides = await db
          .selectFrom('schedule_overrides')
          .select(['id', 'origin', 'author'])
          .execute();
        expect(overrides.map((o) => o.id).sort()).toEqual(['cfg-primary-0', 'cfg-primary-1']);
        expect(overrides.every((o) => o.origin === 'config' && o.author === 'config file')).toBe(true);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'exports stored on-call config that plans no changes when read back',
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        await applyFleetConfig(db, fleet(ONCALL), T0);
        const stored = await loadFleetConfig(db);
        const exported = fleet(exportConfig(stored));
        expect(planConfig(exported, stored).changes).toEqual([]);
        expect(exported).toEqual(stored);
      });
    },
  );

  it.skipIf(!dialect.available)(
    "keeps a contact method's row and flag while it is unchanged, and clears the flag when it changes",
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        await applyFleetConfig(db, fleet(ONCALL), T0);
        const [before] = await readPeople(db, 'ana');
        const flag = { flagged_at: T0, flag_reason: '404 from Slack' };
        await db.updateTable('contact_methods').set(flag).execute();

        await applyFleetConfig(db, edited('name: Ana Pérez', 'name: Ana P.'), T1);
        const [renamed] = await readPeople(db, 'ana');
        expect(renamed!.methods).toEqual(
          before!.methods.map((m) => ({ ...m, flaggedAt: T0, flagReason: '404 from Slack' })),
        );

        await applyFleetConfig(db, edited('address: ana@example.org', 'address: ana@example.com'), T1);
        const [changed] = await readPeople(db, 'ana');
        expect(changed!.methods.map((m) => [m.key, m.id, m.address, m.flaggedAt, m.flagReason])).toEqual([
          ['chat', before!.methods[0]!.id, 'https://hooks.slack.com/services/T/B/X', T0, '404 from Slack'],
          ['mail', before!.methods[1]!.id, 'ana@example.com', null, null],
        ]);

        const withoutChat = ONCALL.replace(
          '      - { key: chat, kind: slack, url: "https://hooks.slack.com/services/T/B/X", secret: s3cret }\n',
          '',
        ).replace('      - { method: chat, after: 5m, urgency: [high] }\n', '');
        await applyFleetConfig(db, fleet(withoutChat), T1);
        expect((await readPeople(db, 'ana'))[0]!.methods.map((m) => m.key)).toEqual(['mail']);
      });
    },
  );

  it.skipIf(!dialect.available)(
    "rewrites the file's overrides and keeps those made through the API",
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        await applyFleetConfig(db, fleet(ONCALL), T0);
        const api = { id: 'ovr_api', kind: 'add' as const, user: 'ana', start: T0, end: T0 + DAY };
        expect(await addApiOverride(db, 'primary', api, 'ben', T0)).toBe(true);
        await applyFleetConfig(
          db,
          edited(
            '      - { kind: add, user: ana, start: "2026-05-01T09:00", end: "2026-05-02T09:00" }\n',
            '',
          ),
          T1,
        );
        const [stored] = await readSchedules(db, { key: 'primary' });
        expect(stored!.overrides.map((o) => [o.override.id, o.origin, o.author])).toEqual([
          ['cfg-primary-0', 'config', 'config file'],
          ['ovr_api', 'api', 'ben'],
        ]);
        // The API's override is not part of the config: export and plan do not see it.
        expect((await loadFleetConfig(db)).schedules[0]!.overrides.map((o) => o.id)).toEqual([
          'cfg-primary-0',
        ]);

        await applyFleetConfig(db, EMPTY_FLEET, T1);
        expect(await db.selectFrom('schedule_overrides').selectAll().execute()).toEqual([]);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'leaves users, schedules and policies made through the API alone',
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        await putApiPerson(db, API_USER, T0);
        await applyFleetConfig(db, fleet(ONCALL), T0);
        expect((await loadFleetConfig(db)).people.map((p) => p.key)).toEqual(['ana', 'ben']);
        const plan = await applyFleetConfig(db, EMPTY_FLEET, T1);
        expect(plan.changes.filter((c) => c.kind === 'person').map((c) => `${c.action} ${c.ref}`)).toEqual([
          'delete ana',
          'delete ben',
        ]);
        expect((await readPeople(db)).map((p) => [p.person.key, p.origin, p.methods.length])).toEqual([
          ['dan', 'api', 1],
        ]);
        expect(await db.selectFrom('contact_methods').select('key').execute()).toEqual([{ key: 'mail' }]);
        expect(await loadFleetConfig(db)).toEqual(EMPTY_FLEET);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'refuses a file user with the key of an API user, in a dry run too, changing nothing',
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        await putApiPerson(db, { ...API_USER, key: 'ana' }, T0);
        const message =
          'user "ana" of the file has the key of a user made through the API — delete that user (DELETE /api/v1/users/ana) or rename it in the file';
        await expect(planFleetConfig(db, fleet(ONCALL))).rejects.toThrow(message);
        const applied = applyFleetConfig(db, fleet(ONCALL), T1);
        await expect(applied).rejects.toThrow(/nothing was changed/);
        await expect(applied.catch((error: Error) => Promise.reject(error.cause))).rejects.toThrow(message);
        expect((await readPeople(db)).map((p) => p.person.key)).toEqual(['ana']);
        expect(await readSchedules(db)).toEqual([]);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'refuses to remove a user that a schedule made through the API has on call',
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        await applyFleetConfig(db, fleet(ONCALL), T0);
        const apiSchedule = scheduleSchema.parse({
          key: 'backup',
          time_zone: 'UTC',
          layers: [{ name: 'all', rotation: 'daily', start: '2026-01-01', participants: ['ben'] }],
        });
        await putApiSchedule(db, apiSchedule, T0);
        const withoutBen = fleet(
          ONCALL.replace(
            '  - { key: ben, time_zone: America/New_York, working_hours: [{ days: [sat, sun], from: "10:00", to: "14:00" }] }\n',
            '',
          )
            .replace('participants: [ana, ben]', 'participants: [ana]')
            .replace('participants: [ben]', 'participants: [ana]')
            .replace('kind: replace, user: ben', 'kind: replace, user: ana'),
        );
        await expect(planFleetConfig(db, withoutBen)).rejects.toThrow(
          'the file removes user "ben", which the API-made schedule "backup" refers to — keep it in the file or change schedule "backup" first',
        );
      });
    },
  );

  it.skipIf(!dialect.available)(
    'loads the directory: everyone of both origins, and overrides that ended at most 7 days ago',
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        await applyFleetConfig(db, fleet(ONCALL), T0);
        await putApiPerson(db, API_USER, T0);
        const old = {
          id: 'ovr_old',
          kind: 'add' as const,
          user: 'dan',
          start: T0 - 20 * DAY,
          end: T0 - 8 * DAY,
        };
        const recent = { ...old, id: 'ovr_recent', end: T0 - 6 * DAY };
        await addApiOverride(db, 'primary', old, 'dan', T0);
        await addApiOverride(db, 'primary', recent, 'dan', T0);
        const directory = await loadOncallDirectory(db, T0);
        expect([...directory.people.keys()]).toEqual(['ana', 'ben', 'dan']);
        expect(directory.people.get('dan')).toEqual(API_USER);
        // The file's override of May ended more than 7 days before T0.
        expect(directory.schedules.get('primary')!.overrides.map((o) => o.id)).toEqual([
          'cfg-primary-0',
          'ovr_recent',
        ]);
        expect(directory.policies.get('default')).toEqual(fleet(ONCALL).escalationPolicies[0]);
        expect(directory.routing).toEqual(fleet(ONCALL).routing);
        expect(directory.urgency[3]).toEqual({
          severity: 'P4',
          impact: 'none',
          urgency: 'low',
          workingHoursOnly: true,
        });
      });
    },
  );

  it.skipIf(!dialect.available)(
    'gives empty routing and the default urgency matrix until some are applied',
    async () => {
      await withOpenDatabase(dialect, async ({ db }) => {
        const directory = await loadOncallDirectory(db, T0);
        expect(directory.routing).toEqual(EMPTY_FLEET.routing);
        expect(directory.urgency).toEqual(DEFAULT_URGENCY_MATRIX);
        await applyFleetConfig(db, fleet(ONCALL), T0);
        const plan = await applyFleetConfig(db, EMPTY_FLEET, T1);
        expect(plan.changes.filter((c) => c.kind === 'settings')).toEqual([
          { action: 'update', kind: 'settings', ref: 'routing', fields: ['default_policy', 'routes'] },
          { action: 'update', kind: 'settings', ref: 'urgency', fields: ['P4'] },
        ]);
        const after = await loadOncallDirectory(db, T1);
        expect([after.routing, after.urgency]).toEqual([EMPTY_FLEET.routing, DEFAULT_URGENCY_MATRIX]);
      });
    },
  );
});
