import type { Insertable, Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { seedOneMonitor } from '../../test/support/seed.js';
import { UPTIME_DAYS } from '../statuspage/status-snapshot.js';
import type { IncidentsTable, Schema } from './schema.js';
import { loadStatusInputs, loadTodayUptime, loadUptimeHistory } from './statuspage-repository.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 21, 15);
const TODAY = Date.UTC(2026, 10, 21);

function incidentRow(id: string, overrides: Partial<Insertable<IncidentsTable>>): Insertable<IncidentsTable> {
  return {
    id,
    title: `Incident ${id}`,
    status: 'investigating',
    impact: 'major',
    severity: 'P2',
    detection_source: 'monitoring',
    origin: 'automation',
    detected_at: NOW - 2 * HOUR,
    first_report_at: null,
    lead_time_ms: null,
    commander: null,
    communications: null,
    published_at: NOW - 2 * HOUR,
    recovered_at: null,
    monitoring_at: null,
    resolved_at: null,
    postmortem_at: null,
    next_update_due_at: null,
    created_at: NOW - 2 * HOUR,
    updated_at: NOW - HOUR,
    ...overrides,
  };
}

async function seed(db: Kysely<Schema>): Promise<void> {
  await seedOneMonitor(db, { at: 1_000 });
  await db
    .insertInto('components')
    .values({
      id: 'cmp_east',
      ref: 'shared/east',
      community_id: null,
      key: 'east',
      name: 'East cluster',
      description: null,
      position: 0,
      status: 'operational',
      status_changed_at: 1_000,
      created_at: 1_000,
      updated_at: 1_000,
    })
    .execute();
  await db
    .insertInto('community_dependencies')
    .values({ community_id: 'com_1', component_id: 'cmp_east' })
    .execute();
  const rollup = { monitor_id: 'mon_1', granularity: 'day' as const, latency_sum_ms: 0, latency_min_ms: 0 };
  await db
    .insertInto('check_rollups')
    .values([
      { ...rollup, bucket: TODAY, checks: 2880, failures: 3, latency_max_ms: 0 },
      { ...rollup, bucket: TODAY - 200 * DAY, checks: 2880, failures: 2880, latency_max_ms: 0 },
    ])
    .execute();

  await db
    .insertInto('incidents')
    .values([
      incidentRow('inc_open', {}),
      incidentRow('inc_draft', { published_at: null }),
      incidentRow('inc_recent', {
        status: 'resolved',
        resolved_at: NOW - 3 * DAY,
        monitoring_at: NOW - 4 * DAY,
      }),
      incidentRow('inc_old', {
        status: 'resolved',
        published_at: NOW - 120 * DAY,
        resolved_at: NOW - 100 * DAY,
      }),
    ])
    .execute();
  await db
    .insertInto('incident_components')
    .values([
      { incident_id: 'inc_open', component_id: 'cmp_1', status: 'partial_outage', added_at: NOW - 2 * HOUR },
      { incident_id: 'inc_open', component_id: 'cmp_east', status: 'major_outage', added_at: NOW - HOUR },
      { incident_id: 'inc_draft', component_id: 'cmp_1', status: 'major_outage', added_at: NOW - HOUR },
      {
        incident_id: 'inc_recent',
        component_id: 'cmp_1',
        status: 'degraded_performance',
        added_at: NOW - 5 * DAY,
      },
      { incident_id: 'inc_old', component_id: 'cmp_1', status: 'major_outage', added_at: NOW - 120 * DAY },
    ])
    .execute();
  const update = { author: 'system', created_at: NOW - 2 * HOUR, affected: '[]' };
  const affected = JSON.stringify([
    { component_id: 'cmp_1', name: 'Hub', old_status: 'operational', new_status: 'partial_outage' },
  ]);
  await db
    .insertInto('incident_updates')
    .values([
      {
        ...update,
        id: 'upd_1',
        incident_id: 'inc_open',
        kind: 'public',
        status: 'investigating',
        body: 'First',
        affected,
        state: 'published',
        published_at: NOW - 2 * HOUR,
      },
      {
        ...update,
        id: 'upd_2',
        incident_id: 'inc_open',
        kind: 'public',
        status: 'identified',
        body: 'Second',
        state: 'published',
        published_at: NOW - HOUR,
      },
      {
        ...update,
        id: 'upd_draft',
        incident_id: 'inc_open',
        kind: 'public',
        status: 'monitoring',
        body: 'Not yet',
        state: 'draft',
        published_at: null,
      },
      {
        ...update,
        id: 'upd_note',
        incident_id: 'inc_open',
        kind: 'internal',
        status: 'identified',
        body: 'Internal note: root password is in the vault',
        state: 'published',
        published_at: NOW - HOUR,
      },
      {
        ...update,
        id: 'upd_of_draft',
        incident_id: 'inc_draft',
        kind: 'public',
        status: 'investigating',
        body: 'Draft incident',
        state: 'draft',
        published_at: null,
      },
    ])
    .execute();

  const window = { author: 'ops', created_at: NOW - 10 * DAY, cancelled_at: null };
  await db
    .insertInto('maintenances')
    .values([
      {
        ...window,
        id: 'mnt_now',
        title: 'Now',
        starts_at: NOW - HOUR,
        ends_at: NOW + HOUR,
        description: 'Body',
      },
      {
        ...window,
        id: 'mnt_cancelled',
        title: 'Cancelled',
        starts_at: NOW,
        ends_at: NOW + HOUR,
        cancelled_at: NOW - DAY,
      },
      { ...window, id: 'mnt_old', title: 'Old', starts_at: NOW - 100 * DAY, ends_at: NOW - 99 * DAY },
      { ...window, id: 'mnt_far', title: 'Far', starts_at: NOW + 40 * DAY, ends_at: NOW + 41 * DAY },
      {
        ...window,
        id: 'mnt_weekly',
        title: 'Weekly',
        starts_at: NOW - 200 * DAY,
        ends_at: NOW - 200 * DAY + HOUR,
        repeat: '0 2 * * 0',
        repeat_until: null,
      },
      {
        ...window,
        id: 'mnt_ended_series',
        title: 'Ended series',
        starts_at: NOW - 300 * DAY,
        ends_at: NOW - 300 * DAY + HOUR,
        repeat: '0 2 * * 0',
        repeat_until: NOW - 200 * DAY,
      },
    ])
    .execute();
  await db
    .insertInto('maintenance_components')
    .values([
      { maintenance_id: 'mnt_now', component_id: 'cmp_1' },
      { maintenance_id: 'mnt_now', component_id: 'cmp_east' },
      { maintenance_id: 'mnt_weekly', component_id: 'cmp_east' },
      { maintenance_id: 'mnt_cancelled', component_id: 'cmp_1' },
    ])
    .execute();
}

describe.each(testDialects())('loadStatusInputs on $name', (dialect) => {
  it.skipIf(!dialect.available)(
    'reads communities, components, dependencies and daily rollups as numbers',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        await seed(database.db);
        const inputs = await loadStatusInputs(database.db, NOW);
        expect(inputs.communities.map((c) => c.slug)).toEqual(['alpha']);
        expect(inputs.components.map((c) => c.ref).sort()).toEqual(['alpha/hub', 'shared/east']);
        expect(inputs.dependencies).toEqual([{ communityId: 'com_1', componentId: 'cmp_east' }]);
        expect(inputs.uptime).toEqual([{ componentId: 'cmp_1', day: TODAY, checks: 2880, failures: 3 }]);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'reads no rollups when the past days and today of the bars are kept from earlier loads',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        await seed(database.db);
        const rollup = {
          monitor_id: 'mon_1',
          granularity: 'day' as const,
          latency_sum_ms: 0,
          latency_min_ms: 0,
        };
        await database.db
          .insertInto('check_rollups')
          .values({ ...rollup, bucket: TODAY - DAY, checks: 100, failures: 1, latency_max_ms: 0 })
          .execute();
        const history = await loadUptimeHistory(database.db, NOW);
        expect(history.today).toBe(TODAY);
        const bar = history.bars.get('cmp_1');
        expect(bar).toMatchObject({ checks: 100, failures: 1 });
        expect(bar?.days).toHaveLength(UPTIME_DAYS - 1);
        expect(bar?.days.at(-1)).toEqual({ day: TODAY - DAY, checks: 100, failures: 1, incidents: [] });
        await database.db.updateTable('check_rollups').set({ checks: 999 }).execute();
        const today = await loadTodayUptime(database.db, NOW);
        expect(today).toEqual([{ componentId: 'cmp_1', day: TODAY, checks: 999, failures: 3 }]);
        const inputs = await loadStatusInputs(database.db, NOW, { past: history, today });
        expect(inputs.uptime).toBe(today);
        expect(inputs.pastUptime).toBe(history);
        // A history from yesterday is not used: everything is read again.
        const stale = await loadStatusInputs(database.db, NOW, {
          past: { ...history, today: TODAY - DAY },
          today,
        });
        expect(stale.pastUptime).toBeUndefined();
        expect(stale.uptime.map((u) => u.checks)).toEqual([999, 999]);
      });
    },
  );

  it.skipIf(!dialect.available)(
    'loads published incidents, open or resolved within 90 days, with components and published public updates only',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        await seed(database.db);
        const inputs = await loadStatusInputs(database.db, NOW);
        const incidents = [...(inputs.incidents ?? [])].sort((a, b) => a.id.localeCompare(b.id));
        expect(incidents.map((i) => i.id)).toEqual(['inc_open', 'inc_recent']);
        const [open, recent] = incidents;
        expect(open).toMatchObject({
          title: 'Incident inc_open',
          status: 'investigating',
          impact: 'major',
          publishedAt: NOW - 2 * HOUR,
          updatedAt: NOW - HOUR,
          monitoringAt: null,
          resolvedAt: null,
          components: [
            { componentId: 'cmp_1', status: 'partial_outage' },
            { componentId: 'cmp_east', status: 'major_outage' },
          ],
        });
        const updates = [...open!.updates].sort((a, b) => a.publishedAt - b.publishedAt);
        expect(updates).toEqual([
          {
            id: 'upd_1',
            status: 'investigating',
            body: 'First',
            affected: [
              { componentId: 'cmp_1', name: 'Hub', oldStatus: 'operational', newStatus: 'partial_outage' },
            ],
            publishedAt: NOW - 2 * HOUR,
          },
          { id: 'upd_2', status: 'identified', body: 'Second', affected: [], publishedAt: NOW - HOUR },
        ]);
        expect(recent).toMatchObject({ resolvedAt: NOW - 3 * DAY, monitoringAt: NOW - 4 * DAY, updates: [] });
        expect(typeof recent!.resolvedAt).toBe('number');
      });
    },
  );

  it.skipIf(!dialect.available)(
    'loads maintenance windows that are not cancelled and may occur near now, with their components',
    async () => {
      await withOpenDatabase(dialect, async (database) => {
        await seed(database.db);
        const inputs = await loadStatusInputs(database.db, NOW);
        const windows = [...(inputs.maintenances ?? [])].sort((a, b) => a.id.localeCompare(b.id));
        expect(windows.map((m) => m.id)).toEqual(['mnt_now', 'mnt_weekly']);
        expect(windows[0]).toEqual({
          id: 'mnt_now',
          title: 'Now',
          description: 'Body',
          startsAt: NOW - HOUR,
          endsAt: NOW + HOUR,
          repeat: null,
          repeatUntil: null,
          createdAt: NOW - 10 * DAY,
          componentIds: ['cmp_1', 'cmp_east'],
        });
        expect(windows[1]).toMatchObject({
          repeat: '0 2 * * 0',
          repeatUntil: null,
          componentIds: ['cmp_east'],
        });
      });
    },
  );
});
