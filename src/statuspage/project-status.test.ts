import { describe, expect, it } from 'vitest';
import { projectStatus, type StatusInputs } from './project-status.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 21, 15, 0, 0);
const TODAY = Date.UTC(2026, 10, 21);
const PAGE = { pageName: 'Fleet status', pageUrl: 'http://127.0.0.1:8080' };

function inputs(overrides: Partial<StatusInputs> = {}): StatusInputs {
  return {
    communities: [
      { id: 'c1', slug: 'alpha', name: 'Alpha', description: null, url: null, position: 0, updatedAt: 1 },
      { id: 'c2', slug: 'beta', name: 'Beta', description: null, url: null, position: 1, updatedAt: 1 },
    ],
    components: [
      {
        id: 'a-hub',
        ref: 'alpha/hub',
        communityId: 'c1',
        name: 'Hub',
        description: null,
        position: 0,
        status: 'operational',
        createdAt: 1,
        updatedAt: 5,
      },
      {
        id: 'a-login',
        ref: 'alpha/login',
        communityId: 'c1',
        name: 'Login',
        description: null,
        position: 1,
        status: 'operational',
        createdAt: 1,
        updatedAt: 5,
      },
      {
        id: 'b-hub',
        ref: 'beta/hub',
        communityId: 'c2',
        name: 'Hub',
        description: null,
        position: 0,
        status: 'operational',
        createdAt: 1,
        updatedAt: 5,
      },
      {
        id: 'east',
        ref: 'shared/east',
        communityId: null,
        name: 'East cluster',
        description: null,
        position: 0,
        status: 'operational',
        createdAt: 1,
        updatedAt: 5,
      },
    ],
    dependencies: [{ communityId: 'c2', componentId: 'east' }],
    uptime: [],
    ...overrides,
  };
}

describe('projectStatus', () => {
  it('shows every community operational with indicator none when nothing is wrong', () => {
    const snapshot = projectStatus(inputs(), PAGE, NOW);
    expect(snapshot.indicator).toBe('none');
    expect(snapshot.communities.map((c) => [c.slug, c.status])).toEqual([
      ['alpha', 'operational'],
      ['beta', 'operational'],
    ]);
    expect(snapshot.components.map((c) => c.ref)).toEqual([
      'alpha/hub',
      'alpha/login',
      'beta/hub',
      'shared/east',
    ]);
  });

  it('gives a community the worst status of its components and the page the worst overall', () => {
    const base = inputs();
    const components = base.components.map((c) =>
      c.id === 'a-login' ? { ...c, status: 'partial_outage' } : c,
    );
    const snapshot = projectStatus({ ...base, components }, PAGE, NOW);
    expect(snapshot.communities[0]).toMatchObject({
      slug: 'alpha',
      status: 'partial_outage',
      indicator: 'major',
    });
    expect(snapshot.communities[1]).toMatchObject({ slug: 'beta', status: 'operational' });
    expect(snapshot).toMatchObject({ status: 'partial_outage', indicator: 'major' });
  });

  it('turns only the communities that depend on a failing shared component red', () => {
    const base = inputs();
    const components = base.components.map((c) => (c.id === 'east' ? { ...c, status: 'major_outage' } : c));
    const snapshot = projectStatus({ ...base, components }, PAGE, NOW);
    expect(snapshot.communities.map((c) => [c.slug, c.status])).toEqual([
      ['alpha', 'operational'],
      ['beta', 'major_outage'],
    ]);
    expect(snapshot.communities[1]!.components.map((c) => c.ref)).toEqual(['beta/hub', 'shared/east']);
  });

  it('builds a 90-day uptime bar ending today from daily rollups, ignoring older days', () => {
    const uptime = [
      { componentId: 'a-hub', day: TODAY, checks: 100, failures: 10 },
      { componentId: 'a-hub', day: TODAY - DAY, checks: 100, failures: 0 },
      { componentId: 'a-hub', day: TODAY - 120 * DAY, checks: 100, failures: 100 },
    ];
    const hub = projectStatus(inputs({ uptime }), PAGE, NOW).components[0]!;
    expect(hub.uptime).toHaveLength(90);
    expect(hub.uptime[0]!.day).toBe(TODAY - 89 * DAY);
    expect(hub.uptime[89]).toEqual({ day: TODAY, checks: 100, failures: 10, incidents: [] });
    expect(hub.uptime[88]).toEqual({ day: TODAY - DAY, checks: 100, failures: 0, incidents: [] });
    expect(hub.uptimeRatio).toBeCloseTo(0.95, 10);
    const login = projectStatus(inputs({ uptime }), PAGE, NOW).components[1]!;
    expect(login.uptimeRatio).toBeNull();
  });
});
