import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  fleetInputs,
  HOUR_MS,
  maintenanceInput,
  STATUS_NOW,
  STATUS_PAGE,
} from '../../test/support/status-fixtures.js';
import { maintenanceStatus } from './project-maintenances.js';
import { projectStatus } from './project-status.js';

describe('maintenanceStatus', () => {
  it('is scheduled before the window, in_progress from its start, completed from its end', () => {
    const window = { start: 100, end: 200 };
    expect(maintenanceStatus(window, 99)).toBe('scheduled');
    expect(maintenanceStatus(window, 100)).toBe('in_progress');
    expect(maintenanceStatus(window, 199)).toBe('in_progress');
    expect(maintenanceStatus(window, 200)).toBe('completed');
  });
});

describe('projectStatus maintenances', () => {
  it('fills the public shape with the description rendered and the communities it touches', () => {
    const base = fleetInputs();
    const dependencies = [...base.dependencies, { communityId: 'gamma', componentId: 'east' }];
    const snapshot = projectStatus(
      { ...base, dependencies, maintenances: [maintenanceInput({ componentIds: ['b-hub', 'east'] })] },
      STATUS_PAGE,
      STATUS_NOW,
    );
    expect(snapshot.maintenances).toEqual([
      {
        id: 'mnt_1',
        maintenanceId: 'mnt_1',
        title: 'Database upgrade',
        description: 'Upgrading PostgreSQL; hubs may be **read-only**.',
        descriptionHtml: '<p>Upgrading PostgreSQL; hubs may be <strong>read-only</strong>.</p>\n',
        status: 'in_progress',
        scheduledFor: STATUS_NOW - HOUR_MS,
        scheduledUntil: STATUS_NOW + HOUR_MS,
        createdAt: STATUS_NOW - 7 * DAY_MS,
        url: 'http://127.0.0.1:8080/maintenances/mnt_1',
        components: [
          { id: 'b-hub', ref: 'beta/b-hub', name: 'Hub', communitySlug: 'beta' },
          { id: 'east', ref: 'shared/east', name: 'East cluster', communitySlug: null },
        ],
        communitySlugs: ['alpha', 'beta', 'gamma'],
      },
    ]);
  });

  it('expands a recurring window into occurrences from HISTORY_DAYS back to UPCOMING_DAYS ahead, soonest first', () => {
    // Daily at 02:00 UTC for an hour, first one 100 days ago.
    const first = Date.UTC(2026, 10, 21, 2) - 100 * DAY_MS;
    const daily = maintenanceInput({
      id: 'mnt_d',
      startsAt: first,
      endsAt: first + HOUR_MS,
      repeat: '0 2 * * *',
      description: null,
    });
    const list = projectStatus(fleetInputs({ maintenances: [daily] }), STATUS_PAGE, STATUS_NOW).maintenances;
    expect(list).toHaveLength(90 + 30);
    expect(list[0]!.scheduledFor).toBe(Date.UTC(2026, 10, 21, 2) - 89 * DAY_MS);
    expect(list.at(-1)!.scheduledFor).toBe(Date.UTC(2026, 10, 21, 2) + 30 * DAY_MS);
    const today = list.find((m) => m.scheduledFor === Date.UTC(2026, 10, 21, 2))!;
    expect(today).toMatchObject({
      id: `mnt_d-${Date.UTC(2026, 10, 21, 2)}`,
      maintenanceId: 'mnt_d',
      status: 'completed',
      descriptionHtml: null,
    });
    expect(list.filter((m) => m.status === 'scheduled')).toHaveLength(30);
    expect(list.every((m, i) => i === 0 || m.scheduledFor > list[i - 1]!.scheduledFor)).toBe(true);
  });

  it('leaves out windows entirely outside the shown range', () => {
    const old = maintenanceInput({ startsAt: STATUS_NOW - 100 * DAY_MS, endsAt: STATUS_NOW - 99 * DAY_MS });
    const far = maintenanceInput({
      id: 'mnt_far',
      startsAt: STATUS_NOW + 40 * DAY_MS,
      endsAt: STATUS_NOW + 41 * DAY_MS,
    });
    const snapshot = projectStatus(fleetInputs({ maintenances: [old, far] }), STATUS_PAGE, STATUS_NOW);
    expect(snapshot.maintenances).toEqual([]);
  });
});
