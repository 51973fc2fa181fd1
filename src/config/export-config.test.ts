import { describe, expect, it } from 'vitest';
import { exportConfig } from './export-config.js';
import { EMPTY_FLEET, type FleetConfig } from './fleet-config.js';
import { parseConfigFile } from './parse-config-file.js';

function fleet(yaml: string): FleetConfig {
  const parsed = parseConfigFile(yaml, 'test.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}: ${e.message}`).join('\n'));
  return parsed.config;
}

const EVERY_FIELD = `
version: 1
communities:
  - slug: alpha
    name: Alpha Hub
    description: "yes: a description with # and 'quotes'"
    url: https://alpha.example.org
    depends_on: [cluster-east]
    components:
      - key: hub
        name: Hub
        description: "123"
        monitors:
          - key: front-page
            name: Front page
            type: http
            url: https://alpha.example.org/
            method: post
            headers: { X-Probe: firewatch, X-Count: "5" }
            body: "line one\\n  line two\\n"
            interval: 90s
            timeout: 1500ms
            max_redirects: 0
            max_body_bytes: 4096
            expect:
              status: [200, 204]
              body_contains: ["Welcome", { regex: "Sign (in|up)", flags: "mi" }, { regex: "\\\\d+" }]
              body_not_contains: ["Community Not Found", "true"]
              json:
                - { path: "$.status", equals: "ok" }
                - { path: "$.items[0]", equals: { a: [1, null, true] } }
                - { path: "$['odd key']", equals: null }
              max_latency: 2s
            rule: { fail_after: 3, recover_after: 2, impact: degraded_performance }
            enabled: false
          - key: fast
            type: http
            url: https://alpha.example.org/fast
            interval: 5s
  - slug: beta
    name: Beta
shared_components:
  - key: cluster-east
    name: East cluster
    monitors:
      - { key: api, type: http, url: "https://east.example.org/healthz", timeout: 3s }
`;

const ALERTING = `
version: 1
communities:
  - slug: pangeo
    name: Pangeo
    components: [{ key: hub, name: Hub }]
alerting:
  time_boxes: { P1: 15m, P3: off }
  flap: { max_changes: 4, window: 1h }
  default_severity: P2
integrations:
  - key: alertmanager
    name: Prometheus Alertmanager
    kind: alertmanager
    defaults: { community: pangeo, component: pangeo/hub, severity: P2 }
    max_body: 512KiB
  - key: cloudwatch
    kind: generic
    mapping:
      events: $.events
      type: $.check.name
      dedup_key: $.id
      status: $.check.state
      status_map: { ALARM: problem, OK: ok }
      severity_map: { sev1: P1 }
alert_rules:
  - key: server-start-failures
    name: Two server-start failures in a row within 30 minutes
    kind: events_in_window
    match:
      sources: [generic]
      types: [server_start_failed]
      labels: ['community=~"pangeo|hub-.*"', 'note!="say \\"hi\\", then \\\\d"']
    per: [community]
    severity: P2
    count: 2
    window: 30m
    reset_types: [server_start_succeeded]
  - { key: hub-down, kind: consecutive, fail_after: 3, per: [], auto_resolve: false, enabled: false }
  - { key: flaky, kind: n_of_m, n: 3, m: 5, group_by: [cluster], flap: { window: 2h } }
  - { key: slow, kind: latency, threshold: 2s, for: 5m }
  - { key: backup, kind: heartbeat_missing, expect_every: 1d, grace: 1h }
  - { key: regions, kind: quorum, quorum: 2, stale_after: 5m }
`;

const ONCALL = `
version: 1
users:
  - key: ana
    name: Ana Pérez
    time_zone: Europe/Berlin
    working_hours:
      - { days: [mon, tue, wed, thu], from: "08:00", to: "16:00" }
      - { days: [sat], from: "22:00", to: "02:00" }
    contact_methods:
      - { key: chat, kind: slack, url: "https://hooks.slack.com/services/T/B/X", secret: "s3cret: yes" }
      - { key: mail, kind: email, address: ana@example.org }
      - { key: phone, kind: ntfy, url: "https://ntfy.example.org/ana-pages" }
    notification_rules:
      - { method: mail, after: 0m, urgency: [high, low] }
      - { method: phone, after: 5m, urgency: [high] }
  - { key: ben, time_zone: America/New_York }
  - { key: cai, name: Cai, time_zone: UTC }
schedules:
  - key: primary
    name: Primary on-call
    time_zone: America/New_York
    layers:
      - name: weekly
        rotation: weekly
        start: "2026-01-05T09:00"
        end: "2027-01-01T00:00"
        participants: [ana, ben]
        restrictions:
          - { days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }
      - { name: nights, rotation: custom, shift_length: 36h, start: "2026-01-05", participants: [cai, ana, cai] }
    overrides:
      - { kind: replace, user: cai, start: "2026-12-24T09:00", end: "2026-12-26T09:00" }
      - { kind: remove, user: ana, start: "2026-11-01T01:30", end: "2026-11-01T05:45:00Z" }
  - { key: secondary, time_zone: Europe/Berlin, layers: [{ name: all, rotation: hourly, start: "2026-03-29T02:30", participants: [ben] }] }
escalation_policies:
  - key: default
    name: Default
    steps:
      - { targets: [{ schedule: primary }], escalate_after: 5m }
      - { targets: [{ schedule: secondary }, { user: ana }], escalate_after: 10m }
    repeat: 1
    reminder_every: 30m
    max_reminders: 4
  - { key: quiet, steps: [{ targets: [{ user: cai }], escalate_after: 1h }], reminder_every: off }
routing:
  default_policy: default
  routes:
    - { match: ['community="hub-a"', 'severity=~"P1|P2"'], policy: quiet }
urgency:
  - { severity: P2, urgency: low }
  - { severity: P3, impact: minor, urgency: low, working_hours_only: false }
`;

describe('exportConfig', () => {
  it('writes YAML that parses back to an equal config, every field included', () => {
    const config = fleet(EVERY_FIELD);
    expect(fleet(exportConfig(config))).toEqual(config);
  });

  it('round-trips an empty fleet', () => {
    expect(fleet(exportConfig(EMPTY_FLEET))).toEqual(EMPTY_FLEET);
  });

  it('leaves out fields equal to their defaults', () => {
    const config = fleet(`
version: 1
communities:
  - slug: alpha
    name: Alpha
    components:
      - key: hub
        name: Hub
        monitors:
          - key: front
            name: front
            type: http
            url: https://alpha.example.org/
            method: GET
            interval: 60s
            timeout: 10s
            max_redirects: 5
            expect: { status: [] }
            rule: { fail_after: 2, recover_after: 1, impact: major_outage }
            enabled: true
`);
    const body = exportConfig(config)
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n')
      .trim();
    expect(body).toBe(
      [
        'version: 1',
        'communities:',
        '  - slug: alpha',
        '    name: Alpha',
        '    components:',
        '      - key: hub',
        '        name: Hub',
        '        monitors:',
        '          - key: front',
        '            type: http',
        '            url: https://alpha.example.org/',
      ].join('\n'),
    );
  });

  it('keeps a timeout equal to a short interval implicit', () => {
    const config = fleet(EVERY_FIELD);
    expect(exportConfig(config)).toMatch(/key: fast\n\s+type: http\n\s+interval: 5s\n\s+url: \S+\n/);
  });

  it('writes alerting settings, integrations and every kind of alert rule so they parse back equal', () => {
    const config = fleet(ALERTING);
    expect(config.alertRules).toHaveLength(6);
    expect(fleet(exportConfig(config))).toEqual(config);
  });

  it('writes users, schedules, escalation policies, routing and urgency so they parse back equal', () => {
    const config = fleet(ONCALL);
    expect(config.schedules[0]!.overrides).toHaveLength(2);
    expect(fleet(exportConfig(config))).toEqual(config);
  });

  it('leaves out routing and urgency when they hold nothing but defaults', () => {
    const config = fleet('version: 1\nrouting: {}\nurgency:\n  - { severity: P1, impact: critical }\n');
    expect(exportConfig(config)).not.toMatch(/routing|urgency/);
  });

  it('leaves out the alerting sections when they hold nothing but defaults', () => {
    const config = fleet(
      'version: 1\nalerting:\n  time_boxes: { P1: off, P3: 30m }\n  default_severity: P3\n',
    );
    expect(exportConfig(config)).not.toMatch(/alerting|integrations|alert_rules/);
  });
});
