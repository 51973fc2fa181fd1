import { describe, expect, it } from 'vitest';
import { exportConfig } from './export-config.js';
import type { FleetConfig } from './fleet-config.js';
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

describe('exportConfig', () => {
  it('writes YAML that parses back to an equal config, every field included', () => {
    const config = fleet(EVERY_FIELD);
    expect(fleet(exportConfig(config))).toEqual(config);
  });

  it('round-trips an empty fleet', () => {
    const empty: FleetConfig = { communities: [], shared: [] };
    expect(fleet(exportConfig(empty))).toEqual(empty);
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
});
