import { describe, expect, it } from 'vitest';
import { exportConfig } from '../export-config.js';
import { parseConfigFile } from '../parse-config-file.js';
import { planConfig } from '../plan-config.js';

const FILE = `version: 1
communities:
  - slug: alpha
    name: Alpha
    components:
      - key: hub
        name: Hub
        monitors:
          - key: login-flow
            type: multi_step
            timeout: 20s
            steps:
              - name: log in
                method: POST
                url: https://alpha.example.org/login
                body: '{"user":"demo","password":"demo"}'
                expect: { status: [200] }
                extract:
                  - { variable: token, json: "$.token" }
                  - { variable: csrf, header: x-csrf }
                  - { variable: id, regex: "id=(\\\\d+)" }
              - name: load dashboard
                url: https://alpha.example.org/users/\${id}
                headers: { Authorization: "Bearer \${token}" }
                expect: { body_contains: ["Welcome"] }
`;

describe('multi_step monitors in config', () => {
  it('reads steps, their requests and extractions', () => {
    const parsed = parseConfigFile(FILE, 'fleet.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const monitor = parsed.config.communities[0]!.components[0]!.monitors[0]!;
    expect(monitor.type).toBe('multi_step');
    if (monitor.type !== 'multi_step') return;
    expect(monitor.spec.timeoutMs).toBe(20_000);
    expect(monitor.spec.steps.map((s) => [s.name, s.request.method, s.request.url])).toEqual([
      ['log in', 'POST', 'https://alpha.example.org/login'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${id} is the config's own placeholder syntax
      ['load dashboard', 'GET', 'https://alpha.example.org/users/${id}'],
    ]);
    expect(monitor.spec.steps[0]!.extract).toEqual([
      { variable: 'token', from: 'json', path: '$.token' },
      { variable: 'csrf', from: 'header', header: 'x-csrf' },
      { variable: 'id', from: 'regex', pattern: 'id=(\\d+)', flags: '', group: 1 },
    ]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${token} is the config's own placeholder syntax
    expect(monitor.spec.steps[1]!.request.headers).toEqual({ Authorization: 'Bearer ${token}' });
  });

  it('exports to YAML that reads back with no changes', () => {
    const parsed = parseConfigFile(FILE, 'fleet.yaml');
    if (!parsed.ok) throw new Error('fixture must parse');
    const again = parseConfigFile(exportConfig(parsed.config), 'export.yaml');
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect(planConfig(again.config, parsed.config).changes).toEqual([]);
  });

  it('names the step whose field is wrong', () => {
    const parsed = parseConfigFile(FILE.replace('https://alpha.example.org/login', 'ftp://x'), 'fleet.yaml');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors[0]).toMatchObject({
      path: 'communities[0].components[0].monitors[0].steps[0].url',
      line: 15,
    });
    expect(parsed.errors[0]?.message).toMatch(/invalid step URL "ftp:\/\/x"/);
  });
});
