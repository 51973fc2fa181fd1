import { describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_POLICY } from '../incidents/incident-policy.js';
import { exportConfig } from './export-config.js';
import { EMPTY_FLEET, type FleetConfig } from './fleet-config.js';
import { incidentPolicySchema, incidentPolicyToFile } from './incident-policy-schema.js';
import { parseConfigFile } from './parse-config-file.js';
import { formatPlan, planConfig } from './plan-config.js';

function fleet(yaml: string): FleetConfig {
  const parsed = parseConfigFile(yaml, 'f.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

describe('incidentPolicySchema', () => {
  it('gives the defaults for an empty section', () => {
    expect(incidentPolicySchema.parse({})).toEqual(DEFAULT_INCIDENT_POLICY);
  });

  it('reads every key, with cadences as durations or off and the defaults for impacts left out', () => {
    const policy = incidentPolicySchema.parse({
      automation: false,
      first_update: 'draft',
      quiet_period: '15m',
      update_every: { critical: '20m', none: '4h', minor: 'off' },
    });
    expect(policy).toEqual({
      automation: false,
      firstUpdate: 'draft',
      quietPeriodMs: 15 * 60_000,
      updateEveryMs: { critical: 20 * 60_000, major: 60 * 60_000, minor: null, none: 4 * 3_600_000 },
    });
  });

  it('refuses values out of range or of the wrong kind, saying what to write', () => {
    const issues = incidentPolicySchema.safeParse({
      first_update: 'later',
      quiet_period: '2s',
      update_every: { major: 'hourly' },
    }).error?.issues;
    expect(issues?.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['first_update', expect.stringContaining('publish')],
      ['quiet_period', 'quiet period 2s is out of range — use between 5s and 1d'],
      [
        'update_every.major',
        'invalid update cadence "hourly" — write a duration from 1m to 24h (e.g. 30m) or off',
      ],
    ]);
  });
});

describe('incidentPolicyToFile', () => {
  it('writes nothing for the defaults', () => {
    expect(incidentPolicyToFile(DEFAULT_INCIDENT_POLICY)).toEqual({});
  });

  it('writes only what differs, and reads back equal', () => {
    const file = { automation: false, quiet_period: '5m', update_every: { critical: '15m', none: 'off' } };
    const policy = incidentPolicySchema.parse(file);
    expect(incidentPolicyToFile(policy)).toEqual({ ...file, update_every: { critical: '15m' } });
    expect(incidentPolicySchema.parse(incidentPolicyToFile(policy))).toEqual(policy);
  });
});

describe('the incidents: section of a config file', () => {
  it('points at the wrong field with the line it is on', () => {
    const parsed = parseConfigFile(
      'version: 1\nincidents:\n  automation: yes please\n  cadence: 5m\n',
      'f.yaml',
    );
    expect(parsed.ok).toBe(false);
    const errors = parsed.ok ? [] : parsed.errors;
    expect(errors.map((e) => [e.line, e.path])).toEqual([
      [3, 'incidents.automation'],
      [4, 'incidents.cadence'],
    ]);
    expect(errors[1]?.message).toContain('update_every');
  });

  it('carries the policy into the FleetConfig, exports it and reads it back equal', () => {
    const config = fleet('version: 1\nincidents:\n  first_update: draft\n  update_every: { none: 4h }\n');
    expect(config.incidents.firstUpdate).toBe('draft');
    const exported = exportConfig(config);
    expect(exported).toContain('incidents:\n  first_update: draft\n  update_every:\n    none: 4h\n');
    expect(fleet(exported)).toEqual(config);
    expect(exportConfig(EMPTY_FLEET)).not.toContain('incidents');
  });

  it('plans a settings update naming the keys that changed', () => {
    const desired = fleet('version: 1\nincidents:\n  automation: false\n  update_every: { major: 20m }\n');
    expect(formatPlan(planConfig(desired, EMPTY_FLEET))).toContain(
      '~ settings incidents (automation, update_every)',
    );
    expect(planConfig(EMPTY_FLEET, EMPTY_FLEET).changes).toEqual([]);
  });
});
