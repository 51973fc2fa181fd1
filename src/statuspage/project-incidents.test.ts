import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  fleetInputs,
  HOUR_MS,
  incidentInput,
  maintenanceInput,
  STATUS_NOW,
  STATUS_PAGE,
} from '../../test/support/status-fixtures.js';
import { projectStatus, type StatusInputs } from './project-status.js';

const TODAY = Date.UTC(2026, 10, 21);

function project(overrides: Partial<StatusInputs>) {
  return projectStatus(fleetInputs(overrides), STATUS_PAGE, STATUS_NOW);
}

function component(snapshot: ReturnType<typeof project>, id: string) {
  return snapshot.components.find((c) => c.id === id)!;
}

describe('projectStatus with incidents', () => {
  it('shows the status an open incident declares over an operational monitored status', () => {
    const snapshot = project({ incidents: [incidentInput()] });
    expect(component(snapshot, 'a-hub')).toMatchObject({
      status: 'partial_outage',
      monitoredStatus: 'operational',
    });
    expect(snapshot.communities.map((c) => [c.slug, c.status])).toEqual([
      ['alpha', 'partial_outage'],
      ['beta', 'operational'],
      ['gamma', 'operational'],
    ]);
    expect(snapshot).toMatchObject({ status: 'partial_outage', indicator: 'major' });
  });

  it('keeps a worse monitored status than the one the incident declares', () => {
    const base = fleetInputs();
    const components = base.components.map((c) => (c.id === 'a-hub' ? { ...c, status: 'major_outage' } : c));
    const snapshot = projectStatus(
      { ...base, components, incidents: [incidentInput()] },
      STATUS_PAGE,
      STATUS_NOW,
    );
    expect(component(snapshot, 'a-hub').status).toBe('major_outage');
  });

  it('stops overriding once the incident is resolved, but still lists it', () => {
    const resolved = incidentInput({ status: 'resolved', resolvedAt: STATUS_NOW - HOUR_MS });
    const snapshot = project({ incidents: [resolved] });
    expect(component(snapshot, 'a-hub').status).toBe('operational');
    expect(snapshot.incidents.map((i) => [i.id, i.status, i.resolvedAt])).toEqual([
      ['inc_1', 'resolved', STATUS_NOW - HOUR_MS],
    ]);
  });

  it('drops incidents resolved more than HISTORY_DAYS ago', () => {
    const old = incidentInput({
      status: 'resolved',
      publishedAt: STATUS_NOW - 100 * DAY_MS,
      resolvedAt: STATUS_NOW - 91 * DAY_MS,
    });
    expect(project({ incidents: [old] }).incidents).toEqual([]);
  });

  it('fills the public shape: url, components with their declared status, updates newest first as sanitised HTML', () => {
    const [incident] = project({ incidents: [incidentInput()] }).incidents;
    expect(incident).toMatchObject({
      id: 'inc_1',
      title: 'Hub is slow to start servers',
      status: 'investigating',
      impact: 'major',
      createdAt: STATUS_NOW - 2 * HOUR_MS,
      url: 'http://127.0.0.1:8080/incidents/inc_1',
      components: [
        { id: 'a-hub', ref: 'alpha/a-hub', name: 'Hub', status: 'partial_outage', communitySlug: 'alpha' },
      ],
      communitySlugs: ['alpha'],
    });
    expect(incident!.updates.map((u) => u.id)).toEqual(['upd_2', 'upd_1']);
    expect(incident!.updates[1]!.bodyHtml).toBe(
      '<p>We are <strong>looking</strong> into slow server starts.</p>\n',
    );
    expect(incident!.updates[1]!.affected).toEqual([
      { componentId: 'a-hub', name: 'Hub', oldStatus: 'operational', newStatus: 'partial_outage' },
    ]);
  });

  it('shows an incident on a shared component to every community depending on it, in page order', () => {
    const base = fleetInputs();
    const dependencies = [
      { communityId: 'gamma', componentId: 'east' },
      { communityId: 'alpha', componentId: 'east' },
    ];
    const incident = incidentInput({
      components: [
        { componentId: 'east', status: 'major_outage' },
        { componentId: 'b-hub', status: 'degraded_performance' },
      ],
    });
    const snapshot = projectStatus({ ...base, dependencies, incidents: [incident] }, STATUS_PAGE, STATUS_NOW);
    expect(snapshot.incidents[0]!.communitySlugs).toEqual(['alpha', 'beta', 'gamma']);
    expect(snapshot.communities.map((c) => [c.slug, c.status])).toEqual([
      ['alpha', 'major_outage'],
      ['beta', 'degraded_performance'],
      ['gamma', 'major_outage'],
    ]);
  });

  it('orders incidents newest first and ignores components that no longer exist', () => {
    const older = incidentInput({ id: 'inc_old', publishedAt: STATUS_NOW - 5 * DAY_MS });
    const ghost = incidentInput({
      id: 'inc_new',
      components: [{ componentId: 'gone', status: 'major_outage' }],
    });
    const snapshot = project({ incidents: [older, ghost] });
    expect(snapshot.incidents.map((i) => i.id)).toEqual(['inc_new', 'inc_old']);
    expect(snapshot.incidents[0]!.components).toEqual([]);
    expect(snapshot.incidents[0]!.communitySlugs).toEqual([]);
  });

  it('lists an incident on each UTC day of the bar it lasted, up to now while open', () => {
    const resolved = incidentInput({
      id: 'inc_r',
      title: 'Two-day outage',
      status: 'resolved',
      publishedAt: TODAY - 10 * DAY_MS + 23 * HOUR_MS,
      resolvedAt: TODAY - 9 * DAY_MS + HOUR_MS,
    });
    const snapshot = project({ incidents: [incidentInput(), resolved] });
    const days = component(snapshot, 'a-hub').uptime;
    const withIncidents = days.flatMap((d) => (d.incidents.length === 0 ? [] : [[d.day, d.incidents]]));
    expect(withIncidents).toEqual([
      [TODAY - 10 * DAY_MS, [{ id: 'inc_r', title: 'Two-day outage', impact: 'major' }]],
      [TODAY - 9 * DAY_MS, [{ id: 'inc_r', title: 'Two-day outage', impact: 'major' }]],
      [TODAY, [{ id: 'inc_1', title: 'Hub is slow to start servers', impact: 'major' }]],
    ]);
    expect(component(snapshot, 'a-login').uptime.every((d) => d.incidents.length === 0)).toBe(true);
  });
});

describe('projectStatus with maintenance', () => {
  it('shows under_maintenance during an in-progress window even while checks fail', () => {
    const base = fleetInputs();
    const components = base.components.map((c) => (c.id === 'b-hub' ? { ...c, status: 'major_outage' } : c));
    const snapshot = projectStatus(
      { ...base, components, maintenances: [maintenanceInput()] },
      STATUS_PAGE,
      STATUS_NOW,
    );
    expect(component(snapshot, 'b-hub')).toMatchObject({
      status: 'under_maintenance',
      monitoredStatus: 'major_outage',
    });
    expect(snapshot.communities[1]).toMatchObject({
      slug: 'beta',
      status: 'under_maintenance',
      indicator: 'minor',
    });
  });

  it('lets an open incident that declares a status for the component win over the maintenance', () => {
    const incident = incidentInput({
      components: [{ componentId: 'b-hub', status: 'degraded_performance' }],
    });
    const snapshot = project({ maintenances: [maintenanceInput()], incidents: [incident] });
    expect(component(snapshot, 'b-hub').status).toBe('degraded_performance');
  });

  it('does not touch components before the window starts', () => {
    const later = maintenanceInput({ startsAt: STATUS_NOW + HOUR_MS, endsAt: STATUS_NOW + 2 * HOUR_MS });
    const snapshot = project({ maintenances: [later] });
    expect(component(snapshot, 'b-hub').status).toBe('operational');
    expect(snapshot.maintenances.map((m) => [m.id, m.status])).toEqual([['mnt_1', 'scheduled']]);
  });
});
