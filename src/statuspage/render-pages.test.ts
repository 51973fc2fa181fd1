import { describe, expect, it } from 'vitest';
import { escapeHtml } from './html.js';
import { projectStatus, type StatusInputs } from './project-status.js';
import { renderCommunityPage, renderNotFoundPage } from './render-community-page.js';
import { renderFleetPage } from './render-fleet-page.js';
import { STATUS_SCRIPT_URL } from './status-script.js';
import type { StatusSnapshot } from './status-snapshot.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 21, 15, 0, 0);
const TODAY = Date.UTC(2026, 10, 21);
const PAGE = { pageName: 'Fleet status', pageUrl: 'http://127.0.0.1:8080' };
const SCRIPT = '<script>alert(1)</script>';
const QUOTE = '" onmouseover="x';

type Community = StatusInputs['communities'][number];
type Component = StatusInputs['components'][number];

function community(id: string, slug: string, name: string, position: number): Community {
  return { id, slug, name, description: null, url: null, position, updatedAt: 1 };
}

function component(id: string, communityId: string | null, name: string, status = 'operational'): Component {
  const ref = `${communityId ?? 'shared'}/${id}`;
  return { id, ref, communityId, name, description: null, position: 0, status, createdAt: 1, updatedAt: 5 };
}

function snapshot(overrides: Partial<StatusInputs> = {}): StatusSnapshot {
  const inputs: StatusInputs = {
    communities: [
      community('alpha', 'alpha', 'Alpha Hub', 0),
      community('beta', 'beta', 'Beta Forum', 1),
      community('gamma', 'gamma', 'Gamma Lab', 2),
    ],
    components: [
      component('a-hub', 'alpha', 'Hub'),
      component('a-login', 'alpha', 'Login'),
      component('b-hub', 'beta', 'Hub', 'major_outage'),
      component('g-hub', 'gamma', 'Hub'),
      component('east', null, 'East cluster'),
    ],
    dependencies: [{ communityId: 'alpha', componentId: 'east' }],
    uptime: [
      { componentId: 'a-hub', day: TODAY, checks: 1440, failures: 10 },
      { componentId: 'a-hub', day: TODAY - DAY, checks: 1440, failures: 0 },
    ],
    ...overrides,
  };
  return projectStatus(inputs, PAGE, NOW);
}

function count(haystack: string, needle: RegExp): number {
  return haystack.match(needle)?.length ?? 0;
}

describe('renderFleetPage', () => {
  it('renders a complete document: reloads every 30 s only without JS, loads the one live script, links JSON and feeds', () => {
    const page = renderFleetPage(snapshot());
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('<noscript><meta http-equiv="refresh" content="30"></noscript>');
    expect(count(page, /http-equiv="refresh"/g)).toBe(1);
    expect(page).toContain(`<script src="${STATUS_SCRIPT_URL}" defer></script>`);
    expect(count(page, /<script/g)).toBe(1);
    expect(page).toContain('<a class="brand" href="/">Fleet status</a>');
    expect(page).toContain('href="/api/v2/summary.json"');
    expect(page).toContain('<link rel="alternate" type="application/rss+xml"');
    expect(page).toContain('href="/history.rss"');
    expect(page).toContain('href="/history.atom"');
    expect(page).toContain('<a href="/history">Incident history</a>');
    expect(page).toContain('<main id="main">');
    expect(page).toContain('Powered by Firewatch');
  });

  it('lists every community in configured order with a link, its status in words and a component count', () => {
    const page = renderFleetPage(snapshot());
    const links = [...page.matchAll(/<a href="\/c\/([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ['alpha', 'Alpha Hub'],
      ['beta', 'Beta Forum'],
      ['gamma', 'Gamma Lab'],
    ]);
    expect(page).toContain('3 components');
    expect(page).toContain('1 component<');
    expect(
      count(page, /data-status="operational"><span class="icon" aria-hidden="true">✓<\/span> Operational/g),
    ).toBe(2);
  });

  it('shows a community in major outage as "Major outage" with data-status and counts it as affected', () => {
    const page = renderFleetPage(snapshot());
    expect(page).toContain('<span class="status" data-status="major_outage">');
    expect(page).toContain('Major outage</span>');
    expect(page).toContain('Major System Outage');
    expect(page).toContain('1 of 3 communities affected');
  });

  it('says all systems are operational when they are', () => {
    const calm = snapshot({ components: [component('a-hub', 'alpha', 'Hub')] });
    const page = renderFleetPage(calm);
    expect(page).toContain('All Systems Operational');
    expect(page).toContain('0 of 3 communities affected');
  });

  it('filters by a case-insensitive substring of the name or the slug and keeps the query in the form', () => {
    const byName = renderFleetPage(snapshot(), { query: '  FORUM ' });
    expect(byName).toContain('href="/c/beta"');
    expect(byName).not.toContain('href="/c/alpha"');
    expect(byName).toContain('Showing 1 of 3.');
    expect(byName).toContain('value="FORUM"');
    expect(renderFleetPage(snapshot(), { query: 'gam' })).toContain('href="/c/gamma"');
  });

  it('shows only affected communities when asked, with that option selected', () => {
    const page = renderFleetPage(snapshot(), { filter: 'affected' });
    expect(page).toContain('href="/c/beta"');
    expect(page).not.toContain('href="/c/alpha"');
    expect(page).not.toContain('href="/c/gamma"');
    expect(page).toContain('<option value="affected" selected>');
    expect(page).toContain('<form class="filter" method="get" action="/"');
  });

  it('says so when nothing matches the filter', () => {
    const page = renderFleetPage(snapshot(), { query: 'nope', filter: 'affected' });
    expect(page).toContain('No communities match this filter.');
    expect(page).not.toContain('<ul class="cards">');
  });
});

describe('renderCommunityPage', () => {
  it('returns null for an unknown slug', () => {
    expect(renderCommunityPage(snapshot(), 'nope')).toBeNull();
  });

  it('shows own components, then shared infrastructure, each with data-component and status in words', () => {
    const page = renderCommunityPage(snapshot(), 'alpha')!;
    expect(page).toContain('<h1>Alpha Hub</h1>');
    const refs = [...page.matchAll(/data-component="([^"]+)"/g)].map((m) => m[1]);
    expect(refs).toEqual(['alpha/a-hub', 'alpha/a-login', 'shared/east']);
    expect(page.indexOf('Shared infrastructure')).toBeGreaterThan(
      page.indexOf('data-component="alpha/a-login"'),
    );
    expect(page.indexOf('Shared infrastructure')).toBeLessThan(page.indexOf('data-component="shared/east"'));
    expect(page).toContain('<noscript><meta http-equiv="refresh" content="30"></noscript>');
    expect(page).toContain('href="/c/alpha/history.rss"');
    expect(page).toContain('href="/c/alpha/api/v2/summary.json"');
  });

  it('shows a major outage in words with data-status', () => {
    const page = renderCommunityPage(snapshot(), 'beta')!;
    expect(page).toContain('<span class="status" data-status="major_outage">');
    expect(page).toContain('Major outage</span>');
    expect(page).not.toContain('Shared infrastructure');
  });

  it('draws a 90-day bar per component, one titled rect per day, with axis labels and a text summary', () => {
    const page = renderCommunityPage(snapshot(), 'alpha')!;
    expect(count(page, /<rect [^>]*><title>[^<]+<\/title><\/rect>/g)).toBe(3 * 90);
    expect(page).toContain('<title>2026-11-21: 99.31 % uptime (1440 checks, 10 failed)</title>');
    expect(page).toContain('<title>2026-11-20: 100.00 % uptime (1440 checks, 0 failed)</title>');
    expect(page).toContain(
      `<title>${new Date(TODAY - 89 * DAY).toISOString().slice(0, 10)}: no data</title>`,
    );
    expect(page).toContain('<span>90 days ago</span><span>Today</span>');
    expect(page).toContain(
      'Hub: 99.65 % uptime over the last 90 days; 1 day without failures, 1 with failures',
    );
  });

  it('colours each day by its uptime ratio', () => {
    const uptime = [90, 97, 99.5, 100].map((pct, i) => ({
      componentId: 'g-hub',
      day: TODAY - i * DAY,
      checks: 1000,
      failures: 1000 - pct * 10,
    }));
    const page = renderCommunityPage(snapshot({ uptime }), 'gamma')!;
    const classes = [...page.matchAll(/<rect class="(\w+)"/g)].map((m) => m[1]);
    expect(classes.slice(-4)).toEqual(['full', 'high', 'mid', 'low']);
    expect(classes.slice(0, 86).every((c) => c === 'none')).toBe(true);
  });

  it('shows uptime over the bar with two decimals, or that there is no data yet', () => {
    const page = renderCommunityPage(snapshot(), 'alpha')!;
    expect(page).toContain('<p>99.65 % uptime</p>');
    expect(page).toContain('<p>No data yet</p>');
  });

  it('never rounds a day with failures up to 100.00 %', () => {
    const uptime = [{ componentId: 'g-hub', day: TODAY, checks: 100_000, failures: 1 }];
    const page = renderCommunityPage(snapshot({ uptime }), 'gamma')!;
    expect(page).toContain('99.99 % uptime (100000 checks, 1 failed)');
  });

  it('links the community site only over http(s)', () => {
    const safe = snapshot({
      communities: [{ ...community('alpha', 'alpha', 'Alpha Hub', 0), url: 'https://alpha.example/' }],
    });
    const unsafe = snapshot({
      communities: [{ ...community('alpha', 'alpha', 'Alpha Hub', 0), url: 'javascript:alert(1)' }],
    });
    expect(renderCommunityPage(safe, 'alpha')).toContain(
      '<a href="https://alpha.example/">Go to Alpha Hub</a>',
    );
    expect(renderCommunityPage(unsafe, 'alpha')).not.toContain('javascript:');
  });
});

describe('renderNotFoundPage', () => {
  it('explains that the community does not exist, links home and does not reload', () => {
    const page = renderNotFoundPage('Fleet status', 'nope');
    expect(page).toContain('<h1>Community not found</h1>');
    expect(page).toContain('“nope”');
    expect(page).toContain('<a href="/">See all communities</a>');
    expect(page).not.toContain('http-equiv="refresh"');
    expect(page).not.toContain('<script');
  });
});

describe('escaping user-provided text', () => {
  const hostile = snapshot({
    communities: [{ ...community('alpha', 'alpha', SCRIPT, 0), description: QUOTE }],
    components: [
      { ...component('a-hub', 'alpha', SCRIPT, 'major_outage'), description: QUOTE },
      component('east', null, QUOTE),
    ],
    dependencies: [{ communityId: 'alpha', componentId: 'east' }],
  });

  it('escapes names and descriptions on the fleet page', () => {
    const page = renderFleetPage(hostile);
    expect(page).not.toContain(SCRIPT);
    expect(page).toContain(escapeHtml(SCRIPT));
  });

  it('escapes names, descriptions and bar summaries on the community page', () => {
    const page = renderCommunityPage(hostile, 'alpha')!;
    expect(page).not.toContain(SCRIPT);
    expect(page).not.toContain(QUOTE);
    expect(page).toContain(`<h1>${escapeHtml(SCRIPT)}</h1>`);
    expect(page).toContain('&quot; onmouseover=&quot;x');
    expect(page).toContain(`<title>${escapeHtml(SCRIPT)}: Major outage · Fleet status</title>`);
  });

  it('escapes the query echoed back in the filter form and the slug on the 404 page', () => {
    expect(renderFleetPage(hostile, { query: QUOTE })).not.toContain(QUOTE);
    expect(renderFleetPage(hostile, { query: QUOTE })).toContain('value="&quot; onmouseover=&quot;x"');
    expect(renderNotFoundPage(SCRIPT, SCRIPT)).not.toContain(SCRIPT);
  });
});
