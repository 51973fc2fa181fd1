import { describe, expect, it } from 'vitest';
import { community, component, sampleSnapshot } from '../../test/support/sample-snapshot.js';
import { communityStatusBadge, communityUptimeBadge, fleetStatusBadge, renderBadge } from './badges.js';
import { COMPONENT_STATUSES } from './component-status.js';

function communityBySlug(slug: string) {
  const found = sampleSnapshot().communities.find((c) => c.slug === slug);
  if (!found) throw new Error(`no ${slug}`);
  return found;
}

describe('status badges', () => {
  it("says the fleet's worst status in words, labelled with the page name", () => {
    const badge = fleetStatusBadge(sampleSnapshot());
    expect(badge).toEqual({ label: 'Fleet status', message: 'major outage', color: '#b42318' });
    const svg = renderBadge(badge);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="20" role="img"/);
    expect(svg).toContain('aria-label="Fleet status: major outage"');
    expect(svg).toContain('<title>Fleet status: major outage</title>');
    expect(svg).toContain('fill="#b42318"');
    expect(svg).toContain('>major outage</text>');
  });

  it('uses a different word and colour for every component status', () => {
    const badges = COMPONENT_STATUSES.map((status) =>
      communityStatusBadge(community('c', 'c', 'Hub', [component('x', 'c', 'X', status)])),
    );
    expect(badges.map((b) => b.message)).toEqual([
      'operational',
      'under maintenance',
      'degraded performance',
      'partial outage',
      'major outage',
    ]);
    expect(new Set(badges.map((b) => b.color)).size).toBe(COMPONENT_STATUSES.length);
    expect(communityStatusBadge(communityBySlug('beta')).message).toBe('under maintenance');
  });

  it('escapes names in the label, title and aria-label', () => {
    const hostile = community('c', 'c', '<script>alert(1)</script> & "Co"', []);
    const svg = renderBadge(communityStatusBadge(hostile));
    expect(svg).not.toContain('<script');
    expect(svg).toContain(
      '<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;: operational</title>',
    );
    expect(svg).toContain(
      'aria-label="&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;: operational"',
    );
    expect(svg.match(/</g)?.length).toBe(
      renderBadge(communityStatusBadge(community('c', 'c', 'x', []))).match(/</g)?.length,
    );
  });

  it('grows with its text so longer words never overflow', () => {
    const short = renderBadge({ label: 'a', message: 'ok', color: '#2e7d32' });
    const long = renderBadge({
      label: 'A much longer community name',
      message: 'degraded performance',
      color: '#2e7d32',
    });
    const width = (svg: string) => Number(/width="(\d+)"/.exec(svg)?.[1]);
    expect(width(long)).toBeGreaterThan(width(short) + 150);
  });
});

describe('uptime badge', () => {
  it("sums every component's checks over the 90 days and truncates to two decimals", () => {
    // Alpha: Hub 1000 checks/1 failure a day, Login 1000/0, East cluster no checks: 90 of 180,000 failed.
    const badge = communityUptimeBadge(communityBySlug('alpha'));
    expect(badge).toEqual({ label: 'Alpha Hub uptime', message: '99.95%', color: '#2e7d32' });
    const almost = community('c', 'c', 'C', [
      component('x', 'c', 'X', 'operational', { checks: 100_000, failures: 1 }),
    ]);
    expect(communityUptimeBadge(almost).message).toBe('99.99%');
    const perfect = community('c', 'c', 'C', [
      component('x', 'c', 'X', 'operational', { checks: 10, failures: 0 }),
    ]);
    expect(communityUptimeBadge(perfect).message).toBe('100%');
    const poor = community('c', 'c', 'C', [
      component('x', 'c', 'X', 'operational', { checks: 10, failures: 2 }),
    ]);
    expect(communityUptimeBadge(poor)).toMatchObject({ message: '80.00%', color: '#b42318' });
  });

  it('says "no data" when no component has checks', () => {
    const badge = communityUptimeBadge(communityBySlug('beta'));
    expect(badge).toEqual({ label: 'Beta Forum uptime', message: 'no data', color: '#6b7280' });
    expect(renderBadge(badge)).toContain('<title>Beta Forum uptime: no data</title>');
  });
});
