import { describe, expect, it } from 'vitest';
import { testDialects, withOpenDatabase } from '../../test/support/databases.js';
import { parseConfigFile } from '../config/parse-config-file.js';
import { DEFAULT_INCIDENT_POLICY } from '../incidents/incident-policy.js';
import { DEFAULT_URGENCY_MATRIX } from '../oncall/urgency-matrix.js';
import { decideTimeBox } from './alert-actions.js';
import { applyFleetConfig } from './config-repository.js';
import type { Database } from './database.js';
import { declareIncidentFromAlert } from './incident-from-alert.js';
import {
  addIncidentComponents,
  changeIncident,
  type DeclareIncidentInput,
  declareIncident,
  getIncident,
  type IncidentDetail,
  IncidentError,
  type IncidentSettings,
  linkAlertToIncident,
  listIncidents,
  loadIncidentPolicy,
  markRecovered,
  openIncidentsForComponents,
  postIncidentUpdate,
  publishIncident,
} from './incident-repository.js';

const T0 = Date.parse('2026-06-01T12:00:00Z');
const MIN = 60_000;

const FILE = `
version: 1
communities:
  - slug: pangeo
    name: Pangeo
    depends_on: [cluster]
    components:
      - { key: hub, name: Hub }
      - { key: login, name: Login }
shared_components:
  - { key: cluster, name: Cluster east }
incidents:
  update_every: { minor: 45m }
`;

const SETTINGS: IncidentSettings = {
  matrix: DEFAULT_URGENCY_MATRIX,
  policy: DEFAULT_INCIDENT_POLICY,
  pageUrl: 'https://status.example.org',
  pageName: 'Example status',
};

const DECLARE: DeclareIncidentInput = {
  title: 'Hub is down',
  impact: 'major',
  components: [
    { ref: 'pangeo/hub', status: 'partial_outage' },
    { ref: 'pangeo/login', status: 'degraded_performance' },
  ],
  message: null,
  draft: false,
  origin: 'manual',
  detectionSource: 'manual',
  detectedAt: T0 - 5 * MIN,
  commander: 'ana',
  actor: 'ana',
};

async function setUp(database: Database): Promise<void> {
  const parsed = parseConfigFile(FILE, 'fleet.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  await applyFleetConfig(database.db, parsed.config, T0 - 60 * MIN);
}

async function declared(
  database: Database,
  input: Partial<DeclareIncidentInput> = {},
): Promise<IncidentDetail> {
  const result = await declareIncident(database, { ...DECLARE, ...input }, SETTINGS, T0);
  if (!('incident' in result)) throw new Error(`unknown: ${result.unknown.join(', ')}`);
  return result.incident;
}

async function insertAlert(
  database: Database,
  id: string,
  fields: { component?: string; firedAt?: number } = {},
) {
  await database.db
    .insertInto('alerts')
    .values({
      id,
      dedup_key: `key-${id}`,
      rule_id: null,
      group_id: null,
      status: 'acknowledged',
      severity: 'P1',
      source: 'generic',
      summary: `Disk full on ${id}`,
      details: '{}',
      labels: '{}',
      community: 'pangeo',
      component: fields.component ?? 'pangeo/hub',
      flapping: 0,
      muted_by: null,
      owner: 'ben',
      repeat_count: 0,
      fired_at: fields.firedAt ?? T0 - 20 * MIN,
      last_signal_at: T0 - 20 * MIN,
      acknowledged_at: T0 - 15 * MIN,
      resolved_at: null,
      resolution: null,
      timebox_ends_at: T0 - MIN,
      timebox_state: 'expired',
      created_at: T0 - 20 * MIN,
      updated_at: T0 - 20 * MIN,
      urgency: 'high',
      urgency_row: null,
    })
    .execute();
  await database.db
    .insertInto('alert_events')
    .values({
      id: `aev_${id}`,
      alert_id: id,
      kind: 'acknowledged',
      actor: 'ben',
      reason: null,
      data: null,
      at: T0 - 15 * MIN,
    })
    .execute();
}

async function rejection(promise: Promise<unknown>): Promise<IncidentError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IncidentError) return error;
    throw error;
  }
  throw new Error('expected an IncidentError');
}

describe.each(testDialects())('incident store on $name', (dialect) => {
  const test = (name: string, body: (database: Database) => Promise<void>) =>
    it.skipIf(!dialect.available)(name, () =>
      withOpenDatabase(dialect, async (database) => {
        await setUp(database);
        await body(database);
      }),
    );

  test('declares an incident with a published, templated first update and one event per fact', async (database) => {
    const incident = await declared(database);
    expect(incident).toMatchObject({
      title: 'Hub is down',
      status: 'investigating',
      impact: 'major',
      severity: 'P2',
      origin: 'manual',
      detectionSource: 'manual',
      detectedAt: T0 - 5 * MIN,
      commander: 'ana',
      held: false,
      publishedAt: T0,
      nextUpdateDueAt: T0 + 60 * MIN,
      version: 1,
    });
    expect(incident.components.map((c) => [c.ref, c.status, c.community])).toEqual([
      ['pangeo/hub', 'partial_outage', 'pangeo'],
      ['pangeo/login', 'degraded_performance', 'pangeo'],
    ]);
    expect(incident.updates).toHaveLength(1);
    const [first] = incident.updates;
    expect(first).toMatchObject({
      kind: 'public',
      status: 'investigating',
      state: 'published',
      publishedAt: T0,
    });
    expect(first?.body).toContain(
      'We are investigating reports of problems with Hub (Pangeo) and Login (Pangeo).',
    );
    expect(first?.body).toContain('- Hub (Pangeo): partial outage');
    expect(first?.body).toContain('within 1 hour');
    expect(first?.affected).toEqual([
      {
        componentId: incident.components[0]?.componentId,
        name: 'Hub',
        oldStatus: 'operational',
        newStatus: 'partial_outage',
      },
      {
        componentId: incident.components[1]?.componentId,
        name: 'Login',
        oldStatus: 'operational',
        newStatus: 'degraded_performance',
      },
    ]);
    expect(incident.timeline.map((e) => [e.kind, e.source])).toEqual([
      ['declared', 'incident'],
      ['role_assigned', 'incident'],
      ['update_published', 'incident'],
    ]);
    expect(incident.timeline[0]?.summary).toBe(
      'Declared by ana: "Hub is down" — major impact (P2), investigating, affecting Hub (pangeo), Login (pangeo)',
    );
    expect(await getIncident(database.db, incident.id)).toEqual(incident);
  });

  test('writes nothing and names what is unknown when a ref or alert names nothing', async (database) => {
    const result = await declareIncident(
      database,
      { ...DECLARE, components: [{ ref: 'pangeo/nope', status: 'major_outage' }], alertIds: ['alr_missing'] },
      SETTINGS,
      T0,
    );
    expect(result).toEqual({ unknown: ['pangeo/nope', 'alr_missing'] });
    expect((await listIncidents(database.db, { state: 'all', limit: 10 })).incidents).toEqual([]);
  });

  test('keeps a draft unpublished until one publish action publishes it with its draft updates', async (database) => {
    const draft = await declared(database, { draft: true, message: 'Looking into **Hub** errors.' });
    expect(draft).toMatchObject({ publishedAt: null, nextUpdateDueAt: null });
    expect(draft.updates[0]).toMatchObject({
      state: 'draft',
      publishedAt: null,
      body: 'Looking into **Hub** errors.',
    });
    expect(draft.timeline.at(-1)?.kind).toBe('update_drafted');

    const second = await postIncidentUpdate(
      database,
      draft.id,
      { kind: 'public', body: 'Found it: a full disk.', status: 'identified', actor: 'ana' },
      SETTINGS,
      T0 + MIN,
    );
    expect(second.updates.map((u) => [u.status, u.state])).toEqual([
      ['identified', 'draft'],
      ['investigating', 'draft'],
    ]);
    const refused = await rejection(
      postIncidentUpdate(
        database,
        draft.id,
        { kind: 'public', body: 'x', draft: false, actor: 'ana' },
        SETTINGS,
        T0,
      ),
    );
    expect(refused).toMatchObject({ code: 'conflict', field: 'draft' });

    const published = await publishIncident(database, draft.id, 'ben', SETTINGS, T0 + 2 * MIN);
    expect(published).toMatchObject({ publishedAt: T0 + 2 * MIN, nextUpdateDueAt: T0 + 62 * MIN });
    expect(published.updates.map((u) => [u.state, u.publishedAt])).toEqual([
      ['published', T0 + 2 * MIN],
      ['published', T0 + 2 * MIN],
    ]);
    expect(published.timeline.at(-1)).toMatchObject({
      kind: 'published',
      summary: 'Published by ben with 2 updates',
    });

    const again = await publishIncident(database, draft.id, 'ben', SETTINGS, T0 + 3 * MIN);
    expect(again.version).toBe(published.version);
    const late = await rejection(
      postIncidentUpdate(
        database,
        draft.id,
        { kind: 'public', body: 'x', draft: true, actor: 'ana' },
        SETTINGS,
        T0,
      ),
    );
    expect(late).toMatchObject({ code: 'conflict', field: 'draft' });
  });

  test('moves status through updates, resolving components and stopping the cadence', async (database) => {
    const incident = await declared(database);
    const identified = await postIncidentUpdate(
      database,
      incident.id,
      {
        kind: 'public',
        body: 'A full disk on the hub.',
        status: 'identified',
        impact: 'critical',
        components: [{ ref: 'shared/cluster', status: 'major_outage' }],
        actor: 'ana',
      },
      SETTINGS,
      T0 + 10 * MIN,
    );
    expect(identified).toMatchObject({ status: 'identified', impact: 'critical', severity: 'P1' });
    expect(identified.nextUpdateDueAt).toBe(T0 + 40 * MIN);
    expect(identified.components.map((c) => c.ref)).toEqual(['pangeo/hub', 'pangeo/login', 'shared/cluster']);
    expect(identified.updates[0]?.affected.map((a) => [a.name, a.oldStatus, a.newStatus])).toEqual([
      ['Cluster east', 'operational', 'major_outage'],
    ]);

    const monitoring = await postIncidentUpdate(
      database,
      incident.id,
      { kind: 'public', body: 'Fixed; watching.', status: 'monitoring', actor: 'ana' },
      SETTINGS,
      T0 + 20 * MIN,
    );
    expect(monitoring.monitoringAt).toBe(T0 + 20 * MIN);

    const resolved = await postIncidentUpdate(
      database,
      incident.id,
      { kind: 'public', body: 'All good.', status: 'resolved', actor: 'ana' },
      SETTINGS,
      T0 + 30 * MIN,
    );
    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: T0 + 30 * MIN, nextUpdateDueAt: null });
    expect(resolved.components.every((c) => c.status === 'operational')).toBe(true);
    expect(resolved.updates[0]?.affected.map((a) => [a.name, a.oldStatus, a.newStatus])).toEqual([
      ['Hub', 'partial_outage', 'operational'],
      ['Login', 'degraded_performance', 'operational'],
      ['Cluster east', 'major_outage', 'operational'],
    ]);
    expect(resolved.timeline.filter((e) => e.kind === 'status_changed').map((e) => e.summary)).toEqual([
      'Status changed from investigating to identified',
      'Status changed from identified to monitoring',
      'Status changed from monitoring to resolved',
    ]);
    expect((await listIncidents(database.db, { state: 'open', limit: 10 })).incidents).toEqual([]);
    expect(
      (await listIncidents(database.db, { state: 'resolved', limit: 10 })).incidents.map((i) => i.id),
    ).toEqual([incident.id]);
  });

  test('refuses transitions the lifecycle forbids, with the reason', async (database) => {
    const incident = await declared(database, { status: 'resolved' });
    expect(incident).toMatchObject({ resolvedAt: T0, nextUpdateDueAt: null });
    const post = (status: 'monitoring' | 'investigating' | 'postmortem', at: number) =>
      postIncidentUpdate(
        database,
        incident.id,
        { kind: 'public', body: status, status, actor: 'ana' },
        SETTINGS,
        at,
      );
    const refused = await rejection(post('monitoring', T0 + MIN));
    expect(refused).toMatchObject({ code: 'conflict', field: 'status' });
    expect(refused.message).toBe(
      `incident ${incident.id} is resolved: a resolved incident cannot go to monitoring — reopen it as investigating, then move it on`,
    );
    const reopened = await post('investigating', T0 + 2 * MIN);
    expect(reopened).toMatchObject({
      status: 'investigating',
      resolvedAt: null,
      nextUpdateDueAt: T0 + 62 * MIN,
    });
    expect((await rejection(post('postmortem', T0 + 3 * MIN))).message).toContain('resolve it first');
  });

  test('adds internal notes without changing anything public', async (database) => {
    const incident = await declared(database);
    const noted = await postIncidentUpdate(
      database,
      incident.id,
      { kind: 'internal', body: 'Ben is restarting the node pool.\nSecond line.', actor: 'ben' },
      SETTINGS,
      T0 + MIN,
    );
    expect(noted).toMatchObject({
      status: 'investigating',
      nextUpdateDueAt: incident.nextUpdateDueAt,
      version: 2,
    });
    expect(noted.updates[0]).toMatchObject({
      kind: 'internal',
      body: 'Ben is restarting the node pool.\nSecond line.',
    });
    expect(noted.timeline.at(-1)).toMatchObject({
      kind: 'note',
      summary: 'Note by ben: Ben is restarting the node pool.',
    });
    const refused = await rejection(
      postIncidentUpdate(
        database,
        incident.id,
        { kind: 'internal', body: 'x', status: 'resolved', actor: 'ben' },
        SETTINGS,
        T0,
      ),
    );
    expect(refused).toMatchObject({ code: 'invalid_request', field: 'status' });
  });

  test('refuses an update naming an unknown component, naming it', async (database) => {
    const incident = await declared(database);
    const refused = await rejection(
      postIncidentUpdate(
        database,
        incident.id,
        {
          kind: 'public',
          body: 'x',
          components: [{ ref: 'pangeo/ghost', status: 'major_outage' }],
          actor: 'ana',
        },
        SETTINGS,
        T0,
      ),
    );
    expect(refused).toMatchObject({
      code: 'invalid_request',
      field: 'components',
      message: 'unknown component "pangeo/ghost"',
    });
    expect((await getIncident(database.db, incident.id))?.version).toBe(1);
  });

  test('records roles, impact and the hold, which blocks nothing in the store', async (database) => {
    const incident = await declared(database);
    const held = await changeIncident(
      database,
      incident.id,
      { held: true, commander: 'ben', communications: 'cat', impact: 'minor' },
      'ben',
      T0 + 5 * MIN,
    );
    expect(held).toMatchObject({
      held: true,
      commander: 'ben',
      communications: 'cat',
      impact: 'minor',
      severity: 'P3',
      nextUpdateDueAt: T0 + 45 * MIN,
      version: 2,
    });
    expect(held.timeline.slice(-4).map((e) => e.summary)).toEqual([
      'Impact changed from major to minor (P3)',
      'ben is commander',
      'cat is communications',
      'Held by ben: automation will not move it',
    ]);
    expect(held.timeline.slice(-4).map((e) => e.kind)).toEqual([
      'impact_changed',
      'role_assigned',
      'role_assigned',
      'held',
    ]);

    const same = await changeIncident(
      database,
      incident.id,
      { held: true, commander: 'ben' },
      'ben',
      T0 + 6 * MIN,
    );
    expect(same.version).toBe(2);

    const resolved = await postIncidentUpdate(
      database,
      incident.id,
      { kind: 'public', body: 'Done.', status: 'resolved', actor: 'ben' },
      SETTINGS,
      T0 + 7 * MIN,
    );
    expect(resolved).toMatchObject({ status: 'resolved', held: true });
    const released = await changeIncident(
      database,
      incident.id,
      { held: false, communications: null },
      'ana',
      T0 + 8 * MIN,
    );
    expect(released.timeline.slice(-2).map((e) => e.summary)).toEqual([
      'cat is no longer communications',
      'Released by ana: automation may move it again',
    ]);
  });

  test('detects a change made against an older version, also when two race', async (database) => {
    const incident = await declared(database);
    const results = await Promise.allSettled([
      changeIncident(database, incident.id, { title: 'First', expectedVersion: 1 }, 'ana', T0 + MIN),
      changeIncident(database, incident.id, { title: 'Second', expectedVersion: 1 }, 'ben', T0 + MIN),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(IncidentError);
    expect(failed.reason).toMatchObject({ code: 'conflict', field: 'version' });
    const stored = await getIncident(database.db, incident.id);
    expect(stored?.version).toBe(2);
    expect(stored?.timeline.filter((e) => e.kind === 'title_changed')).toHaveLength(1);

    const stale = await rejection(
      postIncidentUpdate(
        database,
        incident.id,
        { kind: 'public', body: 'x', actor: 'ana', expectedVersion: 1 },
        SETTINGS,
        T0,
      ),
    );
    expect(stale.code).toBe('conflict');
  });

  test('links alerts, moving detection earlier, and merges their events into the timeline', async (database) => {
    await insertAlert(database, 'alr_1', { firedAt: T0 - 30 * MIN });
    const incident = await declared(database, { detectionSource: 'community', detectedAt: T0 - 10 * MIN });
    await database.db
      .updateTable('incidents')
      .set({ first_report_at: T0 - 10 * MIN })
      .where('id', '=', incident.id)
      .execute();
    const linked = await linkAlertToIncident(database, incident.id, 'alr_1', 'ana', T0 + MIN);
    expect(linked).toMatchObject({
      alertIds: ['alr_1'],
      detectionSource: 'monitoring',
      detectedAt: T0 - 30 * MIN,
      leadTimeMs: 20 * MIN,
    });
    expect(linked.timeline[0]).toMatchObject({
      source: 'alert',
      alertId: 'alr_1',
      kind: 'acknowledged',
      at: T0 - 15 * MIN,
      summary: 'Alert "Disk full on alr_1": acknowledged',
    });
    expect(linked.timeline.at(-1)?.kind).toBe('alert_linked');
    const again = await linkAlertToIncident(database, incident.id, 'alr_1', 'ana', T0 + 2 * MIN);
    expect(again.version).toBe(linked.version);
    expect((await rejection(linkAlertToIncident(database, incident.id, 'alr_nope', 'ana', T0))).code).toBe(
      'not_found',
    );
  });

  test('declares from an alert with the matrix impact, its component and its firing time, once', async (database) => {
    await insertAlert(database, 'alr_2');
    const first = await declareIncidentFromAlert(database, 'alr_2', { actor: 'ben' }, SETTINGS, T0);
    expect(first.declared).toBe(true);
    expect(first.incident).toMatchObject({
      title: 'Disk full on alr_2',
      impact: 'critical',
      severity: 'P1',
      origin: 'alert',
      detectionSource: 'monitoring',
      detectedAt: T0 - 20 * MIN,
      commander: 'ben',
      alertIds: ['alr_2'],
    });
    expect(first.incident.components.map((c) => [c.ref, c.status])).toEqual([['pangeo/hub', 'major_outage']]);
    const again = await declareIncidentFromAlert(database, 'alr_2', { actor: 'ben' }, SETTINGS, T0 + MIN);
    expect(again).toMatchObject({ declared: false, incident: { id: first.incident.id } });
  });

  test('declares from a run-out time box in the decision’s transaction', async (database) => {
    await insertAlert(database, 'alr_3');
    const draftPolicy = {
      ...SETTINGS,
      policy: { ...DEFAULT_INCIDENT_POLICY, firstUpdate: 'draft' as const },
    };
    const alert = await decideTimeBox(
      database.db,
      database.capabilities,
      'alr_3',
      { name: 'ben', now: T0 },
      'incident',
      'needs the whole team',
      0,
      { settings: draftPolicy },
    );
    expect(alert).toMatchObject({ status: 'acknowledged', timebox_state: 'decided' });
    const event = await database.db
      .selectFrom('alert_events')
      .select('data')
      .where('alert_id', '=', 'alr_3')
      .where('kind', '=', 'timebox_decided')
      .executeTakeFirstOrThrow();
    const data = JSON.parse(event.data ?? '{}') as { incident_id: string; incident_declared: boolean };
    expect(data.incident_declared).toBe(true);
    const incident = await getIncident(database.db, data.incident_id);
    expect(incident).toMatchObject({ origin: 'alert', publishedAt: null, alertIds: ['alr_3'] });
  });

  test('lets automation join components, mark recovery and find open incidents by component', async (database) => {
    const incident = await declared(database);
    const cluster = await database.db
      .selectFrom('components')
      .select('id')
      .where('ref', '=', 'shared/cluster')
      .executeTakeFirstOrThrow();
    const hubId = incident.components[0]!.componentId;
    const joined = await addIncidentComponents(
      database,
      incident.id,
      [
        { componentId: cluster.id, status: 'major_outage' },
        { componentId: hubId, status: 'partial_outage' },
      ],
      'automation',
      T0 + MIN,
    );
    expect(joined.components.map((c) => c.ref)).toEqual(['pangeo/hub', 'pangeo/login', 'shared/cluster']);
    expect(joined.timeline.at(-1)).toMatchObject({
      kind: 'component_added',
      summary: 'Cluster east added (major outage)',
    });
    expect(joined.version).toBe(2);
    expect((await openIncidentsForComponents(database.db, [cluster.id])).map((r) => r.id)).toEqual([
      incident.id,
    ]);
    expect(await openIncidentsForComponents(database.db, ['cmp_other'])).toEqual([]);

    const recovered = await markRecovered(database, incident.id, T0 + 2 * MIN, 'automation', T0 + 2 * MIN);
    expect(recovered).toMatchObject({ recoveredAt: T0 + 2 * MIN, version: 3 });
    expect(
      (await markRecovered(database, incident.id, T0 + 2 * MIN, 'automation', T0 + 3 * MIN)).version,
    ).toBe(3);
    const relapsed = await markRecovered(database, incident.id, null, 'automation', T0 + 4 * MIN);
    expect(relapsed.recoveredAt).toBeNull();
    expect(relapsed.timeline.filter((e) => e.kind === 'recovered')).toHaveLength(2);
  });

  test('pages through incidents newest first', async (database) => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await declared(database, { title: `Incident ${i}` })).id);
    const first = await listIncidents(database.db, { state: 'all', limit: 2 });
    expect(first.incidents.map((i) => i.title)).toEqual(['Incident 2', 'Incident 1']);
    expect(first.incidents[0]?.components).toHaveLength(2);
    const rest = await listIncidents(database.db, { state: 'open', limit: 2, before: first.next! });
    expect(rest).toEqual({ incidents: [expect.objectContaining({ id: ids[0] })], next: null });
  });

  test('reads the incident policy applied from the config file, back to defaults without the section', async (database) => {
    expect((await loadIncidentPolicy(database.db)).updateEveryMs).toEqual({
      ...DEFAULT_INCIDENT_POLICY.updateEveryMs,
      minor: 45 * MIN,
    });
    const apply = async (yaml: string) => {
      const parsed = parseConfigFile(yaml, 'fleet.yaml');
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      await applyFleetConfig(database.db, parsed.config, T0);
    };
    await apply(FILE.replace('update_every: { minor: 45m }', 'first_update: draft\n  quiet_period: 20m'));
    expect(await loadIncidentPolicy(database.db)).toEqual({
      ...DEFAULT_INCIDENT_POLICY,
      firstUpdate: 'draft',
      quietPeriodMs: 20 * MIN,
    });
    await apply(FILE.replace(/incidents:[\s\S]*$/, ''));
    expect(await loadIncidentPolicy(database.db)).toEqual(DEFAULT_INCIDENT_POLICY);
  });
});
