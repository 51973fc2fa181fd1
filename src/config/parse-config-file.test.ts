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
});
