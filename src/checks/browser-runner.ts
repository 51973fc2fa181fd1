import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { type Browser, type BrowserContext, chromium, type Request } from 'playwright-core';
import { messageOf } from './message-of.js';
import type { ProbeContext } from './network-policy.js';
import { type ProxyRefusal, startPolicyProxy } from './policy-proxy.js';
import { ProbeFailure } from './probe-failure.js';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Where Chromium is: options.executablePath, else FIREWATCH_CHROMIUM, else /usr/bin/chromium. */
export interface BrowserOptions {
  readonly executablePath?: string;
}

// Headless and sandbox-less come from `headless` and `chromiumSandbox`; these keep Chromium from talking to
// anything but the journey, and only over TCP, which a journey's policy proxy sees: no QUIC, and no WebRTC
// UDP (a page's STUN/TURN servers and ICE candidates could otherwise be private addresses).
const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
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

/** A request of the journey that the policy proxy answered itself instead of forwarding, and why. */
export interface Refusal {
  readonly url: string;
  /** The policy's message, or why the target could not be reached ("connection refused (…) to host:port"). */
  readonly reason: string;
  /** The network policy refused the target; false when it could not be resolved or reached. */
  readonly byPolicy: boolean;
  /** A navigation of a page's top-level frame (the journey's page or a popup), not of a subframe or fetch. */
  readonly navigation: boolean;
  /** The URL that redirected to this one, or null when the request was not a redirect hop. */
  readonly redirectedFrom: string | null;
}

/** What the network policy did during one journey. */
export interface NetworkGuard {
  /** The journey's requests that the proxy answered itself, in the order the browser reported them. */
  readonly refusals: () => readonly Refusal[];
  /** Settles with the first top-level navigation the policy refused; never settles when there is none. */
  readonly refusedNavigation: Promise<Refusal>;
}

/** A fresh, isolated browser context (own cookies and storage) for one journey, its guard, and its end. */
export interface JourneyContext {
  readonly context: BrowserContext;
  readonly guard: NetworkGuard;
  /** Closes the context, then its policy proxy; never rejects. */
  readonly close: () => Promise<void>;
}

// Chromium reports a CONNECT the proxy answered with an error status as this; plain HTTP gets the answer.
const TUNNEL_FAILED = 'net::ERR_TUNNEL_CONNECTION_FAILED';

/**
 * Opens a fresh context for one journey; the caller closes it with `close`. Unless the policy allows
 * private targets, every connection of the context (navigations and their redirect hops, subresources,
 * fetch/XHR, WebSockets, loopback included) goes through its own policy proxy (see startPolicyProxy), which
 * resolves each host through probe.lookup and connects to the address it approved, so a refused target never
 * sees a byte, whatever Chromium was asked to load and however the name resolves later. Service workers are
 * blocked, so that every request is reported in the context's events.
 */
export async function newJourneyContext(
  browser: Browser,
  viewport: { readonly width: number; readonly height: number },
  probe: Pick<ProbeContext, 'lookup' | 'policy'>,
): Promise<JourneyContext> {
  const options = { viewport: { ...viewport }, serviceWorkers: 'block', acceptDownloads: false } as const;
  if (probe.policy.allowPrivateTargets) {
    const context = await browser.newContext(options);
    const guard = { refusals: () => [], refusedNavigation: new Promise<Refusal>(() => {}) };
    return { context, guard, close: () => context.close().catch(() => {}) };
  }
  const proxy = await startPolicyProxy(probe.lookup);
  let context: BrowserContext;
  try {
    // `<-loopback>` stops Chromium from implicitly sending localhost and 127.0.0.1 around the proxy.
    context = await browser.newContext({ ...options, proxy: { server: proxy.url, bypass: '<-loopback>' } });
  } catch (error) {
    await proxy.close();
    throw error;
  }
  const refusals: Refusal[] = [];
  let reportRefusedNavigation: (refusal: Refusal) => void = () => {};
  const refusedNavigation = new Promise<Refusal>((resolve) => {
    reportRefusedNavigation = resolve;
  });
  const noteIfRefused = (request: Request, tunnel: boolean) => {
    const refusal = refusalOf(request, proxy.refusals(), tunnel);
    if (refusal === null) return;
    refusals.push(refusal);
    if (refusal.navigation && refusal.byPolicy) reportRefusedNavigation(refusal);
  };
  context.on('response', (response) => {
    if (!response.ok()) noteIfRefused(response.request(), false);
  });
  context.on('requestfailed', (request) => {
    if (request.failure()?.errorText === TUNNEL_FAILED) noteIfRefused(request, true);
  });
  return {
    context,
    guard: { refusals: () => [...refusals], refusedNavigation },
    close: async () => {
      await context.close().catch(() => {});
      await proxy.close();
    },
  };
}

// The proxy's latest answer for the request's target: a plain HTTP request by its URL, a tunnel (HTTPS,
// WebSocket) by host and port, as its path never reaches the proxy. null when the proxy forwarded it.
function refusalOf(request: Request, answered: readonly ProxyRefusal[], tunnel: boolean): Refusal | null {
  const url = request.url();
  const target = URL.canParse(url) ? new URL(url) : null;
  if (target === null) return null;
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(target.port || (target.protocol === 'https:' || target.protocol === 'wss:' ? 443 : 80));
  const match = answered.findLast((refusal) =>
    tunnel ? refusal.url === null && refusal.host === host && refusal.port === port : refusal.url === url,
  );
  if (match === undefined) return null;
  return {
    url,
    reason: match.reason,
    byPolicy: match.byPolicy,
    navigation: request.isNavigationRequest() && isTopLevel(request),
    redirectedFrom: request.redirectedFrom()?.url() ?? null,
  };
}

// A navigation request of a popup comes before its frame exists, and Playwright throws for it: a new page.
function isTopLevel(request: Request): boolean {
  try {
    return request.frame().parentFrame() === null;
  } catch {
    return true;
  }
}
