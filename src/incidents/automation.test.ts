import { describe, expect, it } from 'vitest';
import { type ComponentFact, decideAutomation, type OpenIncidentFact } from './automation.js';
import { DEFAULT_INCIDENT_POLICY } from './incident-policy.js';

const T0 = Date.parse('2026-11-21T12:00:00Z');
const policy = { ...DEFAULT_INCIDENT_POLICY, quietPeriodMs: 10 * 60_000 };

function component(id: string, overrides: Partial<ComponentFact> = {}): ComponentFact {
  return {
    id,
    ref: `hub-a/${id}`,
    name: id,
    communityId: 'com-a',
    communityName: 'Hub A',
    status: 'operational',
    statusChangedAt: T0,
    inMaintenance: false,
    dependsOn: [],
    ...overrides,
  };
}

function incident(id: string, overrides: Partial<OpenIncidentFact> = {}): OpenIncidentFact {
  return {
    id,
    origin: 'automation',
    status: 'investigating',
    held: false,
    published: true,
    recoveredAt: null,
    createdAt: T0,
    impact: 'major',
    components: [],
    ...overrides,
  };
}

describe('decideAutomation', () => {
  it('opens one incident per community for its components in outage, major outage → major impact', () => {
    const actions = decideAutomation(
      [
        component('login', { status: 'major_outage', statusChangedAt: T0 + 5 }),
        component('files', { status: 'partial_outage', statusChangedAt: T0 + 2 }),
        component('web', { status: 'degraded_performance' }),
      ],
      [],
      new Map(),
      policy,
      T0 + 10,
    );
    expect(actions).toEqual([
      {
        kind: 'open',
        title: 'Hub A: login, files down',
        impact: 'major',
        components: [
          { ref: 'hub-a/login', status: 'major_outage' },
          { ref: 'hub-a/files', status: 'partial_outage' },
        ],
        detectedAt: T0 + 2,
      },
    ]);
  });

  it('opens a critical incident for a shared component in major outage, minor for a partial outage', () => {
    const shared = component('db', { communityId: null, communityName: null, status: 'major_outage' });
    const [open] = decideAutomation([shared], [], new Map(), policy, T0);
    expect(open).toMatchObject({ kind: 'open', impact: 'critical', title: 'Shared infrastructure: db down' });
    const [partial] = decideAutomation(
      [component('x', { status: 'partial_outage' })],
      [],
      new Map(),
      policy,
      T0,
    );
    expect(partial).toMatchObject({ kind: 'open', impact: 'minor' });
  });

  it('does nothing when automation is off, in maintenance, or degraded only', () => {
    const down = component('login', { status: 'major_outage' });
    expect(decideAutomation([down], [], new Map(), { ...policy, automation: false }, T0)).toEqual([]);
    expect(decideAutomation([{ ...down, inMaintenance: true }], [], new Map(), policy, T0)).toEqual([]);
    expect(
      decideAutomation([component('a', { status: 'degraded_performance' })], [], new Map(), policy, T0),
    ).toEqual([]);
  });

  it('is level-triggered: a covered outage decides nothing new', () => {
    const down = component('login', { status: 'major_outage' });
    const open = incident('inc1', { components: [{ componentId: 'login', status: 'major_outage' }] });
    expect(decideAutomation([down], [open], new Map(), policy, T0)).toEqual([]);
  });

  it('joins the open incident on shared infrastructure the community depends on', () => {
    const down = component('login', { status: 'partial_outage', dependsOn: ['db'] });
    const open = incident('inc1', { components: [{ componentId: 'db', status: 'major_outage' }] });
    expect(decideAutomation([down], [open], new Map(), policy, T0)).toEqual([
      {
        kind: 'join',
        incidentId: 'inc1',
        componentId: 'login',
        status: 'partial_outage',
        reason: 'login is partial outage too',
      },
    ]);
  });

  it('raises the status an incident gives a component when it gets worse, never lowers it', () => {
    const open = incident('inc1', { components: [{ componentId: 'login', status: 'partial_outage' }] });
    const worse = decideAutomation(
      [component('login', { status: 'major_outage' })],
      [open],
      new Map(),
      policy,
      T0,
    );
    expect(worse).toEqual([
      {
        kind: 'join',
        incidentId: 'inc1',
        componentId: 'login',
        status: 'major_outage',
        reason: 'login is now major outage',
      },
    ]);
    const major = incident('inc1', { components: [{ componentId: 'login', status: 'major_outage' }] });
    expect(
      decideAutomation([component('login', { status: 'partial_outage' })], [major], new Map(), policy, T0),
    ).toEqual([]);
  });

  it('respects a human who resolved the incident while the component stayed down', () => {
    const down = component('login', { status: 'major_outage', statusChangedAt: T0 });
    expect(decideAutomation([down], [], new Map([['login', T0 + 60_000]]), policy, T0 + 120_000)).toEqual([]);
    // It changed again after that: a new outage, a new incident.
    const again = { ...down, statusChangedAt: T0 + 90_000 };
    expect(
      decideAutomation([again], [], new Map([['login', T0 + 60_000]]), policy, T0 + 120_000),
    ).toHaveLength(1);
  });

  it('moves a recovered automation incident to monitoring, resolves it after the quiet period, not before', () => {
    const up = component('login');
    const investigating = incident('inc1', {
      components: [{ componentId: 'login', status: 'major_outage' }],
    });
    expect(decideAutomation([up], [investigating], new Map(), policy, T0)).toEqual([
      { kind: 'monitoring', incidentId: 'inc1' },
    ]);
    const monitoring = { ...investigating, status: 'monitoring' as const, recoveredAt: T0 };
    expect(decideAutomation([up], [monitoring], new Map(), policy, T0 + 10 * 60_000 - 1)).toEqual([]);
    expect(decideAutomation([up], [monitoring], new Map(), policy, T0 + 10 * 60_000)).toEqual([
      { kind: 'resolve', incidentId: 'inc1' },
    ]);
  });

  it('sends a monitoring incident back to investigating when the component fails again', () => {
    const monitoring = incident('inc1', {
      status: 'monitoring',
      recoveredAt: T0,
      components: [{ componentId: 'login', status: 'major_outage' }],
    });
    expect(
      decideAutomation([component('login', { status: 'major_outage' })], [monitoring], new Map(), policy, T0),
    ).toEqual([{ kind: 'relapse', incidentId: 'inc1', reason: 'login failed again' }]);
  });

  it('leaves held incidents and incidents people declared to people', () => {
    const up = component('login');
    const comps = [{ componentId: 'login', status: 'major_outage' as const }];
    expect(
      decideAutomation([up], [incident('a', { held: true, components: comps })], new Map(), policy, T0),
    ).toEqual([]);
    expect(
      decideAutomation([up], [incident('b', { origin: 'manual', components: comps })], new Map(), policy, T0),
    ).toEqual([]);
    const heldMonitoring = incident('c', {
      held: true,
      status: 'monitoring',
      recoveredAt: T0,
      components: comps,
    });
    expect(decideAutomation([up], [heldMonitoring], new Map(), policy, T0 + 3_600_000)).toEqual([]);
  });

  it('raises the impact of an automation incident when a covered component gets worse, never lowers it', () => {
    const minor = incident('inc1', {
      impact: 'minor',
      components: [{ componentId: 'login', status: 'partial_outage' }],
    });
    const joined = decideAutomation(
      [component('login', { status: 'partial_outage' }), component('hub', { status: 'major_outage' })],
      [{ ...minor, components: [...minor.components] }],
      new Map(),
      policy,
      T0,
    );
    expect(joined).toContainEqual({
      kind: 'raise_impact',
      incidentId: 'inc1',
      impact: 'major',
      reason: 'hub is major outage',
    });
    const major = incident('inc2', {
      impact: 'major',
      components: [{ componentId: 'login', status: 'partial_outage' }],
    });
    expect(
      decideAutomation([component('login', { status: 'partial_outage' })], [major], new Map(), policy, T0),
    ).toEqual([]);
    expect(joined.filter((a) => a.kind === 'join').map((a) => a.kind === 'join' && a.componentId)).toEqual([
      'hub',
    ]);
    const manual = { ...minor, origin: 'manual' as const };
    expect(
      decideAutomation([component('login', { status: 'major_outage' })], [manual], new Map(), policy, T0).map(
        (a) => a.kind,
      ),
    ).toEqual(['join']);
  });

  it('starts the quiet period of an incident a person moved to monitoring', () => {
    const byHand = incident('inc1', {
      status: 'monitoring',
      recoveredAt: null,
      components: [{ componentId: 'login', status: 'major_outage' }],
    });
    expect(decideAutomation([component('login')], [byHand], new Map(), policy, T0)).toEqual([
      { kind: 'recovered', incidentId: 'inc1' },
    ]);
  });
});
