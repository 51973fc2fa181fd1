// Code that runs in the page is passed as strings: the project compiles without the DOM's types.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isShownToPeople,
  launchTestBrowser,
  type PageProblems,
  recordProblems,
  relativeLuminance,
  saveScreenshot,
} from './support/browser.js';
import { testDialects } from './support/databases.js';
import { api, startTestFirewatch, type TestFirewatch } from './support/test-firewatch.js';

const TOKEN = 'fw_status-browser-admin-token-0123456789';
const CONFIG = `version: 1
shared_components:
  - { key: storage, name: Shared storage }
communities:
  - slug: pangeo
    name: Pangeo Hub
    depends_on: [storage]
    components:
      - { key: hub, name: Hub }
      - { key: login, name: Login }
  - slug: openscapes
    name: Openscapes
    depends_on: [storage]
    components:
      - { key: hub, name: Hub }
  - slug: cryocloud
    name: CryoCloud
    components:
      - { key: hub, name: Hub }
`;
const TITLE = 'Login failures on Pangeo Hub';
const FIRST =
  '**Login** fails for some users. <script>window.__xss=1</script> [x](javascript:window.__xss=2)';
const SECOND = 'Found it.';
const LIVE = 'A fix is rolling out to every node.';
/** The reader's zone in every context: times must not stay in UTC when JavaScript runs. */
const NEW_YORK = 'America/New_York';
/** A screenshot of a whole status page is tens of kB; an empty or broken one is a few hundred bytes. */
const MIN_SCREENSHOT_BYTES = 5_000;

const sqlite = testDialects().find((d) => d.name === 'sqlite')!;

describe('public status pages in Chromium', () => {
  let app: TestFirewatch;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let incidentId = '';

  beforeAll(async () => {
    // Assigned as each starts, so afterAll closes whichever did when the other fails.
    await Promise.all([
      startTestFirewatch(CONFIG, { dialect: sqlite, token: TOKEN, name: 'status-browser' }).then(
        (started) => {
          app = started;
        },
      ),
      launchTestBrowser().then((launched) => {
        browser = launched;
      }),
    ]);
    const declared = await post('/api/v1/incidents', {
      title: TITLE,
      impact: 'major',
      components: [{ component: 'pangeo/login', status: 'major_outage' }],
      message: FIRST,
    });
    const { incident } = (await declared.json()) as { incident: { id: string } };
    await post(`/api/v1/incidents/${incident.id}/updates`, {
      kind: 'public',
      status: 'identified',
      message: SECOND,
    });
    incidentId = incident.id;
    await app.firewatch.snapshots.build();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => {})));
    await browser?.close();
    await app?.close();
  });

  async function post(path: string, body: unknown): Promise<Response> {
    const response = await api(app, path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return response;
  }

  /** A fresh page in a context of its own, recording dialogs and errors; closed in afterAll. */
  async function open(
    path: string,
    options: BrowserContextOptions = {},
  ): Promise<{ page: Page; problems: PageProblems }> {
    const context = await browser.newContext({ baseURL: app.firewatch.url, ...options });
    contexts.push(context);
    const page = await context.newPage();
    const problems = recordProblems(page);
    const response = await page.goto(path);
    expect(response?.status(), `GET ${path}`).toBe(200);
    return { page, problems };
  }

  async function expectScreenshot(page: Page, name: string): Promise<void> {
    const shot = await saveScreenshot(page, name);
    expect(shot.bytes, shot.path).toBeGreaterThan(MIN_SCREENSHOT_BYTES);
  }

  /** Nothing from the incident's Markdown ran (no inline script, javascript: link or dialog); no errors. */
  async function expectNoScriptRan(page: Page, problems: PageProblems, javaScript: boolean): Promise<void> {
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    if (javaScript) expect(await page.evaluate<unknown>('window.__xss')).toBeUndefined();
    expect(problems).toEqual({ dialogs: [], errors: [] });
  }

  describe.each([
    { mode: 'with JavaScript', javaScriptEnabled: true },
    { mode: 'without JavaScript', javaScriptEnabled: false },
  ])('$mode', ({ javaScriptEnabled }) => {
    const suffix = javaScriptEnabled ? 'js' : 'nojs';

    it('lists every community with its status in words and the active incident on the fleet page', async () => {
      const { page, problems } = await open('/', { javaScriptEnabled, timezoneId: NEW_YORK });
      const communities = page.locator('#live-communities li');
      const statusOf = (name: string) =>
        communities
          .filter({ has: page.getByRole('link', { name, exact: true }) })
          .locator('.status')
          .innerText();
      expect(await communities.count()).toBe(3);
      expect(await statusOf('Pangeo Hub')).toBe('✕ Major outage');
      expect(await statusOf('Openscapes')).toBe('✓ Operational');
      expect(await statusOf('CryoCloud')).toBe('✓ Operational');
      expect(await page.locator('#live-banner').innerText()).toContain('1 of 3 communities affected');
      const incidents = page.locator('#live-incidents');
      expect(await incidents.getByRole('link', { name: TITLE }).count()).toBe(1);
      expect(await incidents.getByText('Major impact').count()).toBe(1);
      await expectNoScriptRan(page, problems, javaScriptEnabled);
      await expectScreenshot(page, `fleet-${suffix}`);
    });

    it('shows the incident, both updates, component statuses in words and the report form on the community page', async () => {
      const { page, problems } = await open('/c/pangeo', { javaScriptEnabled, timezoneId: NEW_YORK });
      const incident = page.locator('#live-incidents article.incident');
      expect(await incident.count()).toBe(1);
      expect(await incident.getByRole('heading', { name: TITLE }).count()).toBe(1);

      const updates = incident.locator('ol.updates > li');
      expect(await updates.count()).toBe(2);
      const [newest, oldest] = [updates.nth(0), updates.nth(1)];
      expect(await newest.innerText()).toMatch(/^Identified\s+Posted /);
      expect(await newest.locator('.update-body').innerText()).toBe(SECOND);
      expect(await oldest.innerText()).toMatch(/^Investigating\s+Posted /);
      // Markdown renders; the raw HTML shows as text and the javascript: link is not a link.
      expect(await oldest.locator('.update-body strong').innerText()).toBe('Login');
      expect(await oldest.locator('.update-body').innerText()).toContain('<script>window.__xss=1</script>');
      expect(await oldest.locator('.update-body a').count()).toBe(0);

      const login = page.locator('[data-component="pangeo/login"]');
      expect((await login.locator('.status').innerText()).trim()).toBe('✕ Major outage');
      expect(await page.locator('[data-component="pangeo/hub"] .status').innerText()).toContain(
        'Operational',
      );
      expect(await page.locator('[data-component="shared/storage"] h3').innerText()).toBe('Shared storage');
      expect(await page.locator('.banner .status').innerText()).toContain('Major outage');

      const form = page.locator('form.report');
      expect(await form.locator('textarea[name="description"]').isVisible()).toBe(true);
      // The honeypot is off-screen, hidden from screen readers and out of the tab order.
      const honeypot = form.locator('input[name="website"]');
      expect(await honeypot.count()).toBe(1);
      expect(await isShownToPeople(honeypot)).toBe(false);
      expect(await honeypot.getAttribute('tabindex')).toBe('-1');
      expect(await form.locator('[aria-hidden="true"] input[name="website"]').count()).toBe(1);
      expect(await isShownToPeople(form.locator('textarea[name="description"]'))).toBe(true);
      expect(await form.getByRole('button', { name: 'Send report' }).isVisible()).toBe(true);

      const time = page.locator('ol.updates time').first();
      if (javaScriptEnabled) {
        // status.js shows times in the reader's zone (the context's) and keeps the UTC text in the title.
        await expect.poll(() => time.innerText()).not.toMatch(/UTC$/);
        expect(await time.getAttribute('title')).toMatch(/UTC$/);
        expect(await time.innerText()).toMatch(/E[SD]T$/);
      } else {
        expect(await time.innerText()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
      }
      await expectNoScriptRan(page, problems, javaScriptEnabled);
      await expectScreenshot(page, `community-${suffix}`);
    });
  });

  it('shows a new update on an open community page without a reload', async () => {
    const { page, problems } = await open('/c/pangeo', { timezoneId: NEW_YORK });
    const connected = page.waitForResponse((r) => new URL(r.url()).pathname === '/events', {
      timeout: 10_000,
    });
    // A reload would lose this marker; the live refresh swaps regions in place.
    await page.evaluate('window.__loadedOnce = true');
    await connected;
    await post(`/api/v1/incidents/${incidentId}/updates`, {
      kind: 'public',
      status: 'monitoring',
      message: LIVE,
    });
    // No nudge here: the incident write itself rebuilds the snapshot, and the page learns it over /events.

    const updates = page.locator('#live-incidents ol.updates > li');
    await expect.poll(() => updates.count(), { timeout: 10_000 }).toBe(3);
    expect(await updates.nth(0).locator('.update-body').innerText()).toBe(LIVE);
    expect(await updates.nth(0).innerText()).toMatch(/^Monitoring\s+Posted /);
    expect(await page.evaluate<unknown>('window.__loadedOnce')).toBe(true);
    // Swapped-in times are converted too.
    expect(await updates.nth(0).locator('time').innerText()).toMatch(/E[SD]T$/);
    await expectNoScriptRan(page, problems, true);
  });

  it('takes a report from the form without JavaScript and shows it in the inbox', async () => {
    const { page } = await open('/c/openscapes', { javaScriptEnabled: false });
    const description = `The hub spinner never stops (${Date.now()})`;
    const form = page.locator('form.report');
    await form.locator('textarea[name="description"]').fill(description);
    await Promise.all([
      page.waitForURL(/\/c\/openscapes\/report\/thanks/),
      form.getByRole('button', { name: 'Send report' }).click(),
    ]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toMatch(/^Thank you/);

    const inbox = await api(app, '/api/v1/reports?state=all');
    expect(inbox.status).toBe(200);
    const { reports } = (await inbox.json()) as {
      reports: { community: string; description: string; state: string }[];
    };
    expect(reports.filter((r) => r.description === description)).toMatchObject([
      { community: 'openscapes', state: 'new' },
    ]);
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const { page } = await open('/c/pangeo', {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
      '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
    );
    expect(innerWidth).toBe(390);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth + 1);
    await expectScreenshot(page, 'community-phone');
  });

  it('uses a dark background for readers who prefer a dark scheme, and a light one otherwise', async () => {
    const background = async (colorScheme: 'dark' | 'light') => {
      const { page } = await open('/c/pangeo', { colorScheme });
      const color = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
      if (colorScheme === 'dark') await expectScreenshot(page, 'community-dark');
      return relativeLuminance(color);
    };
    expect(await background('dark')).toBeLessThan(0.05);
    expect(await background('light')).toBeGreaterThan(0.8);
  });
});
