import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/support/databases.js';
import { engineRules, ruleCommon, SERVER_START_RULE, signal } from '../../test/support/signals.js';
import { DEFAULT_ALERTING } from '../alerts/alerting-settings.js';
import type { AlertRule, HeartbeatMissingRule } from '../rules/alert-rule.js';
import type { Signal } from '../rules/signal.js';
import { acknowledgeAlert, decideTimeBox, expireTimeBoxes } from './alert-actions.js';
import { type IngestRequest, ingestBatch, tickKeys } from './alert-ingest.js';
import { listAlerts } from './alert-queries.js';
import type { Database } from './database.js';
import { createSilence } from './silence-repository.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

function request(signals: Signal[], idempotencyKey: string | null = null): IngestRequest {
  return { integrationId: idempotencyKey ? 'int_1' : null, idempotencyKey, signals };
}

async function ingest(database: Database, signals: Signal[], now: number, rules: AlertRule[] = []) {
  const [outcome] = await ingestBatch(database.db, database.capabilities, [request(signals)], {
    rules: engineRules(...rules),
    settings: DEFAULT_ALERTING,
    now,
  });
  return outcome;
}

async function alerts(database: Database) {
  return database.db.selectFrom('alerts').selectAll().orderBy('id').execute();
}

async function events(database: Database, alertId: string) {
  return database.db
    .selectFrom('alert_events')
    .selectAll()
    .where('alert_id', '=', alertId)
    .orderBy('id')
    .execute();
}

describe.each(testDialects())('taking signals in on $name', (dialect) => {
  const withDatabase = (work: (database: Database) => Promise<void>) => async () => {
    const database = await dialect.open();
    try {
      await work(database);
    } finally {
      await database.close();
    }
  };

  const START = 'server_start_failed';
  const cases: {
    name: string;
    steps: [minute: number, type: string, status: 'problem' | 'ok'][];
    alerts: number;
  }[] = [
    {
      name: 'two failures 29 minutes apart fire one alert',
      steps: [
        [0, START, 'problem'],
        [29, START, 'problem'],
      ],
      alerts: 1,
    },
    {
      name: 'two failures exactly 30 minutes apart fire one alert',
      steps: [
        [0, START, 'problem'],
        [30, START, 'problem'],
      ],
      alerts: 1,
    },
    {
      name: 'two failures 31 minutes apart fire none',
      steps: [
        [0, START, 'problem'],
        [31, START, 'problem'],
      ],
      alerts: 0,
    },
    {
      name: 'a success between two failures resets the count',
      steps: [
        [0, START, 'problem'],
        [10, 'server_start_succeeded', 'ok'],
        [20, START, 'problem'],
      ],
      alerts: 0,
    },
    {
      name: 'three failures in a row still fire exactly one alert',
      steps: [
        [0, START, 'problem'],
        [5, START, 'problem'],
        [10, START, 'problem'],
      ],
      alerts: 1,
    },
  ];
  for (const c of cases) {
    it.skipIf(!dialect.available)(
      `the 30-minute rule: ${c.name}`,
      withDatabase(async (database) => {
        for (const [minute, type, status] of c.steps) {
          const at = T0 + minute * MIN;
          await ingest(database, [signal({ type, status, occurredAt: at })], at, [SERVER_START_RULE]);
        }
        const rows = await alerts(database);
        expect(rows).toHaveLength(c.alerts);
        if (c.alerts === 1) {
          expect(rows[0]).toMatchObject({ status: 'firing', severity: 'P2', community: 'pangeo' });
          expect(rows[0]?.summary).toContain('Two server-start failures');
        }
      }),
    );
  }

  it.skipIf(!dialect.available)(
    'keeps the rule per community: failures in two communities fire nothing',
    withDatabase(async (database) => {
      await ingest(database, [signal({ community: 'pangeo', occurredAt: T0 })], T0, [SERVER_START_RULE]);
      await ingest(database, [signal({ community: 'leap', occurredAt: T0 + MIN })], T0 + MIN, [
        SERVER_START_RULE,
      ]);
      expect(await alerts(database)).toHaveLength(0);
    }),
  );

  it.skipIf(!dialect.available)(
    'takes the same delivery 100 times in once',
    withDatabase(async (database) => {
      const body = [
        signal({ source: 'alertmanager', type: 'HubDown', dedupKey: 'alertmanager:abc', occurredAt: T0 }),
      ];
      const outcomes = [];
      for (let i = 0; i < 100; i++) {
        const [outcome] = await ingestBatch(
          database.db,
          database.capabilities,
          [request(body, 'sha256:same')],
          {
            rules: [],
            settings: DEFAULT_ALERTING,
            now: T0 + i * 1000,
          },
        );
        outcomes.push(outcome);
      }
      expect(outcomes.filter((o) => o?.duplicate)).toHaveLength(99);
      const rows = await alerts(database);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ repeat_count: 0, status: 'firing' });
      expect(await database.db.selectFrom('signals').selectAll().execute()).toHaveLength(1);
    }),
  );

  it.skipIf(!dialect.available)(
    'dedups 100 different deliveries of one condition into one alert that counts the repeats',
    withDatabase(async (database) => {
      const requests = Array.from({ length: 100 }, (_, i) =>
        request([signal({ source: 'alertmanager', dedupKey: 'alertmanager:abc', occurredAt: T0 + i })]),
      );
      // Half in one batch (same transaction), half one by one.
      await ingestBatch(database.db, database.capabilities, requests.slice(0, 50), {
        rules: [],
        settings: DEFAULT_ALERTING,
        now: T0,
      });
      for (const r of requests.slice(50)) {
        await ingestBatch(database.db, database.capabilities, [r], {
          rules: [],
          settings: DEFAULT_ALERTING,
          now: T0 + 1,
        });
      }
      const rows = await alerts(database);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.repeat_count).toBe(99);
    }),
  );

  it.skipIf(!dialect.available)(
    'makes a condition alternating every 30 s for an hour one alert, marked flapping',
    withDatabase(async (database) => {
      for (let i = 0; i < 120; i++) {
        const at = T0 + i * 30_000;
        await ingest(
          database,
          [
            signal({
              source: 'check',
              dedupKey: 'component:pangeo/hub',
              status: i % 2 === 0 ? 'problem' : 'ok',
              occurredAt: at,
            }),
          ],
          at,
        );
      }
      const rows = await alerts(database);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ flapping: 1, status: 'firing' });
      const kinds = (await events(database, rows[0]?.id ?? '')).map((e) => e.kind);
      expect(kinds.filter((k) => k === 'flapping_started')).toHaveLength(1);
      expect(kinds.filter((k) => k === 'created')).toHaveLength(1);

      // Quiet (and clear) for a flap window: the clock stops the flapping and resolves the alert.
      const later = T0 + 120 * 30_000 + 31 * MIN;
      await tickKeys(database.db, database.capabilities, ['component:pangeo/hub'], {
        rules: [],
        settings: DEFAULT_ALERTING,
        now: later,
      });
      const [after] = await alerts(database);
      expect(after).toMatchObject({ flapping: 0, status: 'resolved', resolution: 'auto' });
    }),
  );

  it.skipIf(!dialect.available)(
    'resolves an alert when its sender says resolved, and records every transition',
    withDatabase(async (database) => {
      await ingest(database, [signal({ dedupKey: 'x', status: 'problem', occurredAt: T0 })], T0);
      await ingest(database, [signal({ dedupKey: 'x', status: 'ok', occurredAt: T0 + MIN })], T0 + MIN);
      const [alert] = await alerts(database);
      expect(alert).toMatchObject({ status: 'resolved', resolution: 'auto', resolved_at: T0 + MIN });
      expect((await events(database, alert?.id ?? '')).map((e) => [e.kind, e.actor])).toEqual([
        ['created', 'firewatch'],
        ['resolved', 'firewatch'],
      ]);
      const group = await database.db.selectFrom('alert_groups').selectAll().executeTakeFirstOrThrow();
      expect(group).toMatchObject({ status: 'closed', open_alerts: 0, alert_count: 1 });
    }),
  );

  it.skipIf(!dialect.available)(
    'groups 20 communities hit by one cluster failure into one alert group',
    withDatabase(async (database) => {
      const signals = Array.from({ length: 20 }, (_, i) =>
        signal({
          source: 'check',
          type: 'component_status',
          dedupKey: `component:c${i}/hub`,
          community: `c${i}`,
          groupKey: 'check:depends_on=cluster-a',
          occurredAt: T0,
        }),
      );
      await ingest(database, signals.slice(0, 10), T0);
      await ingest(database, signals.slice(10), T0 + MIN);
      expect(await alerts(database)).toHaveLength(20);
      const groups = await database.db.selectFrom('alert_groups').selectAll().execute();
      expect(groups).toHaveLength(1);
      expect(groups[0]).toMatchObject({ status: 'open', alert_count: 20, open_alerts: 20 });
    }),
  );

  it.skipIf(!dialect.available)(
    'records a silenced alert but marks it muted',
    withDatabase(async (database) => {
      const silence = await createSilence(
        database.db,
        {
          matchers: [{ name: 'community', op: '=', value: 'pangeo' }],
          startsAt: T0,
          endsAt: T0 + 60 * MIN,
          reason: 'upgrading',
          author: 'ana',
        },
        T0,
      );
      await ingest(database, [signal({ dedupKey: 'a', occurredAt: T0 + MIN })], T0 + MIN);
      await ingest(database, [signal({ dedupKey: 'b', community: 'leap', occurredAt: T0 + MIN })], T0 + MIN);
      const rows = await alerts(database);
      expect(rows.map((r) => [r.dedup_key, r.muted_by])).toEqual([
        ['a', `silence:${silence.id}`],
        ['b', null],
      ]);
    }),
  );

  it.skipIf(!dialect.available)(
    'asks the owner to decide when a time box runs out, and records the decision',
    withDatabase(async (database) => {
      await ingest(database, [signal({ dedupKey: 'slow', severity: 'P3', occurredAt: T0 })], T0);
      const [alert] = await alerts(database);
      const id = alert?.id ?? '';
      const acked = await acknowledgeAlert(
        database.db,
        database.capabilities,
        id,
        { name: 'ana', now: T0 + MIN },
        {
          settings: DEFAULT_ALERTING,
        },
      );
      expect(acked).toMatchObject({
        status: 'acknowledged',
        owner: 'ana',
        timebox_state: 'running',
        timebox_ends_at: T0 + 31 * MIN,
      });

      expect(await expireTimeBoxes(database.db, database.capabilities, T0 + 30 * MIN)).toHaveLength(0);
      const expired = await expireTimeBoxes(database.db, database.capabilities, T0 + 31 * MIN);
      expect(expired.map((a) => a.id)).toEqual([id]);
      // A second sweep (another process) finds nothing left to expire.
      expect(await expireTimeBoxes(database.db, database.capabilities, T0 + 32 * MIN)).toHaveLength(0);

      const decided = await decideTimeBox(
        database.db,
        database.capabilities,
        id,
        { name: 'ana', now: T0 + 41 * MIN },
        'defer',
        'FUP-12: make the spawner retry',
        0,
      );
      expect(decided).toMatchObject({ status: 'resolved', resolution: 'deferred' });
      const history = await events(database, id);
      expect(history.map((e) => e.kind)).toEqual([
        'created',
        'acknowledged',
        'timebox_started',
        'timebox_expired',
        'timebox_decided',
        'resolved',
      ]);
      const decision = history.find((e) => e.kind === 'timebox_decided');
      expect(decision?.actor).toBe('ana');
      expect(JSON.parse(decision?.data ?? '{}')).toMatchObject({
        decision: 'defer',
        time_spent_ms: 40 * MIN,
        overrun_ms: 10 * MIN,
        owner: 'ana',
      });
    }),
  );

  it.skipIf(!dialect.available)(
    'finds alerts by text containing LIKE wildcards literally',
    withDatabase(async (database) => {
      await ingest(
        database,
        [signal({ dedupKey: 'a', summary: 'disk_full at 100% on hub', occurredAt: T0 })],
        T0,
      );
      await ingest(
        database,
        [signal({ dedupKey: 'b', summary: 'diskXfull at 1000 on hub', occurredAt: T0 })],
        T0,
      );
      const byName = await listAlerts(database.db, { text: 'disk_full', limit: 10 });
      expect(byName.alerts.map((a) => a.dedup_key)).toEqual(['a']);
      const byPercent = await listAlerts(database.db, { text: '100%', limit: 10 });
      expect(byPercent.alerts.map((a) => a.dedup_key)).toEqual(['a']);
    }),
  );

  it.skipIf(!dialect.available)(
    'fires a heartbeat_missing alert on a clock tick, with the subject of the last heartbeat, and clears on the next',
    withDatabase(async (database) => {
      const rule: HeartbeatMissingRule = {
        ...ruleCommon({
          key: 'backups',
          name: 'Nightly backup did not report',
          match: { sources: [], types: ['backup_done'], labels: [] },
        }),
        kind: 'heartbeat_missing',
        expectEveryMs: 60 * MIN,
        graceMs: 5 * MIN,
      };
      const context = (now: number) => ({ rules: engineRules(rule), settings: DEFAULT_ALERTING, now });
      const beat = (at: number) =>
        signal({ type: 'backup_done', status: 'ok', dedupKey: 'backup:pangeo', occurredAt: at });
      await ingestBatch(database.db, database.capabilities, [request([beat(T0)])], context(T0));
      const key = 'rule:backups:community=pangeo';
      await tickKeys(database.db, database.capabilities, [key], context(T0 + 60 * MIN));
      expect(await alerts(database)).toHaveLength(0);

      await tickKeys(database.db, database.capabilities, [key], context(T0 + 66 * MIN));
      const [fired] = await alerts(database);
      expect(fired).toMatchObject({ status: 'firing', community: 'pangeo', severity: 'P3', dedup_key: key });
      expect(fired?.summary).toContain('Nightly backup did not report (pangeo)');

      await ingestBatch(
        database.db,
        database.capabilities,
        [request([beat(T0 + 70 * MIN)])],
        context(T0 + 70 * MIN),
      );
      const [cleared] = await alerts(database);
      expect(cleared).toMatchObject({ status: 'resolved', resolution: 'auto' });
    }),
  );
});
