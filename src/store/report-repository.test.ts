import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { DEFAULT_REPORT_LIMITS, hashReportAddress, type ReportLimits } from '../ingest/community-report.js';
import type { Database } from './database.js';
import { getReport, listReports } from './report-queries.js';
import { findReportCommunity, type NewReport, reportAddressSalt, submitReport } from './report-repository.js';
import { dismissReport, linkReport, ReportTriageError } from './report-triage.js';
import type { Schema } from './schema.js';

const T0 = Date.parse('2026-06-01T12:00:00Z');
const MIN = 60_000;

async function seed(db: Kysely<Schema>): Promise<void> {
  const community = (id: string, slug: string) => ({
    id,
    slug,
    name: slug.toUpperCase(),
    description: null,
    url: null,
    position: 0,
    created_at: T0,
    updated_at: T0,
  });
  await db
    .insertInto('communities')
    .values([community('com_a', 'alpha'), community('com_b', 'beta')])
    .execute();
  const component = (id: string, ref: string, communityId: string | null) => ({
    id,
    ref,
    community_id: communityId,
    key: ref.split('/')[1] ?? ref,
    name: ref,
    description: null,
    position: 0,
    status: 'operational',
    status_changed_at: T0,
    created_at: T0,
    updated_at: T0,
  });
  await db
    .insertInto('components')
    .values([
      component('cmp_hub', 'alpha/hub', 'com_a'),
      component('cmp_beta', 'beta/hub', 'com_b'),
      component('cmp_cluster', 'shared/cluster', null),
    ])
    .execute();
  await db
    .insertInto('community_dependencies')
    .values({ community_id: 'com_a', component_id: 'cmp_cluster' })
    .execute();
}

async function insertIncident(
  db: Kysely<Schema>,
  id: string,
  options: {
    detectedAt: number;
    source?: string;
    status?: string;
    published?: boolean;
    components?: readonly string[];
  },
): Promise<void> {
  await db
    .insertInto('incidents')
    .values({
      id,
      title: `Incident ${id}`,
      status: options.status ?? 'investigating',
      impact: 'major',
      severity: 'P2',
      detection_source: options.source ?? 'monitoring',
      origin: 'alert',
      detected_at: options.detectedAt,
      first_report_at: null,
      lead_time_ms: null,
      commander: null,
      communications: null,
      published_at: options.published === false ? null : options.detectedAt,
      recovered_at: null,
      monitoring_at: null,
      resolved_at: null,
      postmortem_at: null,
      next_update_due_at: null,
      created_at: options.detectedAt,
      updated_at: options.detectedAt,
    })
    .execute();
  for (const componentId of options.components ?? []) {
    await db
      .insertInto('incident_components')
      .values({
        incident_id: id,
        component_id: componentId,
        status: 'major_outage',
        added_at: options.detectedAt,
      })
      .execute();
  }
}

const report = (overrides: Partial<NewReport> = {}): NewReport => ({
  communityId: 'com_a',
  componentId: null,
  description: 'Login says Community Not Found',
  contact: null,
  addressHash: hashReportAddress('salt', '203.0.113.9'),
  ...overrides,
});

async function submitted(database: Database, input: NewReport, now: number, limits = DEFAULT_REPORT_LIMITS) {
  const result = await submitReport(database, input, limits, now);
  if (!('report' in result)) throw new Error(`refused: ${JSON.stringify(result.refused)}`);
  return result;
}

async function incidentRow(db: Kysely<Schema>, id: string) {
  return db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe.each(testDialects())('community reports on $name', (dialect) => {
  const run = (name: string, test: (database: Database) => Promise<void>) =>
    it.skipIf(!dialect.available)(name, () =>
      withOpenDatabase(dialect, async (database) => {
        await seed(database.db);
        await test(database);
      }),
    );

  run('creates the address salt once and keeps it in the settings table', async ({ db }) => {
    const first = await reportAddressSalt(db, T0);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await reportAddressSalt(db, T0 + 1)).toBe(first);
    const rows = await db
      .selectFrom('settings')
      .selectAll()
      .where('key', '=', 'report_address_salt')
      .execute();
    expect(rows).toHaveLength(1);
  });

  run('lists a community’s own and depended-on shared components for the form', async ({ db }) => {
    const community = await findReportCommunity(db, 'alpha');
    expect(community?.components.map((c) => c.ref)).toEqual(['alpha/hub', 'shared/cluster']);
    expect(await findReportCommunity(db, 'nope')).toBeNull();
  });

  run('keeps a report without an open incident as new in the inbox, newest first', async (database) => {
    const first = await submitted(database, report(), T0);
    const second = await submitted(
      database,
      report({ componentId: 'cmp_hub', contact: 'ana@example.org' }),
      T0 + MIN,
    );
    expect(first.report.state).toBe('new');
    expect(first.incidentTitle).toBeNull();
    const { reports } = await listReports(database.db, { state: 'new', limit: 10 });
    expect(reports.map((r) => r.id)).toEqual([second.report.id, first.report.id]);
    expect(reports[0]).toMatchObject({
      communitySlug: 'alpha',
      componentRef: 'alpha/hub',
      contact: 'ana@example.org',
    });
    const stored = await database.db.selectFrom('community_reports').select('address_hash').execute();
    expect(stored.every((r) => r.address_hash === hashReportAddress('salt', '203.0.113.9'))).toBe(true);
  });

  run(
    'refuses the sixth report from one address within an hour, and takes it once the hour passed',
    async (database) => {
      for (let i = 0; i < 5; i++) await submitted(database, report(), T0 + i * MIN);
      const refused = await submitReport(database, report(), DEFAULT_REPORT_LIMITS, T0 + 10 * MIN);
      expect(refused).toEqual({ refused: { accept: false, limit: 'address', retryAfterMs: 50 * MIN } });
      const other = await submitReport(
        database,
        report({ addressHash: 'other' }),
        DEFAULT_REPORT_LIMITS,
        T0 + 10 * MIN,
      );
      expect('report' in other).toBe(true);
      const later = await submitReport(database, report(), DEFAULT_REPORT_LIMITS, T0 + 60 * MIN + 1);
      expect('report' in later).toBe(true);
      expect(await database.db.selectFrom('community_reports').select('id').execute()).toHaveLength(7);
    },
  );

  run('caps what one community takes from everyone within its window', async (database) => {
    const limits: ReportLimits = { ...DEFAULT_REPORT_LIMITS, perCommunity: { max: 3, windowMs: 10 * MIN } };
    for (let i = 0; i < 3; i++)
      await submitted(database, report({ addressHash: `a${i}` }), T0 + i * MIN, limits);
    const refused = await submitReport(database, report({ addressHash: 'a9' }), limits, T0 + 5 * MIN);
    expect(refused).toEqual({ refused: { accept: false, limit: 'community', retryAfterMs: 5 * MIN } });
    const beta = await submitReport(
      database,
      report({ communityId: 'com_b', addressHash: 'a9' }),
      limits,
      T0 + 5 * MIN,
    );
    expect('report' in beta).toBe(true);
  });

  run(
    'links a report to the newest open published incident affecting the community, with lead time',
    async (database) => {
      const { db } = database;
      await insertIncident(db, 'inc_old', { detectedAt: T0 - 60 * MIN, components: ['cmp_hub'] });
      await insertIncident(db, 'inc_new', { detectedAt: T0 - 20 * MIN, components: ['cmp_cluster'] });
      await insertIncident(db, 'inc_draft', {
        detectedAt: T0 - 5 * MIN,
        published: false,
        components: ['cmp_hub'],
      });
      await insertIncident(db, 'inc_done', {
        detectedAt: T0 - 4 * MIN,
        status: 'resolved',
        components: ['cmp_hub'],
      });
      await insertIncident(db, 'inc_beta', { detectedAt: T0 - 3 * MIN, components: ['cmp_beta'] });
      const { report: stored, incidentTitle } = await submitted(database, report(), T0);
      expect(stored).toMatchObject({
        state: 'linked',
        incidentId: 'inc_new',
        triagedBy: 'automation',
        triagedAt: T0,
      });
      expect(incidentTitle).toBe('Incident inc_new');
      expect(await incidentRow(db, 'inc_new')).toMatchObject({
        detection_source: 'monitoring',
        first_report_at: T0,
        lead_time_ms: 20 * MIN,
        version: 2,
      });
      const events = await db
        .selectFrom('incident_events')
        .selectAll()
        .where('incident_id', '=', 'inc_new')
        .execute();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: 'report_linked', actor: 'automation' });
      expect(JSON.parse(events[0]?.data ?? '{}')).toMatchObject({
        report_id: stored.id,
        lead_time_ms: 20 * MIN,
      });
      // A later report leaves the lead time alone: monitoring was 20 minutes ahead of the first one.
      await submitted(database, report({ addressHash: 'b' }), T0 + 10 * MIN);
      expect(await incidentRow(db, 'inc_new')).toMatchObject({ first_report_at: T0, lead_time_ms: 20 * MIN });
    },
  );

  run(
    'makes the community the detection source when a linked report is older than detection',
    async (database) => {
      const { db } = database;
      const { report: early } = await submitted(database, report(), T0);
      await insertIncident(db, 'inc_1', { detectedAt: T0 + 15 * MIN, components: ['cmp_hub'] });
      const linked = await linkReport(database, early.id, 'inc_1', { name: 'ana', now: T0 + 20 * MIN });
      expect(linked).toMatchObject({
        state: 'linked',
        incidentId: 'inc_1',
        triagedBy: 'ana',
        triagedAt: T0 + 20 * MIN,
      });
      expect(await incidentRow(db, 'inc_1')).toMatchObject({
        detection_source: 'community',
        detected_at: T0 + 15 * MIN,
        first_report_at: T0,
        lead_time_ms: -15 * MIN,
      });
      const event = await db
        .selectFrom('incident_events')
        .selectAll()
        .where('incident_id', '=', 'inc_1')
        .executeTakeFirstOrThrow();
      expect(event.summary).toContain('15 min before it was detected');
    },
  );

  run('dismisses a new report with a note, and refuses to triage it twice', async (database) => {
    const { report: stored } = await submitted(database, report(), T0);
    const dismissed = await dismissReport(database.db, stored.id, 'test post', {
      name: 'ben',
      now: T0 + MIN,
    });
    expect(dismissed).toMatchObject({ state: 'dismissed', triagedBy: 'ben', triageNote: 'test post' });
    await expect(
      dismissReport(database.db, stored.id, null, { name: 'ben', now: T0 + MIN }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await listReports(database.db, { state: 'new', limit: 10 })).reports).toEqual([]);
    expect((await listReports(database.db, { state: 'dismissed', limit: 10 })).reports).toHaveLength(1);
  });

  run('links a dismissed report, but never relinks a linked one', async (database) => {
    await insertIncident(database.db, 'inc_1', { detectedAt: T0 - MIN, published: false });
    await insertIncident(database.db, 'inc_2', { detectedAt: T0 - MIN, published: false });
    const { report: stored } = await submitted(database, report(), T0);
    await dismissReport(database.db, stored.id, null, { name: 'ben', now: T0 + MIN });
    await linkReport(database, stored.id, 'inc_1', { name: 'ben', now: T0 + 2 * MIN });
    const again = linkReport(database, stored.id, 'inc_2', { name: 'ben', now: T0 + 3 * MIN });
    await expect(again).rejects.toBeInstanceOf(ReportTriageError);
    await expect(again).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('inc_1'),
    });
    expect((await getReport(database.db, stored.id))?.incidentId).toBe('inc_1');
    expect(await incidentRow(database.db, 'inc_2')).toMatchObject({ first_report_at: null, version: 1 });
  });

  run('says which is missing: the report or the incident', async (database) => {
    const { report: stored } = await submitted(database, report(), T0);
    await expect(linkReport(database, 'rpt_nope', 'inc_1', { name: 'a', now: T0 })).rejects.toMatchObject({
      code: 'not_found',
      message: 'no community report rpt_nope',
    });
    await expect(linkReport(database, stored.id, 'inc_nope', { name: 'a', now: T0 })).rejects.toMatchObject({
      code: 'not_found',
      field: 'incident_id',
    });
    expect((await getReport(database.db, stored.id))?.state).toBe('new');
  });

  run('pages through all reports with a cursor', async (database) => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await submitted(database, report({ addressHash: `p${i}` }), T0 + i)).report.id);
    const first = await listReports(database.db, { state: 'all', limit: 2 });
    expect(first.reports.map((r) => r.id)).toEqual([ids[4], ids[3]]);
    const second = await listReports(database.db, { state: 'all', limit: 3, before: first.next ?? '' });
    expect(second.reports.map((r) => r.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(second.next).toBeNull();
  });
});
