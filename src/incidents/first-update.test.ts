import { describe, expect, it } from 'vitest';
import { markdownToText } from '../statuspage/markdown.js';
import { momentStatus, type TemplateComponent, templatedUpdate } from './first-update.js';

const HUB: TemplateComponent = { name: 'Hub', community: 'Pangeo', status: 'partial_outage' };
const LOGIN: TemplateComponent = { name: 'Login', community: 'Pangeo', status: 'degraded_performance' };
const CLUSTER: TemplateComponent = { name: 'Cluster east', community: null, status: 'major_outage' };

describe('templatedUpdate', () => {
  it('opens by naming the affected components, the impact, each status and when the next update comes', () => {
    const text = templatedUpdate('opening', {
      components: [HUB, LOGIN, CLUSTER],
      impact: 'major',
      nextUpdateInMs: 30 * 60_000,
    });
    expect(text).toBe(
      [
        'We are investigating reports of problems with Hub (Pangeo), Login (Pangeo) and Cluster east.',
        'Impact: **major**.',
        '- Hub (Pangeo): partial outage\n- Login (Pangeo): degraded performance\n- Cluster east: major outage',
        'We will post another update within 30 minutes.',
      ].join('\n\n'),
    );
  });

  it('promises an update "as soon as we know more" when no cadence applies', () => {
    const text = templatedUpdate('opening', { components: [HUB], impact: 'none', nextUpdateInMs: null });
    expect(text).toContain('Impact: **none expected**.');
    expect(text).toMatch(/as soon as we know more\.$/);
    expect(
      templatedUpdate('relapse', { components: [HUB], impact: 'minor', nextUpdateInMs: 2 * 3_600_000 }),
    ).toBe(
      'The problem with Hub (Pangeo) has come back, and we are investigating again.\n\n' +
        'We will post another update within 2 hours.',
    );
  });

  it('says a fix is in and checks pass for monitoring, and closes for resolved', () => {
    expect(templatedUpdate('monitoring', { components: [HUB], impact: 'major' })).toContain(
      'A fix has been applied and the checks for Hub (Pangeo) are passing again.',
    );
    expect(templatedUpdate('resolved', { components: [HUB], impact: 'major' })).toMatch(
      /^This incident has been resolved: Hub \(Pangeo\) is working normally again\./,
    );
    expect(templatedUpdate('resolved', { components: [HUB, LOGIN], impact: 'major' })).toContain(
      'Hub (Pangeo) and Login (Pangeo) are working normally again',
    );
  });

  it('counts components instead of naming every one of a wide outage', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ ...HUB, community: `Hub ${i}` }));
    const text = templatedUpdate('opening', { components: many, impact: 'critical' });
    expect(text).toContain('problems with 25 components, among them Hub (Hub 0), Hub (Hub 1), Hub (Hub 2).');
    expect(text).toContain('- … and 5 more');
  });

  it('shows component names as written, not as Markdown', () => {
    const text = templatedUpdate('opening', {
      components: [{ name: '*Bold* [link](https://x.example)', community: null, status: 'major_outage' }],
      impact: 'critical',
    });
    expect(markdownToText(text)).toContain('problems with *Bold* [link](https://x.example).');
  });

  it('speaks of "our services" when no component is named', () => {
    expect(templatedUpdate('opening', { components: [], impact: 'minor' })).toMatch(
      /^We are investigating reports of problems with our services\.\n\nImpact: \*\*minor\*\*\.\n\n/,
    );
  });
});

describe('momentStatus', () => {
  it('announces investigating for an opening or a relapse', () => {
    expect(['opening', 'monitoring', 'resolved', 'relapse'].map((m) => momentStatus(m as never))).toEqual([
      'investigating',
      'monitoring',
      'resolved',
      'investigating',
    ]);
  });
});
