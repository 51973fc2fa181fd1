import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  fleetInputs,
  HOSTILE_MARKDOWN,
  HOUR_MS,
  incidentInput,
  maintenanceInput,
  STATUS_NOW,
  STATUS_PAGE,
} from '../../test/support/status-fixtures.js';
import { projectStatus, type StatusInputs } from './project-status.js';
import { renderCommunityPage } from './render-community-page.js';
import { renderFleetPage } from './render-fleet-page.js';
import { renderHistoryPage } from './render-history-page.js';
import { renderIncidentPage, renderMissingPage } from './render-incident-page.js';
import { renderMaintenancePage } from './render-maintenance-page.js';
import { STATUS_SCRIPT_URL } from './status-script.js';

const TODAY = Date.UTC(2026, 10, 21);

function snapshot(overrides: Partial<StatusInputs> = {}) {
  return projectStatus(fleetInputs(overrides), STATUS_PAGE, STATUS_NOW);
}

const resolvedLastWeek = incidentInput({
  id: 'inc_week',
  title: 'Login failures',
  status: 'resolved',
  impact: 'minor',
  publishedAt: STATUS_NOW - 7 * DAY_MS,
  updatedAt: STATUS_NOW - 7 * DAY_MS + 2 * HOUR_MS,
  resolvedAt: STATUS_NOW - 7 * DAY_MS + 2 * HOUR_MS + 5 * 60_000,
  components: [{ componentId: 'a-login', status: 'major_outage' }],
  updates: [
    {
      id: 'w1',
      status: 'investigating',
      body: 'Looking.',
      affected: [],
      publishedAt: STATUS_NOW - 7 * DAY_MS,
    },
    {
      id: 'w2',
      status: 'resolved',
      body: 'Fixed.',
      affected: [],
      publishedAt: STATUS_NOW - 7 * DAY_MS + 2 * HOUR_MS,
    },
  ],
});

const withEverything = () =>
  snapshot({ incidents: [incidentInput(), resolvedLastWeek], maintenances: [maintenanceInput()] });

describe('the community page with incidents', () => {
  it('shows the active incident with every update, each "Posted <time>", newest first', () => {
    const page = renderCommunityPage(withEverything(), 'alpha')!;
    expect(page).toContain('<h2 id="incidents-heading">Active incidents</h2>');
    expect(page).toContain('<a href="/incidents/inc_1">Hub is slow to start servers</a>');
    expect(page).toContain('<span class="tag" data-incident-status="investigating">Investigating</span>');
    expect(page).toContain('<span class="tag" data-impact="major">Major impact</span>');
    const active = page.slice(page.indexOf('Active incidents'), page.indexOf('Recent history'));
    expect(count(active, /Posted <time datetime="[^"]+">/g)).toBe(2);
    expect(active).toContain('Posted <time datetime="2026-11-21T13:30:00.000Z">2026-11-21 13:30 UTC</time>');
    expect(active.indexOf('A node pool is full')).toBeLessThan(
      active.indexOf('We are <strong>looking</strong>'),
    );
    expect(active).toContain('Hub: Operational → Partial outage');
    expect(active).toContain('data-status="partial_outage"');
  });

  it('lists recently resolved incidents under recent history with how long they lasted, and links the history', () => {
    const page = renderCommunityPage(withEverything(), 'alpha')!;
    const recent = page.slice(page.indexOf('Recent history'));
    expect(recent).toContain('<a href="/incidents/inc_week">Login failures</a>');
    expect(recent).toContain('after 2 h 5 min');
    expect(recent).toContain('<a href="/c/alpha/history">');
    expect(
      page.slice(page.indexOf('Active incidents'), page.indexOf('id="components-heading"')),
    ).not.toContain('Login failures');
  });

  it('does not show another community its incidents', () => {
    const page = renderCommunityPage(withEverything(), 'gamma')!;
    expect(page).not.toContain('Hub is slow to start servers');
    expect(page).not.toContain('Active incidents');
    expect(page).toContain('No incidents in the last 14 days.');
  });

  it('shows in-progress maintenance with its window and description on the communities it touches', () => {
    const page = renderCommunityPage(withEverything(), 'beta')!;
    expect(page).toContain('<a href="/maintenances/mnt_1">Database upgrade</a>');
    expect(page).toContain('<span class="tag" data-maintenance-status="in_progress">In progress</span>');
    expect(page).toContain('hubs may be <strong>read-only</strong>');
    expect(page).toContain('data-status="under_maintenance"');
    expect(renderCommunityPage(withEverything(), 'alpha')).not.toContain('Database upgrade');
  });

  it('lists the days with problems per component, with uptime and the incidents of that day', () => {
    const uptime = [{ componentId: 'a-hub', day: TODAY - 3 * DAY_MS, checks: 1000, failures: 20 }];
    const page = renderCommunityPage(snapshot({ uptime, incidents: [incidentInput()] }), 'alpha')!;
    const hub = page.slice(
      page.indexOf('data-component="alpha/a-hub"'),
      page.indexOf('data-component="alpha/a-login"'),
    );
    expect(hub).toContain('<details id="days-a-hub">');
    expect(hub).toContain('<summary>2 days with problems</summary>');
    expect(hub).toContain(
      '<li><time datetime="2026-11-21">2026-11-21</time>: no data. Incidents: <a href="/incidents/inc_1">Hub is slow to start servers</a></li>',
    );
    expect(hub).toContain(
      '<time datetime="2026-11-18">2026-11-18</time>: 98.00 % uptime (1000 checks, 20 failed)',
    );
    expect(hub).toContain('<title>2026-11-21: no data; incidents: Hub is slow to start servers</title>');
    const login = page.slice(page.indexOf('data-component="alpha/a-login"'));
    expect(login).toContain('No failed checks or incidents in the last 90 days.');
  });

  it('has a no-JS "Report a problem" form with a honeypot and an email subscription form', () => {
    const page = renderCommunityPage(withEverything(), 'alpha')!;
    expect(page).toContain('<form method="post" action="/c/alpha/report"');
    expect(page).toMatch(
      /<textarea id="report-description" name="description"[^>]* required maxlength="2000"/,
    );
    expect(page).toContain('<option value="alpha/a-hub">Hub</option>');
    expect(page).toContain('<option value="shared/east">East cluster</option>');
    expect(page).toMatch(/<input id="report-contact" name="contact"/);
    const honeypot = page.match(/<p style="[^"]*left:-10000px[^"]*" aria-hidden="true">.*?<\/p>/s)?.[0] ?? '';
    expect(honeypot).toMatch(/<input name="website" tabindex="-1" autocomplete="off">/);
    expect(page).toContain('<form class="stack" method="post" action="/subscribe">');
    expect(page).toContain('<input type="hidden" name="community" value="alpha">');
    expect(page).toMatch(/<input id="subscribe-email" name="email" type="email" required/);
    expect(page).toContain('<noscript><meta http-equiv="refresh" content="30"></noscript>');
  });
});

describe('the fleet page with incidents', () => {
  it('lists active incidents with status, impact and latest update time, and upcoming maintenance', () => {
    const page = renderFleetPage(withEverything());
    const active = page.slice(page.indexOf('Active incidents'), page.indexOf('id="communities-heading"'));
    expect(active).toContain('<a href="/incidents/inc_1">Hub is slow to start servers</a>');
    expect(active).toContain('Investigating');
    expect(active).toContain('Major impact');
    expect(active).toContain('Updated <time datetime="2026-11-21T13:30:00.000Z">');
    expect(active).not.toContain('Login failures');
    expect(active).toContain('<a href="/maintenances/mnt_1">Database upgrade</a>');
  });

  it('shows a recurring window once with how often it repeats', () => {
    const start = Date.UTC(2026, 10, 22, 2);
    const daily = maintenanceInput({ startsAt: start, endsAt: start + HOUR_MS, repeat: '0 2 * * *' });
    const page = renderFleetPage(snapshot({ maintenances: [daily] }));
    expect(count(page, /href="\/maintenances\//g)).toBe(1);
    expect(page).toContain(`href="/maintenances/mnt_1-${start}"`);
    expect(page).toContain('repeats 29 more times');
  });
});

describe('renderIncidentPage', () => {
  it('shows the full trail newest first with status labels, "Posted", components, impact and duration', () => {
    const page = renderIncidentPage(withEverything(), 'inc_week')!;
    expect(page).toContain('<h1 id="incident-title">Login failures</h1>');
    expect(page).toContain('<dt>Duration</dt><dd>2 h 5 min</dd>');
    expect(page).toContain('Minor impact');
    expect(page).toContain('Login <span class="muted">(Alpha Hub)</span>');
    const updates = [...page.matchAll(/<strong>(\w+)<\/strong> <span class="muted">Posted <time/g)].map(
      (m) => m[1],
    );
    expect(updates).toEqual(['Resolved', 'Investigating']);
    expect(page).toContain('<a href="/c/alpha">Alpha Hub</a>');
    expect(page).toContain(`<script src="${STATUS_SCRIPT_URL}" defer></script>`);
  });

  it('shows the component status while the incident is open, and returns null for unknown ids', () => {
    const page = renderIncidentPage(withEverything(), 'inc_1')!;
    expect(page).toContain(
      'Hub <span class="muted">(Alpha Hub)</span> <span class="status" data-status="partial_outage">',
    );
    expect(page).not.toContain('<dt>Duration</dt>');
    expect(renderIncidentPage(withEverything(), 'inc_draft')).toBeNull();
  });

  it('renders a 404 page that neither reloads nor loads the script', () => {
    const page = renderMissingPage('Fleet status', 'Incident not found', 'No such incident.');
    expect(page).toContain('<h1>Incident not found</h1>');
    expect(page).not.toContain('http-equiv="refresh"');
    expect(page).not.toContain('<script');
  });
});

describe('renderHistoryPage', () => {
  it('groups incidents and completed maintenance by UTC month, newest first, saying when a month was quiet', () => {
    const october = maintenanceInput({
      id: 'mnt_oct',
      title: 'October upgrade',
      startsAt: Date.UTC(2026, 9, 10, 2),
      endsAt: Date.UTC(2026, 9, 10, 4),
    });
    const s = snapshot({
      incidents: [incidentInput(), resolvedLastWeek],
      maintenances: [october, maintenanceInput()],
    });
    const page = renderHistoryPage(s, null)!;
    const months = [...page.matchAll(/<h2 id="month-([\d-]+)">([^<]+)<\/h2>/g)].map((m) => m[2]);
    expect(months).toEqual(['November 2026', 'October 2026', 'September 2026', 'August 2026']);
    const november = page.slice(page.indexOf('November 2026'), page.indexOf('October 2026'));
    expect(november.indexOf('Hub is slow')).toBeLessThan(november.indexOf('Login failures'));
    expect(november).not.toContain('Database upgrade');
    expect(page.slice(page.indexOf('October 2026'))).toContain('October upgrade');
    expect(page.slice(page.indexOf('September 2026'))).toContain('No incidents reported.');
  });

  it('shows only the community its own incidents, links its feeds, and is null for an unknown slug', () => {
    const s = withEverything();
    const gamma = renderHistoryPage(s, 'gamma')!;
    expect(gamma).toContain('<h1>Gamma Lab: incident history</h1>');
    expect(gamma).not.toContain('Hub is slow');
    expect(gamma).toContain('href="/c/gamma/history.atom"');
    expect(renderHistoryPage(s, 'alpha')).toContain('Login failures');
    expect(renderHistoryPage(s, 'nope')).toBeNull();
  });
});

describe('hostile Markdown in updates and maintenance descriptions', () => {
  const hostile = snapshot({
    incidents: [
      incidentInput({
        updates: [
          {
            id: 'evil',
            status: 'investigating',
            body: HOSTILE_MARKDOWN,
            affected: [],
            publishedAt: STATUS_NOW - HOUR_MS,
          },
        ],
      }),
    ],
    maintenances: [maintenanceInput({ description: HOSTILE_MARKDOWN, componentIds: ['a-hub'] })],
  });
  const pages: Record<string, string> = {
    fleet: renderFleetPage(hostile),
    community: renderCommunityPage(hostile, 'alpha')!,
    incident: renderIncidentPage(hostile, 'inc_1')!,
    maintenance: renderMaintenancePage(hostile, 'mnt_1')!,
    history: renderHistoryPage(hostile, null)!,
    'community history': renderHistoryPage(hostile, 'alpha')!,
  };

  it.each(Object.keys(pages))('renders it inert on the %s page', (name) => {
    const page = pages[name]!;
    const withoutOurScript = page.replace(`<script src="${STATUS_SCRIPT_URL}" defer></script>`, '');
    expect(withoutOurScript).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<[a-z][^>]*\sonerror=/i);
    expect(page).not.toMatch(/href="javascript:/i);
    expect(page).not.toMatch(/<img/i);
  });

  it('still shows the text, escaped, where the body or description is shown', () => {
    expect(pages.community).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(pages.incident).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(pages.maintenance).toContain('[x](javascript:alert(1))');
  });
});

function count(haystack: string, needle: RegExp): number {
  return haystack.match(needle)?.length ?? 0;
}
