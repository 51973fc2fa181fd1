import { describe, expect, it } from 'vitest';
import { checkResultSignal, componentStatusSignal, monitorStatusSignal } from './check-signals.js';

const MONITOR = { ref: 'pangeo/hub/front', type: 'http' };

describe('check signals', () => {
  it('makes a failed check result a problem signal about the monitor’s community and component', () => {
    expect(
      checkResultSignal(MONITOR, { ok: false, slow: false, reason: 'got 503', durationMs: 42 }, 'eu', 1_000),
    ).toEqual({
      source: 'check',
      type: 'check_result',
      dedupKey: 'check:pangeo/hub/front@eu',
      status: 'problem',
      community: 'pangeo',
      component: 'pangeo/hub',
      severity: null,
      summary: 'pangeo/hub/front: got 503',
      details: { reason: 'got 503' },
      labels: { monitor: 'pangeo/hub/front', monitor_type: 'http' },
      occurredAt: 1_000,
      location: 'eu',
      latencyMs: 42,
    });
  });

  it('makes a monitor verdict a signal keyed by monitor and location, with no community for shared ones', () => {
    const signal = monitorStatusSignal(
      { ref: 'shared/cluster/api', type: 'tcp' },
      'down',
      '2 failures',
      'us',
      5,
    );
    expect(signal).toMatchObject({
      type: 'monitor_status',
      dedupKey: 'monitor:shared/cluster/api@us',
      status: 'problem',
      community: null,
      component: 'shared/cluster',
      summary: 'shared/cluster/api is down: 2 failures',
      labels: { monitor: 'shared/cluster/api', monitor_type: 'tcp', monitor_status: 'down' },
    });
    expect(signal).not.toHaveProperty('latencyMs');
    expect(monitorStatusSignal(MONITOR, 'up', '1 success', 'us', 5).status).toBe('ok');
  });

  it('groups component alerts by the shared components their community depends on', () => {
    const signal = componentStatusSignal(
      { ref: 'pangeo/hub', name: 'Hub', dependsOn: ['storage', 'cluster-east'] },
      'operational',
      'major_outage',
      'down',
      9,
    );
    expect(signal).toMatchObject({
      dedupKey: 'component:pangeo/hub',
      status: 'problem',
      severity: 'P2',
      groupKey: 'check:depends_on=cluster-east,storage',
    });
    const shared = componentStatusSignal(
      { ref: 'shared/cluster-east', name: 'East', dependsOn: [] },
      'operational',
      'major_outage',
      'down',
      9,
    );
    expect(shared).toMatchObject({
      severity: 'P1',
      community: null,
      groupKey: 'check:depends_on=cluster-east',
    });
  });
});
