import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

/** Where browser tests look for Chromium: FIREWATCH_CHROMIUM, else /usr/bin/chromium (as the service does). */
export const TEST_CHROMIUM_PATH = process.env.FIREWATCH_CHROMIUM ?? '/usr/bin/chromium';

/** Where browser tests save screenshots (ignored by git; CI keeps them as artifacts). */
export const SCREENSHOT_DIR = join('test-results', 'screenshots');

// The same hardening the service uses for journeys: headless, no GPU, nothing talking to Google, TCP only.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium for a browser test. Browser tests are required, so a missing executable is
 * an error that says how to install one, never a skip.
 */
export async function launchTestBrowser(): Promise<Browser> {
  try {
    await access(TEST_CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(
      `no Chromium at ${TEST_CHROMIUM_PATH}: install it (apt-get install -y chromium) or set FIREWATCH_CHROMIUM; ` +
        'never `npx playwright install`',
    );
  }
  return chromium.launch({
    executablePath: TEST_CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: ARGS,
    timeout: 30_000,
  });
}

/** What went wrong in a page while a test watched it; the lists fill as it happens. */
export interface PageProblems {
  /** Every dialog (alert, confirm, prompt) the page opened; each was dismissed. */
  readonly dialogs: string[];
  /**
   * Uncaught exceptions, console errors (a script blocked by the CSP shows up here) and responses of 400
   * or more, as "<status> <path>". The browser's own /favicon.ico request is left out.
   */
  readonly errors: string[];
}

/** Starts recording the dialogs and errors of `page`. */
export function recordProblems(page: Page): PageProblems {
  const problems: PageProblems = { dialogs: [], errors: [] };
  page.on('dialog', (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => {});
  });
  page.on('pageerror', (error) => problems.errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    // A failed load is reported with its address by the response listener below.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.errors.push(`console: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (response.status() >= 400 && path !== '/favicon.ico')
      problems.errors.push(`${response.status()} ${path}`);
  });
  return problems;
}

/**
 * Whether a person could see the element: it has a box, is not hidden by CSS, and some of it lies on the
 * page (Playwright's isVisible counts an element moved to left:-10000px as visible; people cannot see it).
 */
export async function isShownToPeople(locator: Locator): Promise<boolean> {
  // Runs in the page. The project compiles without the DOM's types, so the window is reached through the
  // element rather than by its global name.
  return locator.evaluate((element) => {
    const view = element.ownerDocument.defaultView!;
    const box = element.getBoundingClientRect();
    const onPage = box.right + view.scrollX > 0 && box.bottom + view.scrollY > 0;
    return (
      box.width > 0 && box.height > 0 && view.getComputedStyle(element).visibility !== 'hidden' && onPage
    );
  });
}

/** Saves a full-page PNG of `page` as test-results/screenshots/<name>.png; returns its path and size. */
export async function saveScreenshot(page: Page, name: string): Promise<{ path: string; bytes: number }> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return { path, bytes: (await stat(path)).size };
}

/** The WCAG relative luminance (0 black … 1 white) of a computed CSS colour such as "rgb(13, 17, 23)". */
export function relativeLuminance(cssColor: string): number {
  const match = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(cssColor);
  if (!match) throw new Error(`not an rgb() colour: ${cssColor}`);
  const [r, g, b] = match.slice(1, 4).map((part) => {
    const channel = Number(part) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
