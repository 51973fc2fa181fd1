import { describe, expect, it } from 'vitest';
import { EMPTY_ROUTING } from '../oncall/routing.js';
import { referrersOf } from './find-oncall-problems.js';
import type { FleetConfig } from './fleet-config.js';
import { formatConfigError, parseConfigFile } from './parse-config-file.js';

const ONCALL = `version: 1
users:
  - key: ana
    time_zone: Europe/Berlin
    contact_methods:
      - { key: mail, kind: email, address: ana@example.org }
    notification_rules:
      - { method: mail }
  - { key: ben, time_zone: UTC }
schedules:
  - key: primary
    time_zone: UTC
    layers:
      - { name: weekly, rotation: weekly, start: "2026-01-05T09:00", participants: [ana, ben] }
    overrides:
      - { kind: replace, user: ben, start: "2026-12-24T09:00", end: "2026-12-26T09:00" }
escalation_policies:
  - key: default
    steps:
      - { targets: [{ schedule: primary }, { user: ana }], escalate_after: 5m }
routing:
  default_policy: default
  routes:
    - { match: ['community="hub-a"'], policy: default }
`;

function parsed(yaml: string): FleetConfig {
  const result = parseConfigFile(yaml, 'fleet.yaml');
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.config;
}

function errors(yaml: string): string[] {
  const result = parseConfigFile(yaml, 'fleet.yaml');
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.errors.map(formatConfigError);
}

function edited(from: string, to: string): string {
  if (!ONCALL.includes(from)) throw new Error(`fixture has no ${from}`);
  return ONCALL.replace(from, to);
}

describe('on-call references in a config file', () => {
  it('accepts users, schedules, policies and routing that refer to each other', () => {
    const config = parsed(ONCALL);
    expect(config.people.map((p) => p.key)).toEqual(['ana', 'ben']);
    expect(config.routing.defaultPolicy).toBe('default');
  });

  it.each([
    [
      'an unknown participant',
      ['participants: [ana, ben]', 'participants: [ana, bem]'],
      'fleet.yaml:14:90 schedules[0].layers[0].participants[1]: unknown user "bem" — define it under users; known: ana, ben',
    ],
    [
      'an override for an unknown user',
      ['kind: replace, user: ben', 'kind: replace, user: cai'],
      'fleet.yaml:16:32 schedules[0].overrides[0].user: unknown user "cai" — define it under users; known: ana, ben',
    ],
    [
      'a step naming an unknown schedule',
      ['{ schedule: primary }', '{ schedule: secondary }'],
      'fleet.yaml:20:33 escalation_policies[0].steps[0].targets[0].schedule: unknown schedule "secondary" — define it under schedules; known: primary',
    ],
    [
      'a step naming an unknown user',
      ['{ user: ana }], escalate_after', '{ user: dan }], escalate_after'],
      'fleet.yaml:20:52 escalation_policies[0].steps[0].targets[1].user: unknown user "dan" — define it under users; known: ana, ben',
    ],
    [
      'a notification rule naming a method the user lacks',
      ['- { method: mail }', '- { method: phone }'],
      'fleet.yaml:8:19 users[0].notification_rules[0].method: user "ana" has no contact method "phone" — use one of their contact_methods: mail',
    ],
    [
      'routing to an unknown default policy',
      ['default_policy: default', 'default_policy: primary'],
      'fleet.yaml:22:19 routing.default_policy: unknown escalation policy "primary" — define it under escalation_policies; known: default',
    ],
    [
      'a route to an unknown policy',
      ['policy: default }', 'policy: hub-a }'],
      'fleet.yaml:24:47 routing.routes[0].policy: unknown escalation policy "hub-a" — define it under escalation_policies; known: default',
    ],
    [
      'a duplicate user',
      ['- { key: ben, time_zone: UTC }', '- { key: ben, time_zone: UTC }\n  - { key: ana, time_zone: UTC }'],
      'fleet.yaml:10:12 users[2].key: duplicate user key "ana" (first at line 3) — each user key must be unique; rename or remove one',
    ],
    [
      'a duplicate contact method',
      [
        '- { key: mail, kind: email, address: ana@example.org }',
        '- { key: mail, kind: email, address: ana@example.org }\n      - { key: mail, kind: ntfy, url: https://ntfy.sh/x }',
      ],
      'fleet.yaml:7:16 users[0].contact_methods[1].key: duplicate contact method key "mail" (first at line 6) — each contact method key must be unique; rename or remove one',
    ],
  ])('reports %s', (_, [from, to], message) => {
    expect(errors(edited(from!, to!))).toEqual([message]);
  });

  it('reports duplicate schedules and policies', () => {
    const yaml = ONCALL.replace('schedules:\n', 'schedules:\n  - { key: primary, time_zone: UTC }\n').replace(
      'escalation_policies:\n',
      'escalation_policies:\n  - { key: default, steps: [{ targets: [{ user: ben }], escalate_after: 1m }] }\n',
    );
    expect(errors(yaml)).toEqual([
      'fleet.yaml:12:10 schedules[1].key: duplicate schedule key "primary" (first at line 11) — each schedule key must be unique; rename or remove one',
      'fleet.yaml:20:10 escalation_policies[1].key: duplicate escalation policy key "default" (first at line 19) — each escalation policy key must be unique; rename or remove one',
    ]);
  });

  it('reports an unknown field of a user with a suggestion', () => {
    expect(errors(edited('time_zone: Europe/Berlin', 'timezone: Europe/Berlin'))).toEqual([
      'fleet.yaml:3:5 users[0].time_zone: missing required field "time_zone" — add "time_zone: …" here',
      'fleet.yaml:4:5 users[0].timezone: unknown field "timezone" — allowed: key, name, time_zone, working_hours, contact_methods, notification_rules; did you mean "time_zone"?',
    ]);
  });
});

describe('referrersOf', () => {
  const config = parsed(ONCALL);
  const directory = {
    schedules: new Map(config.schedules.map((s) => [s.key, s])),
    policies: new Map(config.escalationPolicies.map((p) => [p.key, p])),
    routing: config.routing,
  };
  const now = Date.parse('2026-06-01T00:00:00Z');

  it('names the schedules, policies and routing that refer to something', () => {
    expect(referrersOf('user', 'ana', directory, now)).toEqual([
      'the layers of schedule "primary"',
      'the steps of escalation policy "default"',
    ]);
    expect(referrersOf('schedule', 'primary', directory, now)).toEqual([
      'the steps of escalation policy "default"',
    ]);
    expect(referrersOf('escalation policy', 'default', directory, now)).toEqual(['routing']);
    expect(
      referrersOf('escalation policy', 'default', { ...directory, routing: EMPTY_ROUTING }, now),
    ).toEqual([]);
  });

  it('counts an override only until it ends', () => {
    const onlyOverride = {
      ...directory,
      schedules: new Map([['primary', { ...config.schedules[0]!, layers: [] }]]),
      policies: new Map(),
    };
    expect(referrersOf('user', 'ben', onlyOverride, now)).toEqual(['an override of schedule "primary"']);
    expect(referrersOf('user', 'ben', onlyOverride, Date.parse('2027-01-01T00:00:00Z'))).toEqual([]);
  });
});
