import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { signal } from '../../test/support/signals.js';
import { startTestReceiver, type TestReceiver } from '../../test/support/test-receiver.js';
import { DEFAULT_ALERTING } from '../alerts/alerting-settings.js';
import { NotificationSender } from '../app/notification-sender.js';
import type { OncallDirectory } from '../oncall/oncall-directory.js';
import type { Person } from '../oncall/person.js';
import type { Schedule } from '../oncall/schedule.js';
import { DEFAULT_URGENCY_MATRIX } from '../oncall/urgency-matrix.js';
import { acknowledgeAlert } from './alert-actions.js';
import { ingestBatch } from './alert-ingest.js';
import type { Database } from './database.js';
import { routeNewAlerts, sweepPages } from './page-repository.js';

const MINUTE = 60_000;
// 2026-11-21T09:00:00Z
const T0 = Date.UTC(2026, 10, 21, 9, 0);

function person(key: string, url: string, timeZone = 'UTC'): Person {
  return {
    key,
    name: key,
    timeZone,
    workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
    contactMethods: [{ key: 'hook', kind: 'webhook', address: `${url}/${key}`, secret: 'sekrit' }],
    notificationRules: [],
  };
}

function schedule(key: string, user: string): Schedule {
  return {
    key,
    name: key,
    timeZone: 'UTC',
    layers: [
      {
        name: 'only',
        rotation: 'weekly',
        shiftLengthMs: null,
        start: '2026-01-05T09:00',
        end: null,
        participants: [user],
        restrictions: [],
      },
    ],
    overrides: [],
  };
}

function directory(url: string, zone = 'UTC'): OncallDirectory {
  return {
    people: new Map([
      ['primary-person', person('primary-person', url, zone)],
      ['secondary-person', person('secondary-person', url, zone)],
    ]),
    schedules: new Map([
      ['primary', schedule('primary', 'primary-person')],
      ['secondary', schedule('secondary', 'secondary-person')],
    ]),
    policies: new Map([
      [
        'default',
        {
          key: 'default',
          name: 'Default',
          steps: [
            { targets: [{ schedule: 'primary' }], escalateAfterMs: 5 * MINUTE },
            { targets: [{ schedule: 'secondary' }], escalateAfterMs: 5 * MINUTE },
          ],
          repeat: 1,
          reminderEveryMs: 30 * MINUTE,
          maxReminders: 2,
        },
      ],
    ]),
    routing: { routes: [], defaultPolicy: 'default' },
    urgency: DEFAULT_URGENCY_MATRIX,
  };
}

describe.each(testDialects())('paging on $name', (dialect) => {
  let receiver: TestReceiver;
  beforeAll(async () => {
    receiver = await startTestReceiver();
  });
  afterAll(async () => receiver.close());

  function engine(database: Database, dir: OncallDirectory, clock: { now: number }) {
    const sender = new NotificationSender({
      database,
      processId: 'test',
      now: () => clock.now,
      channel: { smtp: null, timeoutMs: 5_000, now: () => clock.now },
      publicUrl: () => 'http://firewatch.test',
      linkTtlMs: 24 * 60 * MINUTE,
      onError: (error) => {
        throw error;
      },
    });
    return {
      async turn(at: number) {
        clock.now = at;
        await routeNewAlerts(database.db, database.capabilities, dir, at);
        const swept = await sweepPages(database.db, database.capabilities, dir, at, { alertUrl: (id) => id });
        const sent = await sender.runOnce();
        return { swept, sent };
      },
    };
  }

  async function fire(database: Database, severity: 'P1' | 'P3', at: number): Promise<string> {
    const [outcome] = await ingestBatch(
      database.db,
      database.capabilities,
      [
        {
          integrationId: null,
          idempotencyKey: null,
          signals: [signal({ severity, occurredAt: at, dedupKey: `k-${severity}` })],
        },
      ],
      { rules: [], settings: DEFAULT_ALERTING, now: at },
    );
    const alert = await database.db
      .selectFrom('alerts')
      .select('id')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(outcome?.duplicate).toBe(false);
    return alert.id;
  }

  const paths = () => receiver.requests.map((r) => r.path);

  it.skipIf(!dialect.available)(
    'a P1 pages the primary at once, the secondary after 5 unacknowledged minutes, and acknowledgement stops it',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        receiver.requests.length = 0;
        const clock = { now: T0 };
        const dir = directory(receiver.origin);
        const paging = engine(database, dir, clock);
        const alertId = await fire(database, 'P1', T0);

        const first = await paging.turn(T0);
        expect(first.sent.sent).toBe(1);
        expect(paths()).toEqual(['/primary-person']);
        const page = await database.db.selectFrom('pages').selectAll().executeTakeFirstOrThrow();
        expect(page).toMatchObject({ status: 'escalating', next_step: 1, urgency: 'high' });
        expect(Number(page.next_due_at)).toBe(T0 + 5 * MINUTE);

        await paging.turn(T0 + 5 * MINUTE - 1);
        expect(paths()).toEqual(['/primary-person']);

        await paging.turn(T0 + 5 * MINUTE);
        expect(paths()).toEqual(['/primary-person', '/secondary-person']);

        await acknowledgeAlert(
          database.db,
          database.capabilities,
          alertId,
          { name: 'secondary-person', now: T0 + 6 * MINUTE },
          {
            settings: DEFAULT_ALERTING,
          },
        );
        // Without the acknowledgement the policy's repeat would page the primary again at 10 min.
        for (const minute of [7, 10, 15, 20]) await paging.turn(T0 + minute * MINUTE);
        expect(paths()).toEqual(['/primary-person', '/secondary-person']);
        const after = await database.db.selectFrom('pages').selectAll().executeTakeFirstOrThrow();
        expect(after).toMatchObject({ status: 'acknowledged', acknowledged_by: 'secondary-person' });
        expect(Number(after.next_due_at)).toBe(T0 + 6 * MINUTE + 30 * MINUTE);

        const events = await database.db
          .selectFrom('alert_events')
          .select(['kind', 'at', 'data'])
          .where('alert_id', '=', alertId)
          .orderBy('id')
          .execute();
        expect(events.map((e) => [e.kind, Number(e.at)])).toEqual([
          ['created', T0],
          ['routed', T0],
          ['escalated', T0],
          ['escalated', T0 + 5 * MINUTE],
          ['acknowledged', T0 + 6 * MINUTE],
        ]);
        const body = JSON.parse(receiver.requests[0]!.body) as {
          title: string;
          actions: { label: string }[];
        };
        expect(body.title).toBe('[P1] pangeo: a user server failed to start');
        expect(body.actions.map((a) => a.label)).toEqual(['Acknowledge', 'Resolve']);
        const attempts = await database.db.selectFrom('notification_attempts').selectAll().execute();
        expect(attempts.map((a) => a.result)).toEqual(['sent', 'sent']);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'the owner gets reminders while the alert stays acknowledged, at most max_reminders',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        receiver.requests.length = 0;
        const clock = { now: T0 };
        const paging = engine(database, directory(receiver.origin), clock);
        const alertId = await fire(database, 'P1', T0);
        await paging.turn(T0);
        await acknowledgeAlert(
          database.db,
          database.capabilities,
          alertId,
          { name: 'primary-person', now: T0 + MINUTE },
          {
            settings: DEFAULT_ALERTING,
          },
        );
        await paging.turn(T0 + 2 * MINUTE);
        for (const minute of [30, 31, 61, 91, 200]) await paging.turn(T0 + minute * MINUTE);
        // reminders at ack + 30 min and ack + 60 min, then no more (max_reminders 2)
        const reminders = receiver.requests.filter(
          (r) => (JSON.parse(r.body) as { kind: string }).kind === 'reminder',
        );
        expect(reminders.map((r) => r.path)).toEqual(['/primary-person', '/primary-person']);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'a P3 alert at 03:00 in the on-call person’s zone does not page; it notifies when working hours start',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        receiver.requests.length = 0;
        // Tuesday 2026-11-24 03:00 in Europe/Berlin = 02:00Z; working hours start 09:00 Berlin = 08:00Z.
        const night = Date.UTC(2026, 10, 24, 2, 0);
        const nine = Date.UTC(2026, 10, 24, 8, 0);
        const clock = { now: night };
        const paging = engine(database, directory(receiver.origin, 'Europe/Berlin'), clock);
        const alertId = await fire(database, 'P3', night);
        await paging.turn(night);
        expect(receiver.requests).toHaveLength(0);
        const alert = await database.db
          .selectFrom('alerts')
          .selectAll()
          .where('id', '=', alertId)
          .executeTakeFirstOrThrow();
        expect(alert).toMatchObject({ urgency: 'low', urgency_row: 'P3 · minor · low (working hours)' });
        const queued = await database.db.selectFrom('notifications').selectAll().execute();
        expect(queued.map((n) => [n.person_key, n.reason, Number(n.next_attempt_at)])).toEqual([
          ['primary-person', 'notify', nine],
        ]);
        await paging.turn(nine - 1);
        expect(receiver.requests).toHaveLength(0);
        await paging.turn(nine);
        expect(paths()).toEqual(['/primary-person']);
        const body = JSON.parse(receiver.requests[0]!.body) as { urgency: string; kind: string };
        expect(body).toMatchObject({ urgency: 'low', kind: 'notify' });
      });
    },
  );

  it.skipIf(!dialect.available)(
    'two notification rules on one method are two notifications; a page whose policy is gone stops being due',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        receiver.requests.length = 0;
        const base = directory(receiver.origin);
        const primary = base.people.get('primary-person')!;
        const twice: OncallDirectory = {
          ...base,
          people: new Map([
            ...base.people,
            [
              'primary-person',
              {
                ...primary,
                notificationRules: [
                  { method: 'hook', afterMs: 0, urgencies: ['high'] },
                  { method: 'hook', afterMs: 2 * MINUTE, urgencies: ['high'] },
                ],
              },
            ],
          ]),
        };
        const clock = { now: T0 };
        await fire(database, 'P1', T0);
        await engine(database, twice, clock).turn(T0);
        await engine(database, twice, clock).turn(T0 + 2 * MINUTE);
        expect(paths()).toEqual(['/primary-person', '/primary-person']);

        // The policy disappears from config: the due page stops instead of blocking every sweep.
        const gone: OncallDirectory = { ...twice, policies: new Map() };
        const { swept } = await engine(database, gone, clock).turn(T0 + 5 * MINUTE);
        expect(swept.map((p) => p.did)).toEqual(['nothing']);
        const page = await database.db.selectFrom('pages').selectAll().executeTakeFirstOrThrow();
        expect(page).toMatchObject({ status: 'exhausted', next_due_at: null });
        expect((await engine(database, gone, clock).turn(T0 + 6 * MINUTE)).swept).toEqual([]);
      });
    },
  );
});
