import { describe, expect, it } from 'vitest';
import { type ConfigError, formatConfigError, parseConfigFile } from './parse-config-file.js';

function errorsOf(yaml: string): readonly ConfigError[] {
  const parsed = parseConfigFile(yaml, 'fleet.yaml');
  if (parsed.ok) throw new Error('expected the file to be rejected');
  return parsed.errors;
}

const MONITOR = '{ key: front, type: http, url: "https://alpha.example.org/" }';

describe('parseConfigFile', () => {
  it('fills in the defaults of a minimal monitor', () => {
    const parsed = parseConfigFile(
      `version: 1\ncommunities:\n  - slug: alpha\n    name: Alpha\n    components:\n      - key: hub\n        name: Hub\n        monitors: [${MONITOR}]\n`,
      'fleet.yaml',
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const monitor = parsed.config.communities[0]?.components[0]?.monitors[0];
    expect(monitor).toEqual({
      key: 'front',
      name: 'front',
      type: 'http',
      intervalMs: 60_000,
      enabled: true,
      spec: {
        url: 'https://alpha.example.org/',
        method: 'GET',
        headers: {},
        body: null,
        expectStatus: [],
        bodyContains: [],
        bodyNotContains: [],
        json: [],
        maxLatencyMs: null,
        timeoutMs: 10_000,
        maxRedirects: 5,
        maxBodyBytes: 1_048_576,
      },
      rule: { failAfter: 2, recoverAfter: 1, impact: 'major_outage', quorum: 1 },
      locations: null,
      confirm: { retries: 1, delayMs: 1_000 },
      allowPrivateTargets: false,
      tags: [],
    });
  });

  it('points an unknown field at its key, lists the allowed fields and suggests the nearest', () => {
    const [error] = errorsOf(
      `version: 1\nshared_components:\n  - key: east\n    name: East\n    monitors:\n      - key: api\n        type: http\n        url: https://east.example.org/\n        intervall: 30s\n`,
    );
    expect(error).toMatchObject({ line: 9, column: 9, path: 'shared_components[0].monitors[0].intervall' });
    expect(error?.message).toMatch(
      /^unknown field "intervall" — allowed: key, name, type, interval, timeout, url, .*; did you mean "interval"\?$/,
    );
  });

  it('points a missing field at the map that lacks it', () => {
    const [error] = errorsOf('version: 1\ncommunities:\n  - slug: alpha\n    description: no name\n');
    expect(error).toMatchObject({ line: 3, column: 5, path: 'communities[0].name' });
    expect(error?.message).toBe('missing required field "name" — add "name: …" here');
  });

  it('says what type it expected and how to write it', () => {
    const [error] = errorsOf(
      'version: 1\ncommunities:\n  - slug: alpha\n    name: Alpha\n    depends_on: east\n',
    );
    expect(formatConfigError(error!)).toBe(
      'fleet.yaml:5:17 communities[0].depends_on: expected a list, got "east" — write [a, b] or one "- item" per line',
    );
  });

  it('rejects a URL that is not absolute http(s)', () => {
    const [error] = errorsOf('version: 1\ncommunities:\n  - slug: alpha\n    name: Alpha\n    url: htp:/x\n');
    expect(formatConfigError(error!)).toBe(
      'fleet.yaml:5:10 communities[0].url: invalid URL "htp:/x" — use an absolute http:// or https:// URL',
    );
  });

  it('rejects regular expressions that do not compile and JSON paths that do not parse', () => {
    const errors = errorsOf(
      `version: 1\nshared_components:\n  - key: east\n    name: East\n    monitors:\n      - key: api\n        type: http\n        url: https://east.example.org/\n        expect:\n          body_contains: [{ regex: "(" }]\n          json: [{ path: "status", equals: ok }]\n`,
    );
    expect(errors.map((e) => [e.line, e.path])).toEqual([
      [10, 'shared_components[0].monitors[0].expect.body_contains[0].regex'],
      [11, 'shared_components[0].monitors[0].expect.json[0].path'],
    ]);
    expect(errors[0]?.message).toMatch(/^invalid regular expression "\(":/);
    expect(errors[1]?.message).toMatch(/^invalid JSON path "status"/);
  });

  it('rejects a timeout longer than the interval', () => {
    const [error] = errorsOf(
      `version: 1\nshared_components:\n  - key: east\n    name: East\n    monitors:\n      - { key: api, type: http, url: "https://e.example.org/", interval: 5s, timeout: 10s }\n`,
    );
    expect(error?.path).toBe('shared_components[0].monitors[0].timeout');
    expect(error?.message).toMatch(/^timeout 10s is longer than the interval 5s — /);
  });

  it('points a duplicate slug at the second occurrence and names the line of the first', () => {
    const [error] = errorsOf(
      'version: 1\ncommunities:\n  - slug: alpha\n    name: A\n  - slug: alpha\n    name: B\n',
    );
    expect(error).toMatchObject({ line: 5, column: 11, path: 'communities[1].slug' });
    expect(error?.message).toBe(
      'duplicate community slug "alpha" (first at line 3) — each community slug must be unique; rename or remove one',
    );
  });

  it('rejects duplicate component and monitor keys', () => {
    const errors = errorsOf(
      `version: 1\nshared_components:\n  - key: east\n    name: East\n    monitors: [${MONITOR}, ${MONITOR}]\n  - key: east\n    name: East again\n`,
    );
    expect(errors.map((e) => e.path)).toEqual([
      'shared_components[0].monitors[1].key',
      'shared_components[1].key',
    ]);
  });

  it('rejects depends_on naming an unknown shared component and lists the known ones', () => {
    const [error] = errorsOf(
      'version: 1\ncommunities:\n  - slug: alpha\n    name: A\n    depends_on: [west]\nshared_components:\n  - key: east\n    name: East\n',
    );
    expect(error?.path).toBe('communities[0].depends_on[0]');
    expect(error?.message).toBe(
      'unknown shared component "west" — define it under shared_components or use one of: east',
    );
  });

  it('turns YAML syntax errors into errors with line numbers', () => {
    const [error] = errorsOf('version: 1\ncommunities:\n  - slug: alpha\n    name: A\n    name: B\n');
    expect(error).toMatchObject({ line: 5, path: '' });
    expect(formatConfigError(error!)).toMatch(
      /^fleet\.yaml:5:5: YAML syntax error: .* — remove or rename one/,
    );
  });

  it('rejects an empty file and an unsupported version', () => {
    expect(errorsOf('')[0]?.message).toMatch(/^the file is empty — start it with "version: 1"/);
    expect(errorsOf('version: 2\n')[0]?.message).toBe(
      'unsupported version 2 — this Firewatch reads version: 1',
    );
  });

  it('reports every mistake at once, in file order', () => {
    const errors = errorsOf(
      'version: 1\ncommunities:\n  - slug: Alpha\n    name: 5\n    colour: red\n  - slug: beta\n    name: B\n    url: ftp://beta\n',
    );
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 8]);
  });

  const oneMonitor = (fields: string) =>
    `version: 1\ncommunities:\n  - slug: alpha\n    name: Alpha\n    components:\n      - key: hub\n        name: Hub\n        monitors:\n          - key: front\n${fields}`;

  it('points an unknown monitor type at its type field and lists the known types', () => {
    const [error] = errorsOf(oneMonitor('            type: htp\n            url: https://a.example.org/\n'));
    expect(error).toMatchObject({ line: 10, path: 'communities[0].components[0].monitors[0].type' });
    expect(error?.message).toMatch(/unknown monitor type "htp" — use one of: http/);
  });

  it('refuses a quorum larger than the number of locations', () => {
    const [error] = errorsOf(
      oneMonitor(
        '            type: http\n            url: https://a.example.org/\n            locations: [eu, us]\n            rule: { quorum: 3 }\n',
      ),
    );
    expect(error?.path).toBe('communities[0].components[0].monitors[0].rule.quorum');
    expect(error?.message).toMatch(/quorum 3 needs at least 3 locations/);
  });

  it('reads locations, confirmation and private targets', () => {
    const parsed = parseConfigFile(
      oneMonitor(
        '            type: http\n            url: http://127.0.0.1:9/\n            locations: [eu, us, ap]\n            rule: { quorum: 2 }\n            confirm: { retries: 2, delay: 500ms }\n            allow_private_targets: true\n',
      ),
      'fleet.yaml',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.config.communities[0]?.components[0]?.monitors[0]).toMatchObject({
      locations: ['eu', 'us', 'ap'],
      rule: { quorum: 2 },
      confirm: { retries: 2, delayMs: 500 },
      allowPrivateTargets: true,
    });
  });

  const ALERTING_BASE =
    'version: 1\ncommunities:\n  - slug: pangeo\n    name: Pangeo\n    components:\n      - key: hub\n        name: Hub\n';

  it('reads the alerting, integrations and alert_rules sections', () => {
    const parsed = parseConfigFile(
      `${ALERTING_BASE}alerting:\n  time_boxes: { P1: off, P2: 15m }\n  default_severity: P2\nintegrations:\n  - key: alertmanager\n    kind: alertmanager\n    defaults: { community: pangeo, component: pangeo/hub }\nalert_rules:\n  - key: hub-down\n    kind: consecutive\n    match: { labels: ['community="pangeo"'] }\n    enabled: false\n`,
      'fleet.yaml',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.config.alerting).toMatchObject({
      timeBoxes: { P1: null, P2: 900_000, P3: 1_800_000 },
      defaultSeverity: 'P2',
    });
    expect(parsed.config.integrations[0]?.settings.defaults).toEqual({
      community: 'pangeo',
      component: 'pangeo/hub',
      severity: null,
    });
    expect(parsed.config.alertRules[0]).toMatchObject({
      enabled: false,
      rule: {
        key: 'hub-down',
        kind: 'consecutive',
        match: { labels: [{ name: 'community', op: '=', value: 'pangeo' }] },
      },
    });
  });

  it('points an unknown field of an alert rule at its key and lists the fields of its kind', () => {
    const errors = errorsOf(
      `${ALERTING_BASE}alert_rules:\n  - key: restarts\n    kind: events_in_window\n    count: 2\n    windw: 30m\n`,
    );
    expect(errors.map(formatConfigError)).toEqual([
      'fleet.yaml:9:5 alert_rules[0].window: missing required field "window" — add "window: …" here',
      'fleet.yaml:12:5 alert_rules[0].windw: unknown field "windw" — allowed: key, name, kind, count, window, consecutive, reset_types, match, per, severity, auto_resolve, group_by, flap, enabled; did you mean "window"?',
    ]);
  });

  it('points a missing kind field of an alert rule at the rule and names it', () => {
    const errors = errorsOf(
      `${ALERTING_BASE}alert_rules:\n  - key: restarts\n    kind: latency\n    for: 5m\n`,
    );
    expect(errors.map(formatConfigError)).toEqual([
      'fleet.yaml:9:5 alert_rules[0].threshold: missing required field "threshold" — add "threshold: …" here',
    ]);
  });

  it('points an unknown or missing alert rule kind at the kind field or the rule', () => {
    const errors = errorsOf(
      `${ALERTING_BASE}alert_rules:\n  - { key: a, kind: n_of_n }\n  - { key: b }\n  - hub-down\n`,
    );
    expect(errors.map(formatConfigError)).toEqual([
      'fleet.yaml:9:21 alert_rules[0].kind: unknown alert rule kind "n_of_n" — use one of: consecutive, n_of_m, events_in_window, latency, heartbeat_missing, quorum',
      'fleet.yaml:10:5 alert_rules[1].kind: missing required field "kind" — add "kind: …", one of: consecutive, n_of_m, events_in_window, latency, heartbeat_missing, quorum',
      'fleet.yaml:11:5 alert_rules[2]: expected a map of fields, got "hub-down" — write "field: value" lines indented under it',
    ]);
  });

  it('points a bad label matcher at the list item', () => {
    const [error] = errorsOf(
      `${ALERTING_BASE}alert_rules:\n  - key: a\n    kind: consecutive\n    match:\n      labels: ['community="pangeo"', 'community=pangeo"']\n`,
    );
    expect(error).toMatchObject({ line: 12, column: 38, path: 'alert_rules[0].match.labels[1]' });
    expect(error?.message).toMatch(/^invalid matcher "community=pangeo\\"": .* — write name="value"/);
  });

  it('reports mistakes in the alerting and integrations sections where they are', () => {
    const errors = errorsOf(
      `${ALERTING_BASE}alerting:\n  time_boxes: { P1: 10s }\n  default_severity: P5\nintegrations:\n  - key: am\n    kind: alertmanagr\n  - key: cw\n    kind: generic\n    max_body: 2MiB\n    mapping: { typ: $.type }\n`,
    );
    expect(errors.map(formatConfigError)).toEqual([
      'fleet.yaml:9:21 alerting.time_boxes.P1: time box 10s is out of range — write a duration from 1m to 24h (e.g. 30m) or off',
      'fleet.yaml:10:21 alerting.default_severity: invalid value "P5" — use one of: P1, P2, P3, P4',
      'fleet.yaml:13:11 integrations[0].kind: invalid value "alertmanagr" — use one of: alertmanager, grafana, generic',
      'fleet.yaml:16:15 integrations[1].max_body: max_body 2MiB is out of range — use between 1KiB and 1MiB',
      'fleet.yaml:17:16 integrations[1].mapping.typ: unknown field "typ" — allowed: events, type, dedup_key, status, community, component, severity, summary, details, labels, occurred_at, status_map, severity_map; did you mean "type"?',
    ]);
  });

  it('refuses integration defaults naming a community or component the file does not define', () => {
    const errors = errorsOf(
      `${ALERTING_BASE}integrations:\n  - key: am\n    kind: alertmanager\n    defaults: { community: pangeo-x, component: pangeo/hubb }\n  - key: gf\n    kind: grafana\n    defaults: { community: pangeo, component: shared/east }\n`,
    );
    expect(errors.map(formatConfigError)).toEqual([
      'fleet.yaml:11:28 integrations[0].defaults.community: unknown community "pangeo-x" — define it under communities; known: pangeo',
      'fleet.yaml:11:49 integrations[0].defaults.component: unknown component "pangeo/hubb" — use the ref of a component in this file (<slug>/<key> or shared/<key>); known: pangeo/hub',
      'fleet.yaml:14:47 integrations[1].defaults.component: unknown component "shared/east" — use the ref of a component in this file (<slug>/<key> or shared/<key>); known: pangeo/hub',
    ]);
  });

  it('refuses a default component of another community', () => {
    const [error] = errorsOf(
      `${ALERTING_BASE}  - slug: beta\n    name: Beta\n    components: [{ key: hub, name: Hub }]\nintegrations:\n  - { key: am, kind: alertmanager, defaults: { community: pangeo, component: beta/hub } }\n`,
    );
    expect(error?.message).toBe(
      'component "beta/hub" is not part of community "pangeo" — use a component of pangeo (pangeo/<key>) or a shared component it depends_on',
    );
  });

  it('refuses duplicate integration and alert rule keys', () => {
    const errors = errorsOf(
      `${ALERTING_BASE}integrations:\n  - { key: am, kind: alertmanager }\n  - { key: am, kind: grafana }\nalert_rules:\n  - { key: a, kind: consecutive }\n  - { key: a, kind: consecutive }\n`,
    );
    expect(errors.map((e) => [e.line, e.path, e.message.split(' — ')[0]])).toEqual([
      [10, 'integrations[1].key', 'duplicate integration key "am" (first at line 9)'],
      [13, 'alert_rules[1].key', 'duplicate alert rule key "a" (first at line 12)'],
    ]);
  });
});
