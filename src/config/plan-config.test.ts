import { describe, expect, it } from 'vitest';
import { EMPTY_FLEET, type FleetConfig } from './fleet-config.js';
import { parseConfigFile } from './parse-config-file.js';
import { countChanges, formatPlan, planConfig } from './plan-config.js';

const EMPTY = EMPTY_FLEET;

const BASE = `
version: 1
communities:
  - slug: alpha
    name: Alpha
    depends_on: [east, west]
    components:
      - key: hub
        name: Hub
        monitors:
          - { key: front, type: http, url: "https://alpha.example.org/" }
          - { key: health, type: http, url: "https://alpha.example.org/health" }
      - key: login
        name: Login
        monitors:
          - { key: page, type: http, url: "https://alpha.example.org/login" }
  - slug: beta
    name: Beta
    components:
      - key: hub
        name: Hub
shared_components:
  - key: east
    name: East
  - key: west
    name: West
`;

function fleet(yaml: string): FleetConfig {
  const parsed = parseConfigFile(yaml, 'test.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  return parsed.config;
}

function edited(replace: readonly [string, string][]): FleetConfig {
  let yaml = BASE;
  for (const [from, to] of replace) {
    if (!yaml.includes(from)) throw new Error(`fixture has no ${from}`);
    yaml = yaml.replace(from, to);
  }
  return fleet(yaml);
}

describe('planConfig', () => {
  it('creates every community, component and monitor when nothing is stored', () => {
    const plan = planConfig(fleet(BASE), EMPTY);
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.ref}`)).toEqual([
      'create community alpha',
      'create component alpha/hub',
      'create monitor alpha/hub/front',
      'create monitor alpha/hub/health',
      'create component alpha/login',
      'create monitor alpha/login/page',
      'create community beta',
      'create component beta/hub',
      'create component shared/east',
      'create component shared/west',
    ]);
  });

  it('plans nothing when the stored config already matches', () => {
    expect(planConfig(fleet(BASE), fleet(BASE)).changes).toEqual([]);
  });

  it('names the fields that changed on an updated monitor', () => {
    const desired = edited([
      [
        'url: "https://alpha.example.org/" }',
        'url: "https://alpha.example.org/", interval: 30s, expect: { status: [200] } }',
      ],
    ]);
    expect(planConfig(desired, fleet(BASE)).changes).toEqual([
      { action: 'update', kind: 'monitor', ref: 'alpha/hub/front', fields: ['interval', 'expect'] },
    ]);
  });

  it('deletes a removed component together with its monitors', () => {
    const desired = edited([
      [
        '      - key: login\n        name: Login\n        monitors:\n          - { key: page, type: http, url: "https://alpha.example.org/login" }\n',
        '',
      ],
    ]);
    expect(planConfig(desired, fleet(BASE)).changes).toEqual([
      { action: 'delete', kind: 'component', ref: 'alpha/login' },
      { action: 'delete', kind: 'monitor', ref: 'alpha/login/page' },
    ]);
  });

  it('deletes a removed community with everything in it', () => {
    const desired = edited([
      ['  - slug: beta\n    name: Beta\n    components:\n      - key: hub\n        name: Hub\n', ''],
    ]);
    expect(planConfig(desired, fleet(BASE)).changes).toEqual([
      { action: 'delete', kind: 'community', ref: 'beta' },
      { action: 'delete', kind: 'component', ref: 'beta/hub' },
    ]);
  });

  it('counts a changed depends_on as an update of the community', () => {
    const desired = edited([['depends_on: [east, west]', 'depends_on: [east]']]);
    expect(planConfig(desired, fleet(BASE)).changes).toEqual([
      { action: 'update', kind: 'community', ref: 'alpha', fields: ['depends_on'] },
    ]);
  });

  it('ignores the order of depends_on and of monitors, which the store does not keep', () => {
    const desired = edited([
      ['depends_on: [east, west]', 'depends_on: [west, east]'],
      [
        '          - { key: front, type: http, url: "https://alpha.example.org/" }\n          - { key: health, type: http, url: "https://alpha.example.org/health" }',
        '          - { key: health, type: http, url: "https://alpha.example.org/health" }\n          - { key: front, type: http, url: "https://alpha.example.org/" }',
      ],
    ]);
    expect(planConfig(desired, fleet(BASE)).changes).toEqual([]);
  });

  it('updates the position of communities that moved', () => {
    const current = fleet(BASE);
    const desired: FleetConfig = { ...current, communities: [...current.communities].reverse() };
    expect(planConfig(desired, current).changes).toEqual([
      { action: 'update', kind: 'community', ref: 'beta', fields: ['position'] },
      { action: 'update', kind: 'community', ref: 'alpha', fields: ['position'] },
    ]);
  });

  it('treats a renamed community slug as a delete and a create', () => {
    const desired = edited([['slug: beta', 'slug: gamma']]);
    const counts = countChanges(planConfig(desired, fleet(BASE)));
    expect(counts).toEqual({ create: 2, update: 0, delete: 2 });
  });
});

const ALERTING = `
alerting:
  time_boxes: { P1: 15m }
integrations:
  - { key: alertmanager, kind: alertmanager, defaults: { community: alpha } }
  - { key: grafana, kind: grafana }
alert_rules:
  - { key: hub-down, kind: consecutive, fail_after: 3 }
  - { key: restarts, kind: events_in_window, count: 2, window: 30m }
`;

describe('planConfig for alerting', () => {
  it('creates integrations and alert rules and updates the settings when nothing is stored', () => {
    const plan = planConfig(fleet(BASE + ALERTING), fleet(BASE));
    expect(plan.changes).toEqual([
      { action: 'update', kind: 'settings', ref: 'alerting', fields: ['time_boxes'] },
      { action: 'create', kind: 'integration', ref: 'alertmanager' },
      { action: 'create', kind: 'integration', ref: 'grafana' },
      { action: 'create', kind: 'alert_rule', ref: 'hub-down' },
      { action: 'create', kind: 'alert_rule', ref: 'restarts' },
    ]);
  });

  it('plans nothing when the stored alerting config already matches', () => {
    expect(planConfig(fleet(BASE + ALERTING), fleet(BASE + ALERTING)).changes).toEqual([]);
  });

  it('names the fields that changed on settings, integrations and rules', () => {
    const desired = fleet(
      BASE +
        ALERTING.replace('P1: 15m', 'P1: 15m, P4: off')
          .replace(
            'defaults: { community: alpha }',
            'defaults: { community: alpha, severity: P2 }, max_body: 1MiB',
          )
          .replace('fail_after: 3', 'fail_after: 3, severity: P1, enabled: false'),
    );
    expect(planConfig(desired, fleet(BASE + ALERTING)).changes).toEqual([
      { action: 'update', kind: 'settings', ref: 'alerting', fields: ['time_boxes'] },
      { action: 'update', kind: 'integration', ref: 'alertmanager', fields: ['defaults', 'max_body'] },
      { action: 'update', kind: 'alert_rule', ref: 'hub-down', fields: ['severity', 'enabled'] },
    ]);
  });

  it('deletes integrations and rules the file no longer has and resets left-out settings', () => {
    expect(planConfig(fleet(BASE), fleet(BASE + ALERTING)).changes).toEqual([
      { action: 'update', kind: 'settings', ref: 'alerting', fields: ['time_boxes'] },
      { action: 'delete', kind: 'integration', ref: 'alertmanager' },
      { action: 'delete', kind: 'integration', ref: 'grafana' },
      { action: 'delete', kind: 'alert_rule', ref: 'hub-down' },
      { action: 'delete', kind: 'alert_rule', ref: 'restarts' },
    ]);
  });

  it('updates a rule whose kind changed in place, naming the kind and its fields', () => {
    const desired = fleet(
      BASE + ALERTING.replace('kind: consecutive, fail_after: 3', 'kind: n_of_m, n: 2, m: 3'),
    );
    expect(planConfig(desired, fleet(BASE + ALERTING)).changes).toEqual([
      { action: 'update', kind: 'alert_rule', ref: 'hub-down', fields: ['kind', 'n', 'm', 'fail_after'] },
    ]);
  });
});

describe('formatPlan', () => {
  it('lists one change a line with a summary', () => {
    const text = formatPlan({
      changes: [
        { action: 'create', kind: 'community', ref: 'alpha' },
        { action: 'update', kind: 'monitor', ref: 'alpha/hub/front-page', fields: ['interval', 'expect'] },
        { action: 'delete', kind: 'component', ref: 'beta/login' },
      ],
    });
    expect(text).toBe(
      [
        '+ community alpha',
        '~ monitor alpha/hub/front-page (interval, expect)',
        '- component beta/login',
        '',
        'Plan: 1 to create, 1 to update, 1 to delete.',
      ].join('\n'),
    );
  });

  it('writes alerting changes like the others', () => {
    const text = formatPlan({
      changes: [
        { action: 'update', kind: 'settings', ref: 'alerting', fields: ['time_boxes'] },
        { action: 'create', kind: 'integration', ref: 'alertmanager' },
        { action: 'delete', kind: 'alert_rule', ref: 'hub-down' },
      ],
    });
    expect(text.split('\n').slice(0, 3)).toEqual([
      '~ settings alerting (time_boxes)',
      '+ integration alertmanager',
      '- alert_rule hub-down',
    ]);
  });

  it('says "No changes." for an empty plan', () => {
    expect(formatPlan({ changes: [] })).toBe('No changes.');
  });
});

describe('planConfig for on-call', () => {
  const ONCALL = `
version: 1
users:
  - key: ana
    time_zone: Europe/Berlin
    contact_methods:
      - { key: mail, kind: email, address: ana@example.org }
      - { key: phone, kind: ntfy, url: "https://ntfy.example.org/ana" }
  - { key: ben, time_zone: UTC }
schedules:
  - key: primary
    time_zone: UTC
    layers:
      - { name: weekly, rotation: weekly, start: "2026-01-05T09:00", participants: [ana, ben] }
escalation_policies:
  - { key: default, steps: [{ targets: [{ schedule: primary }], escalate_after: 5m }] }
routing:
  default_policy: default
urgency:
  - { severity: P3, urgency: high }
`;

  it('creates users, schedules and policies and updates routing and urgency when nothing is stored', () => {
    expect(planConfig(fleet(ONCALL), EMPTY).changes).toEqual([
      { action: 'create', kind: 'person', ref: 'ana' },
      { action: 'create', kind: 'person', ref: 'ben' },
      { action: 'create', kind: 'schedule', ref: 'primary' },
      { action: 'create', kind: 'escalation_policy', ref: 'default' },
      { action: 'update', kind: 'settings', ref: 'routing', fields: ['default_policy'] },
      { action: 'update', kind: 'settings', ref: 'urgency', fields: ['P3'] },
    ]);
  });

  it('names the fields that changed, and deletes what the file no longer has', () => {
    const changed = ONCALL.replace('rotation: weekly', 'rotation: daily')
      .replace('participants: [ana, ben]', 'participants: [ana]')
      .replace('  - { key: ben, time_zone: UTC }\n', '')
      .replace('urgency:\n  - { severity: P3, urgency: high }\n', '');
    expect(planConfig(fleet(changed), fleet(ONCALL)).changes).toEqual([
      { action: 'delete', kind: 'person', ref: 'ben' },
      { action: 'update', kind: 'schedule', ref: 'primary', fields: ['layers'] },
      { action: 'update', kind: 'settings', ref: 'urgency', fields: ['P3'] },
    ]);
  });

  it('ignores the order of contact methods, which the store does not keep', () => {
    const reordered = ONCALL.replace(
      '      - { key: mail, kind: email, address: ana@example.org }\n      - { key: phone, kind: ntfy, url: "https://ntfy.example.org/ana" }',
      '      - { key: phone, kind: ntfy, url: "https://ntfy.example.org/ana" }\n      - { key: mail, kind: email, address: ana@example.org }',
    );
    expect(planConfig(fleet(reordered), fleet(ONCALL)).changes).toEqual([]);
  });

  it('counts an override added in the file as an update of its schedule', () => {
    const withOverride = ONCALL.replace(
      'participants: [ana, ben] }',
      'participants: [ana, ben] }\n    overrides:\n      - { kind: add, user: ben, start: "2026-02-01T00:00", end: "2026-02-02T00:00" }',
    );
    expect(planConfig(fleet(withOverride), fleet(ONCALL)).changes).toEqual([
      { action: 'update', kind: 'schedule', ref: 'primary', fields: ['overrides'] },
    ]);
  });
});
