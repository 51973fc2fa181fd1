import { describe, expect, it } from 'vitest';
import {
  alphaHub,
  betaHub,
  DAY,
  HOUR,
  incident,
  NOW,
  sampleSnapshot,
  update,
} from '../../test/support/sample-snapshot.js';
import {
  v2Documents,
  v2IncidentsDocument,
  v2ScheduledMaintenancesDocument,
  v2Summary,
} from '../../test/support/statuspage-v2-schema.js';
import type { StatusSnapshot } from './status-snapshot.js';
import {
  activeMaintenancesJson,
  communityScope,
  fleetScope,
  incidentsJson,
  scheduledMaintenancesJson,
  summaryJson,
  unresolvedIncidentsJson,
  upcomingMaintenancesJson,
  V2_DOCUMENTS,
  type V2Scope,
} from './statuspage-v2.js';

function alpha(snapshot: StatusSnapshot = sampleSnapshot()): V2Scope {
  const found = snapshot.communities.find((c) => c.slug === 'alpha');
  if (!found) throw new Error('no alpha');
  return communityScope(snapshot, found);
}

function beta(snapshot: StatusSnapshot = sampleSnapshot()): V2Scope {
  const found = snapshot.communities.find((c) => c.slug === 'beta');
  if (!found) throw new Error('no beta');
  return communityScope(snapshot, found);
}

const ids = (list: readonly { id: string }[]) => list.map((x) => x.id);

describe('Statuspage v2 documents', () => {
  it('serves every document Statuspage serves, each matching its Atlassian shape, fleet-wide and per community', () => {
    expect(Object.keys(V2_DOCUMENTS).sort()).toEqual(Object.keys(v2Documents).sort());
    for (const scope of [fleetScope(sampleSnapshot()), alpha(), beta()]) {
      for (const [path, schema] of Object.entries(v2Documents)) {
        const render = V2_DOCUMENTS[path];
        if (!render) throw new Error(`no renderer for ${path}`);
        const result = schema.safeParse(JSON.parse(JSON.stringify(render(scope))));
        expect(result.error, `${scope.page.id} ${path}`).toBeUndefined();
      }
    }
  });

  it('puts unresolved incidents and in-progress then upcoming maintenances in summary.json', () => {
    const summary = v2Summary.parse(summaryJson(fleetScope(sampleSnapshot())));
    expect(ids(summary.incidents)).toEqual(['inc-hub', 'inc-east']);
    expect(ids(summary.scheduled_maintenances)).toEqual(['mnt-beta', 'mnt-alpha']);
    expect(summary.scheduled_maintenances.map((m) => m.status)).toEqual(['in_progress', 'scheduled']);
  });

  it('lists every incident newest first in incidents.json, resolved ones included, at most 50', () => {
    expect(ids(incidentsJson(fleetScope(sampleSnapshot())).incidents)).toEqual([
      'inc-hub',
      'inc-east',
      'inc-beta',
    ]);
    const many = Array.from({ length: 60 }, (_, i) =>
      incident({
        id: `inc-${i}`,
        title: `Incident ${i}`,
        status: 'resolved',
        impact: 'minor',
        createdAt: NOW - (60 - i) * HOUR,
        resolvedAt: NOW - (60 - i) * HOUR + 60_000,
        communitySlugs: ['alpha'],
        components: [alphaHub],
        updates: [update(`upd-${i}`, 'resolved', 'Fixed.', NOW - (60 - i) * HOUR + 60_000)],
      }),
    );
    const listed = incidentsJson(fleetScope(sampleSnapshot({ incidents: many }))).incidents;
    expect(listed).toHaveLength(50);
    expect(listed[0]?.id).toBe('inc-59');
    expect(listed[49]?.id).toBe('inc-10');
  });

  it('keeps only investigating, identified and monitoring incidents in incidents/unresolved.json', () => {
    const postmortem = incident({
      id: 'inc-pm',
      title: 'Old one with a report',
      status: 'postmortem',
      impact: 'minor',
      createdAt: NOW - 10 * DAY,
      resolvedAt: NOW - 10 * DAY + HOUR,
      communitySlugs: ['alpha'],
      components: [alphaHub],
      updates: [],
    });
    const snapshot = sampleSnapshot();
    const scope = fleetScope({ ...snapshot, incidents: [...snapshot.incidents, postmortem] });
    expect(ids(unresolvedIncidentsJson(scope).incidents)).toEqual(['inc-hub', 'inc-east']);
  });

  it('splits maintenances into upcoming (scheduled) and active (in progress); the full list latest start first', () => {
    const scope = fleetScope(sampleSnapshot());
    expect(ids(upcomingMaintenancesJson(scope).scheduled_maintenances)).toEqual(['mnt-alpha']);
    expect(ids(activeMaintenancesJson(scope).scheduled_maintenances)).toEqual(['mnt-beta']);
    expect(ids(scheduledMaintenancesJson(scope).scheduled_maintenances)).toEqual([
      'mnt-alpha',
      'mnt-beta',
      'mnt-east',
    ]);
  });

  it("shows a community only the incidents and maintenances on its page, and only its page's components", () => {
    const a = alpha();
    expect(ids(incidentsJson(a).incidents)).toEqual(['inc-hub', 'inc-east']);
    expect(ids(scheduledMaintenancesJson(a).scheduled_maintenances)).toEqual(['mnt-alpha', 'mnt-east']);
    const b = beta();
    expect(ids(incidentsJson(b).incidents)).toEqual(['inc-beta']);
    expect(ids(summaryJson(b).incidents)).toEqual([]);
    expect(ids(summaryJson(b).scheduled_maintenances)).toEqual(['mnt-beta']);

    // One incident on both communities' hubs: each community's JSON names only its own component.
    const both = incident({
      id: 'inc-both',
      title: 'Both hubs down',
      status: 'investigating',
      impact: 'critical',
      createdAt: NOW - 60_000,
      communitySlugs: ['alpha', 'beta'],
      components: [alphaHub, betaHub],
      updates: [
        update('upd-both', 'investigating', 'Looking.', NOW - 60_000, [
          { componentId: 'a-hub', name: 'Hub', oldStatus: 'operational', newStatus: 'major_outage' },
          { componentId: 'b-hub', name: 'Hub', oldStatus: 'operational', newStatus: 'major_outage' },
        ]),
      ],
    });
    const snapshot = sampleSnapshot({ incidents: [both] });
    const forAlpha = v2IncidentsDocument.parse(incidentsJson(alpha(snapshot))).incidents[0];
    expect(forAlpha?.page_id).toBe('com-alpha');
    expect(ids(forAlpha?.components ?? [])).toEqual(['a-hub']);
    expect(forAlpha?.incident_updates[0]?.affected_components.map((c) => c.code)).toEqual(['a-hub']);
    const forBeta = incidentsJson(beta(snapshot)).incidents[0];
    expect(ids(forBeta?.components ?? [])).toEqual(['b-hub']);
    expect(ids(incidentsJson(fleetScope(snapshot)).incidents[0]?.components ?? [])).toEqual([
      'a-hub',
      'b-hub',
    ]);
  });

  it("gives an incident Statuspage's fields: Markdown body as written, grouped names, shortlink, times", () => {
    const hub = incidentsJson(fleetScope(sampleSnapshot())).incidents[0];
    expect(hub).toMatchObject({
      id: 'inc-hub',
      name: 'Alpha hub down',
      status: 'identified',
      impact: 'major',
      shortlink: 'http://status.example.org/incidents/inc-hub',
      page_id: 'fleet',
      created_at: new Date(NOW - 2 * HOUR).toISOString(),
      started_at: new Date(NOW - 2 * HOUR).toISOString(),
      updated_at: new Date(NOW - HOUR).toISOString(),
      monitoring_at: null,
      resolved_at: null,
    });
    expect(hub?.components).toEqual([
      expect.objectContaining({ id: 'a-hub', name: 'Hub', group_id: 'com-alpha', status: 'major_outage' }),
    ]);
    expect(hub?.incident_updates.map((u) => [u.id, u.status, u.body])).toEqual([
      ['upd-hub-2', 'identified', 'Found a **bad** deploy.'],
      ['upd-hub-1', 'investigating', 'Hub returns 500.'],
    ]);
    expect(hub?.incident_updates[1]).toMatchObject({
      incident_id: 'inc-hub',
      display_at: new Date(NOW - 2 * HOUR).toISOString(),
      affected_components: [
        { code: 'a-hub', name: 'Alpha Hub - Hub', old_status: 'operational', new_status: 'major_outage' },
      ],
    });
    // Per community there are no groups, so the plain name.
    const inAlpha = incidentsJson(alpha()).incidents[0];
    expect(inAlpha?.incident_updates[1]?.affected_components[0]?.name).toBe('Hub');
  });

  it('gives a maintenance impact "maintenance", its window, and its milestones as updates, newest first', () => {
    const all = v2ScheduledMaintenancesDocument.parse(
      scheduledMaintenancesJson(fleetScope(sampleSnapshot())),
    );
    const done = all.scheduled_maintenances.find((m) => m.id === 'mnt-east');
    expect(done).toMatchObject({
      impact: 'maintenance',
      status: 'completed',
      scheduled_for: new Date(NOW - 3 * DAY).toISOString(),
      scheduled_until: new Date(NOW - 3 * DAY + HOUR).toISOString(),
      resolved_at: new Date(NOW - 3 * DAY + HOUR).toISOString(),
      updated_at: new Date(NOW - 3 * DAY + HOUR).toISOString(),
    });
    expect(done?.incident_updates.map((u) => u.status)).toEqual(['completed', 'in_progress', 'scheduled']);
    expect(done?.incident_updates.map((u) => u.affected_components[0]?.new_status)).toEqual([
      'operational',
      'under_maintenance',
      'operational',
    ]);
    const upcoming = all.scheduled_maintenances.find((m) => m.id === 'mnt-alpha');
    expect(upcoming?.resolved_at).toBeNull();
    expect(upcoming?.incident_updates.map((u) => u.status)).toEqual(['scheduled']);
    const active = all.scheduled_maintenances.find((m) => m.id === 'mnt-beta');
    expect(active?.incident_updates.at(-1)?.body).toBe('Moving the **database**.');
    expect(ids(active?.components ?? [])).toEqual(['b-hub']);
  });

  it('serves empty lists when nothing happened', () => {
    const quiet = sampleSnapshot({ incidents: [], maintenances: [] });
    for (const scope of [fleetScope(quiet), alpha(quiet)]) {
      const summary = v2Summary.parse(summaryJson(scope));
      expect(summary.incidents).toEqual([]);
      expect(summary.scheduled_maintenances).toEqual([]);
    }
  });
});
