import { describe, expect, it } from 'vitest';
import { exportConfig } from '../export-config.js';
import { parseConfigFile } from '../parse-config-file.js';
import { planConfig } from '../plan-config.js';

const FILE = `version: 1
shared_components:
  - key: edge
    name: Edge
    monitors:
      - { key: ssh, type: tcp, host: edge.example.org, port: 22, expect: { max_latency: 500ms } }
      - { key: cert, type: tls, host: edge.example.org, warn_before: 21d }
      - { key: cert-internal, type: tls, host: 10.0.0.5, port: 8443, verify: false, allow_private_targets: true }
      - { key: dns, type: dns, query: edge.example.org, record_type: AAAA, resolver: "9.9.9.9:53", expect: { answers: ["2001:db8::1"] } }
      - { key: ping, type: ping, host: edge.example.org, count: 3, timeout: 5s }
`;

describe('tcp, tls, dns and ping monitors in config', () => {
  it('reads each type into its probe spec', () => {
    const parsed = parseConfigFile(FILE, 'fleet.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const [ssh, cert, internal, dns, ping] = parsed.config.shared[0]!.monitors;
    expect(ssh).toMatchObject({
      type: 'tcp',
      spec: { host: 'edge.example.org', port: 22, maxLatencyMs: 500 },
    });
    expect(cert).toMatchObject({
      type: 'tls',
      spec: { port: 443, warnBeforeMs: 21 * 86_400_000, rejectUnauthorized: true },
    });
    expect(internal).toMatchObject({
      type: 'tls',
      spec: { port: 8443, rejectUnauthorized: false },
      allowPrivateTargets: true,
    });
    expect(dns).toMatchObject({
      type: 'dns',
      spec: {
        name: 'edge.example.org',
        recordType: 'AAAA',
        resolver: '9.9.9.9:53',
        expectAnswers: ['2001:db8::1'],
      },
    });
    expect(ping).toMatchObject({ type: 'ping', spec: { count: 3, timeoutMs: 5_000 } });
  });

  it('exports every type to YAML that reads back with no changes', () => {
    const parsed = parseConfigFile(FILE, 'fleet.yaml');
    if (!parsed.ok) throw new Error('fixture must parse');
    const again = parseConfigFile(exportConfig(parsed.config), 'export.yaml');
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect(planConfig(again.config, parsed.config).changes).toEqual([]);
  });

  it('says how to fix a ping count that does not fit its timeout', () => {
    const parsed = parseConfigFile(
      FILE.replace('count: 3, timeout: 5s', 'count: 5, timeout: 3s'),
      'fleet.yaml',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors[0]?.path).toBe('shared_components[0].monitors[4].count');
    expect(parsed.errors[0]?.message).toMatch(/5 pings go out a second apart/);
  });

  it('refuses a host with a scheme and names the field', () => {
    const parsed = parseConfigFile(
      FILE.replace('host: edge.example.org, port: 22', 'host: "tcp://edge", port: 22'),
      'x.yaml',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors[0]).toMatchObject({ path: 'shared_components[0].monitors[0].host', line: 6 });
  });

  it('queries underscore names such as SRV records', () => {
    const parsed = parseConfigFile(
      FILE.replace(
        'query: edge.example.org, record_type: AAAA',
        'query: _imaps._tcp.example.org, record_type: SRV',
      ),
      'fleet.yaml',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.config.shared[0]!.monitors[3]).toMatchObject({
      spec: { name: '_imaps._tcp.example.org', recordType: 'SRV' },
    });
  });
});
