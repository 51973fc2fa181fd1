import { describe, expect, it } from 'vitest';
import { type IntegrationConfig, integrationSchema, integrationToFile } from './integration-schema.js';

function integration(input: Record<string, unknown>): IntegrationConfig {
  const parsed = integrationSchema.safeParse(input);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

function messages(input: Record<string, unknown>): string[] {
  const parsed = integrationSchema.safeParse(input);
  if (parsed.success) throw new Error('expected the integration to be rejected');
  return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const GENERIC = {
  key: 'cloudwatch',
  name: 'CloudWatch alarms',
  kind: 'generic',
  defaults: { community: 'pangeo', component: 'shared/east', severity: 'P2' },
  max_body: '64KiB',
  mapping: {
    events: '$.events',
    type: '$.check.name',
    dedup_key: '$.id',
    status: '$.check.state',
    community: '$.tags.community',
    component: '$.tags.component',
    severity: '$.sev',
    summary: '$.title',
    details: '$.detail',
    labels: '$.tags',
    occurred_at: '$.time',
    status_map: { ALARM: 'problem', OK: 'ok' },
    severity_map: { sev1: 'P1' },
  },
};

describe('integrationSchema', () => {
  it('fills in the defaults of a minimal integration', () => {
    expect(integration({ key: 'alertmanager', kind: 'alertmanager' })).toEqual({
      key: 'alertmanager',
      name: 'alertmanager',
      kind: 'alertmanager',
      settings: {
        defaults: { community: null, component: null, severity: null },
        maxBodyBytes: 262_144,
        mapping: null,
      },
    });
  });

  it('reads a generic mapping into signal fields', () => {
    expect(integration(GENERIC).settings).toEqual({
      defaults: { community: 'pangeo', component: 'shared/east', severity: 'P2' },
      maxBodyBytes: 65_536,
      mapping: {
        eventsPath: '$.events',
        fields: {
          type: '$.check.name',
          dedupKey: '$.id',
          status: '$.check.state',
          community: '$.tags.community',
          component: '$.tags.component',
          severity: '$.sev',
          summary: '$.title',
          details: '$.detail',
          labels: '$.tags',
          occurredAt: '$.time',
        },
        statusMap: { ALARM: 'problem', OK: 'ok' },
        severityMap: { sev1: 'P1' },
      },
    });
  });

  it('reads max_body as bytes or with a unit, up to 1 MiB', () => {
    const bytes = (max_body: unknown) =>
      integration({ key: 'a', kind: 'grafana', max_body }).settings.maxBodyBytes;
    expect([bytes(2048), bytes('2048'), bytes('2KiB'), bytes('1MiB')]).toEqual([2048, 2048, 2048, 1_048_576]);
    expect(messages({ key: 'a', kind: 'grafana', max_body: '2MiB' })).toEqual([
      'max_body: max_body 2MiB is out of range — use between 1KiB and 1MiB',
    ]);
    expect(messages({ key: 'a', kind: 'grafana', max_body: '64 KB' })).toEqual([
      'max_body: invalid size "64 KB" — write bytes as a number (65536) or with a unit: 64KiB, 1MiB',
    ]);
  });

  it('refuses a mapping on a kind whose bodies have a fixed shape', () => {
    expect(messages({ key: 'a', kind: 'alertmanager', mapping: { type: '$.x' } })).toEqual([
      'mapping: mapping applies to kind generic only (alertmanager bodies have a fixed shape) — remove it or use kind: generic',
    ]);
  });

  it('refuses a default component that is not a component ref', () => {
    expect(messages({ key: 'a', kind: 'grafana', defaults: { component: 'hub' } })[0]).toMatch(
      /^defaults\.component: invalid component ref "hub" — write <community slug>\/<component key> or shared\/<key>/,
    );
  });
});

describe('integrationToFile', () => {
  it('writes every field so that it reads back equal', () => {
    expect(integrationToFile(integration(GENERIC))).toEqual(GENERIC);
  });

  it('leaves out defaults', () => {
    const minimal = { key: 'alertmanager', kind: 'alertmanager' };
    expect(integrationToFile(integration({ ...minimal, name: 'alertmanager', max_body: '256KiB' }))).toEqual(
      minimal,
    );
  });

  it('writes sizes with the largest exact unit, else as bytes', () => {
    const written = (max_body: unknown) =>
      integrationToFile(integration({ key: 'a', kind: 'grafana', max_body }));
    expect(written(1_048_576).max_body).toBe('1MiB');
    expect(written(3072).max_body).toBe('3KiB');
    expect(written(3000).max_body).toBe(3000);
  });
});
