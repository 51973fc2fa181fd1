import { describe, expect, it } from 'vitest';
import { exportConfig } from '../export-config.js';
import { parseConfigFile } from '../parse-config-file.js';
import { planConfig } from '../plan-config.js';

const FILE = `version: 1
communities:
  - slug: alpha
    name: Alpha
    components:
      - key: login
        name: Login
        monitors:
          - key: journey
            type: browser
            url: https://alpha.example.org/login
            interval: 5m
            timeout: 45s
            steps:
              - { action: fill, selector: "#user", value: demo }
              - { action: click, selector: "button[type=submit]", name: signs in }
              - { action: expect_text, text: "Welcome, demo" }
              - { action: expect_no_text, text: Community Not Found }
`;

describe('browser monitors in config', () => {
  it('reads the journey as data steps', () => {
    const parsed = parseConfigFile(FILE, 'fleet.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const monitor = parsed.config.communities[0]!.components[0]!.monitors[0]!;
    expect(monitor).toMatchObject({
      type: 'browser',
      spec: {
        startUrl: 'https://alpha.example.org/login',
        timeoutMs: 45_000,
        viewport: { width: 1280, height: 720 },
      },
    });
    if (monitor.type !== 'browser') return;
    expect(monitor.spec.steps).toEqual([
      { action: 'fill', selector: '#user', value: 'demo' },
      { action: 'click', selector: 'button[type=submit]', name: 'signs in' },
      { action: 'expect_text', text: 'Welcome, demo' },
      { action: 'expect_no_text', text: 'Community Not Found' },
    ]);
  });

  it('exports to YAML that reads back with no changes', () => {
    const parsed = parseConfigFile(FILE, 'fleet.yaml');
    if (!parsed.ok) throw new Error('fixture must parse');
    const again = parseConfigFile(exportConfig(parsed.config), 'export.yaml');
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect(planConfig(again.config, parsed.config).changes).toEqual([]);
  });

  it('refuses an unknown step action, naming the step', () => {
    const parsed = parseConfigFile(FILE.replace('action: click', 'action: hover'), 'fleet.yaml');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors[0]?.path).toMatch(/monitors\[0\]\.steps\[1\]/);
  });

  it('gives a journey 30 s when the file names no timeout (Chromium needs longer than one request)', () => {
    const parsed = parseConfigFile(FILE.replace('            timeout: 45s\n', ''), 'fleet.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.config.communities[0]!.components[0]!.monitors[0]!.spec.timeoutMs).toBe(30_000);
  });
});
