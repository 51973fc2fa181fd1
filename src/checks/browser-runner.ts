import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { messageOf } from './message-of.js';
import type { ProbeContext } from './network-policy.js';
import { ProbeFailure } from './probe-failure.js';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Where Chromium is: options.executablePath, else FIREWATCH_CHROMIUM, else /usr/bin/chromium. */
export interface BrowserOptions {
  readonly executablePath?: string;
}

// Headless and sandbox-less come from `headless` and `chromiumSandbox`; these keep Chromium from talking to
// anything but the journey (no QUIC, so every request goes through the interceptable network stack).
const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

// One Chromium per executable for the whole process: launching costs about a second, a context a few ms.
// A failed launch or a crashed browser is forgotten, so the next check launches again.
const launches = new Map<string, Promise<Browser>>();

/** The Chromium executable the options point at. */
export function chromiumPath(options: BrowserOptions = {}): string {
  return options.executablePath ?? process.env.FIREWATCH_CHROMIUM ?? DEFAULT_CHROMIUM_PATH;
}

/**
 * The shared headless Chromium, launched on first use (with a temporary profile) and reused by every later
 * check. Rejects with a ProbeFailure whose message says what to do when there is no executable at the path,
 * or when Chromium does not start.
 */
export function getBrowser(options: BrowserOptions = {}): Promise<Browser> {
  const path = chromiumPath(options);
  const running = launches.get(path);
  if (running !== undefined) return running;
  const launch = launchChromium(path);
  launches.set(path, launch);
  const forget = () => {
    if (launches.get(path) === launch) launches.delete(path);
  };
  launch.then((browser) => browser.once('disconnected', forget), forget);
  return launch;
}

/** Closes every shared browser (at shutdown, and after tests); the next getBrowser launches a new one. */
export async function closeBrowser(): Promise<void> {
  const open = [...launches.values()];
  launches.clear();
  await Promise.all(open.map((launch) => launch.then((browser) => browser.close()).catch(() => {})));
}

async function launchChromium(path: string): Promise<Browser> {
  try {
    await access(path, constants.X_OK);
  } catch {
    throw new ProbeFailure(
      `no browser found at ${path}: install Chromium (apt-get install chromium) or set FIREWATCH_CHROMIUM`,
    );
  }
  try {
    return await chromium.launch({
      executablePath: path,
      headless: true,
      chromiumSandbox: false,
      args: [...CHROMIUM_ARGS],
      timeout: 30_000,
      // The service shuts down on its own signals and calls closeBrowser(); Playwright still kills the
      // browser if the process exits without doing so.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    throw new ProbeFailure(`could not start Chromium at ${path}: ${messageOf(error).split('\n')[0]}`, {
      cause: error,
    });
  }
}

/** A request the network policy refused, and why (the lookup's message). */
export interface Refusal {
  readonly url: string;
  readonly reason: string;
  readonly navigation: boolean;
}

/** What the network policy did during one journey. */
export interface NetworkGuard {
  /** Requests aborted before they were sent, in order. */
  readonly refusals: () => readonly Refusal[];
  /** Settles as soon as Chromium is seen following a redirect to a refused host; never settles otherwise. */
  readonly breach: Promise<Refusal>;
  /** The first such redirect once every redirect so far has been checked, or null when there was none. */
  readonly firstBreach: () => Promise<Refusal | null>;
}

/** A fresh, isolated browser context (own cookies and storage) for one journey, and its network guard. */
export interface JourneyContext {
  readonly context: BrowserContext;
  readonly guard: NetworkGuard;
}

const LOOKUP_TIMEOUT_MS = 5_000;

/**
 * Opens a fresh context for one journey; the caller closes it. Unless the policy allows private targets,
 * every HTTP(S) request of its pages, frames and workers (navigations, subresources, fetch/XHR) is held
 * until context.lookup has resolved its host, and aborted when the lookup refuses it. Service workers are
 * blocked, as route() cannot see their requests. Not prevented, because route() never sees them: redirect
 * hops (Playwright lets them through; each is checked as Chromium sends it and a refused one is reported
 * as a breach), WebSockets, and DNS rebinding between our lookup and Chromium's own. A connect-time proxy
 * would close those gaps.
 */
export async function newJourneyContext(
  browser: Browser,
  viewport: { readonly width: number; readonly height: number },
  probe: Pick<ProbeContext, 'lookup' | 'policy'>,
): Promise<JourneyContext> {
  const context = await browser.newContext({
    viewport: { ...viewport },
    serviceWorkers: 'block',
    acceptDownloads: false,
  });
  if (probe.policy.allowPrivateTargets) {
    // Per journey, not shared: every check adds a reaction to `breach`, which must not pile up forever.
    return {
      context,
      guard: { refusals: () => [], breach: new Promise(() => {}), firstBreach: async () => null },
    };
  }
  const refusals: Refusal[] = [];
  const redirects: Promise<Refusal | null>[] = [];
  const verdictOf = memoisedVerdicts(probe.lookup);
  let reportBreach: (refusal: Refusal) => void = () => {};
  const breach = new Promise<Refusal>((resolve) => {
    reportBreach = resolve;
  });
  try {
    await context.route('**/*', async (route) => {
      const request = route.request();
      const reason = await verdictOf(request.url());
      if (reason === null) return route.continue().catch(() => {});
      refusals.push({ url: request.url(), reason, navigation: request.isNavigationRequest() });
      return route.abort('blockedbyclient').catch(() => {});
    });
  } catch (error) {
    await context.close().catch(() => {});
    throw error;
  }
  context.on('request', (request) => {
    if (request.redirectedFrom() === null) return;
    const [url, navigation] = [request.url(), request.isNavigationRequest()];
    const checked = verdictOf(url).then((reason) => (reason === null ? null : { url, reason, navigation }));
    redirects.push(checked);
    void checked.then((refusal) => refusal !== null && reportBreach(refusal));
  });
  const firstBreach = async () => (await Promise.all(redirects)).find((refusal) => refusal !== null) ?? null;
  return { context, guard: { refusals: () => [...refusals], breach, firstBreach } };
}

// null when the host may be reached; otherwise why not. One lookup per host and journey, and none takes
// longer than LOOKUP_TIMEOUT_MS, so requests are not held (and firstBreach not awaited) indefinitely.
function memoisedVerdicts(lookup: ProbeContext['lookup']): (url: string) => Promise<string | null> {
  const verdicts = new Map<string, Promise<string | null>>();
  return (url) => {
    const host = httpHostOf(url);
    if (host === null) return Promise.resolve(null);
    let verdict = verdicts.get(host);
    if (verdict === undefined) {
      verdict = new Promise((resolve) => {
        const timer = setTimeout(
          () => resolve(`looking up ${host} took longer than ${LOOKUP_TIMEOUT_MS} ms`),
          LOOKUP_TIMEOUT_MS,
        );
        const settle = (reason: string | null) => {
          clearTimeout(timer);
          resolve(reason);
        };
        try {
          lookup(host, { all: true }, (error) => settle(error ? messageOf(error) : null));
        } catch (error) {
          settle(messageOf(error));
        }
      });
      verdicts.set(host, verdict);
    }
    return verdict;
  };
}

// data:, blob: and about: URLs never leave the browser.
function httpHostOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) return null;
    return parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return null;
  }
}
