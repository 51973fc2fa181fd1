import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBrowserCheck } from './browser-check.js';
import { chromiumPath, closeBrowser } from './browser-runner.js';
import { type BrowserStep, browserSpec } from './browser-spec.js';
import { guardedLookup } from './guarded-lookup.js';
import type { ProbeContext } from './network-policy.js';

const CHROMIUM = chromiumPath();
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = !['', '0', 'false'].includes(process.env.CI ?? '');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(
    `\n${'!'.repeat(78)}\n!! No Chromium at ${CHROMIUM}: every browser journey test is SKIPPED.\n` +
      `!! Install it (apt-get install chromium) or set FIREWATCH_CHROMIUM; under CI this fails the run.\n` +
      `${'!'.repeat(78)}\n`,
  );
}

const LOGIN_JOURNEY: readonly BrowserStep[] = [
  { action: 'goto', url: '/login' },
  { action: 'fill', selector: '#user', value: 'ada' },
  { action: 'fill', selector: '#password', value: 'hunter2' },
  { action: 'click', selector: 'button[type=submit]', name: 'signs in' },
  { action: 'expect_url', contains: '/home' },
  { action: 'expect_text', text: 'Welcome, Ada', name: 'sees the welcome' },
  { action: 'expect_no_text', text: 'Community Not Found' },
];

const page = (body: string) => `<!doctype html><html><body>${body}</body></html>`;

/** A tiny community site: a landing page, a login form that POSTs, and a home page behind a cookie. */
function communitySite(broken: boolean) {
  const requests: string[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    const html = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page(body));
    };
    if (req.url === '/') return html(200, '<h1>Ada’s community</h1><a href="/login">Sign in</a>');
    if (req.url === '/login' && req.method === 'GET') {
      return html(
        200,
        '<form method="post" action="/login"><input id="user" name="user">' +
          '<input id="password" name="password" type="password"><button type="submit">Sign in</button></form>',
      );
    }
    if (req.url === '/login' && req.method === 'POST') {
      let form = '';
      for await (const chunk of req) form += String(chunk);
      if (new URLSearchParams(form).get('user') !== 'ada') return html(401, '<p>Wrong password</p>');
      res.writeHead(303, { location: '/home', 'set-cookie': 'session=ada; HttpOnly; Path=/' });
      return res.end();
    }
    if (req.url === '/elsewhere') {
      res.writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/` });
      return res.end();
    }
    if (req.url === '/home' && req.headers.cookie?.includes('session=ada')) {
      return html(200, broken ? '<h1>Community Not Found</h1>' : '<h1>Welcome, Ada</h1>');
    }
    return html(404, '<p>Not here</p>');
  });
  return { server, requests };
}

function probeContext(artifactsDir: string, overrides: Partial<ProbeContext> = {}): ProbeContext {
  const lookup: LookupFunction = (_host, _options, callback) =>
    callback(null, [{ address: '127.0.0.1', family: 4 }]);
  return {
    signal: new AbortController().signal,
    lookup,
    policy: { allowPrivateTargets: true },
    artifactsDir,
    ...overrides,
  };
}

let artifactsDir = '';
const sites = { healthy: communitySite(false), broken: communitySite(true) };
const urls = { healthy: '', broken: '' };

beforeAll(async () => {
  artifactsDir = await mkdtemp(join(tmpdir(), 'firewatch-browser-'));
  for (const name of ['healthy', 'broken'] as const) {
    const { server } = sites[name];
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
});

afterAll(async () => {
  await closeBrowser();
  for (const { server } of Object.values(sites)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await rm(artifactsDir, { recursive: true, force: true });
});

it('fails with a clear reason when there is no browser at the executable path', async () => {
  const outcome = await runBrowserCheck(browserSpec(`${urls.healthy}/`, []), probeContext(artifactsDir), {
    executablePath: '/nonexistent/chromium',
  });
  expect(outcome).toMatchObject({
    ok: false,
    reason:
      'no browser found at /nonexistent/chromium: install Chromium (apt-get install chromium) or set FIREWATCH_CHROMIUM',
  });
  expect(outcome.artifacts).toBeUndefined();
});

function requireChromium(): void {
  if (!HAVE_CHROMIUM) {
    throw new Error(`browser tests are required under CI but there is no Chromium at ${CHROMIUM}`);
  }
}

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('journeys in Chromium', () => {
  beforeAll(requireChromium);

  it('passes a login journey through goto, fill, click and the expectations', async () => {
    const spec = browserSpec(`${urls.healthy}/`, LOGIN_JOURNEY, { timeoutMs: 15_000 });
    const outcome = await runBrowserCheck(spec, probeContext(artifactsDir));
    expect(outcome).toMatchObject({ ok: true, slow: false, reason: null });
    expect(outcome.artifacts).toBeUndefined();
    expect(sites.healthy.requests).toContain('POST /login');
  });

  it('fails at the named expect_text step on a broken community and keeps a PNG screenshot', async () => {
    const spec = browserSpec(`${urls.broken}/`, LOGIN_JOURNEY, { timeoutMs: 4_000 });
    const outcome = await runBrowserCheck(spec, probeContext(artifactsDir));
    expect(outcome.ok).toBe(false);
    expect(outcome.reason).toBe(
      `step 6 "sees the welcome" (expect_text "Welcome, Ada"): text not found on ${urls.broken}/home`,
    );
    const [screenshot, ...others] = outcome.artifacts ?? [];
    expect(others).toEqual([]);
    expect(screenshot).toMatch(/browser-\d+\.png$/);
    expect(isAbsolute(screenshot!) && screenshot!.startsWith(artifactsDir)).toBe(true);
    expect((await readFile(screenshot!)).subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('refuses a private target the lookup refuses, before any request reaches it', async () => {
    const refusing: LookupFunction = (host, _options, callback) =>
      callback(
        Object.assign(new Error(`refused to connect to ${host} (loopback address)`), { code: 'EFWPRIVATE' }),
        [],
      );
    const context = probeContext(artifactsDir, { lookup: refusing, policy: { allowPrivateTargets: false } });
    const before = sites.healthy.requests.length;
    const outcome = await runBrowserCheck(browserSpec(`${urls.healthy}/`, LOGIN_JOURNEY), context);
    expect(outcome.ok).toBe(false);
    expect(outcome.reason).toBe(
      `start page: could not load ${urls.healthy}/: refused to connect to 127.0.0.1 (loopback address)`,
    );
    expect(sites.healthy.requests.length).toBe(before);
  });

  it('fails without a screenshot when a redirect leads to a host the lookup refuses', async () => {
    const refusingLocalhost: LookupFunction = (host, options, callback) =>
      host === 'localhost'
        ? callback(
            Object.assign(new Error('refused to connect to localhost (loopback address)'), {
              code: 'EFWPRIVATE',
            }),
            [],
          )
        : probeContext(artifactsDir).lookup(host, options, callback);
    const context = probeContext(artifactsDir, {
      lookup: refusingLocalhost,
      policy: { allowPrivateTargets: false },
    });
    const steps: BrowserStep[] = [{ action: 'goto', url: '/elsewhere' }];
    const outcome = await runBrowserCheck(browserSpec(`${urls.healthy}/`, steps), context);
    const port = new URL(urls.healthy).port;
    expect(outcome).toMatchObject({
      ok: false,
      reason:
        `step 1 (goto "/elsewhere"): could not load http://localhost:${port}/ (redirected from ` +
        `${urls.healthy}/elsewhere): refused to connect to localhost (loopback address)`,
    });
    expect(outcome.artifacts).toBeUndefined();
  });
});

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('journeys behind the network policy', () => {
  // `allowed.test` stands for a public site: only this lookup knows it (Chromium sends every request to the
  // policy proxy, which resolves names itself), and it leads to 127.0.0.1, which the real guard refuses as a
  // literal. Everything else goes through the guard as in production.
  const guarded = guardedLookup({ allowPrivateTargets: false });
  const allowingOneName: LookupFunction = (host, options, callback) =>
    host === 'allowed.test'
      ? callback(null, [{ address: '127.0.0.1', family: 4 }])
      : guarded(host, options, callback);
  const POLICY_SAYS =
    'refused to connect to 127.0.0.1 (loopback address): private targets are not allowed — ' +
    'set allow_private_targets: true on the monitor if this is intended';

  // The intranet the policy protects: it counts TCP connections, so it notices even a tunnel or a handshake.
  const intranet = { server: createServer((_req, res) => res.end('secret')), connections: 0 };
  intranet.server.on('connection', () => intranet.connections++);
  const stun = createSocket('udp4');
  let stunPackets = 0;
  stun.on('message', () => stunPackets++);
  const addresses = { intranet: '', stun: 0 };

  /** A public-looking portal (reached as allowed.test) whose links and redirects lead into the intranet. */
  const portal = createServer((req, res) => {
    const redirects: Readonly<Record<string, string>> = {
      '/to-intranet': `http://${addresses.intranet}/secret`,
      '/to-intranet-tls': `https://${addresses.intranet}/secret`,
    };
    const location = redirects[req.url ?? ''];
    if (location !== undefined) {
      res.writeHead(302, { location });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    if (req.url === '/webrtc') {
      // A page that asks Chromium to send STUN packets to a private address while gathering ICE candidates.
      return res.end(
        page(
          `<p id="state">gathering</p><script>
          const peer = new RTCPeerConnection({ iceServers: [{ urls: 'stun:127.0.0.1:${addresses.stun}' }] });
          peer.onicegatheringstatechange = () => {
            if (peer.iceGatheringState === 'complete') document.getElementById('state').textContent = 'gathered';
          };
          peer.createDataChannel('probe');
          peer.createOffer().then((offer) => peer.setLocalDescription(offer));
          </script>`,
        ),
      );
    }
    return res.end(page('<h1>Status portal</h1><a id="intranet" href="/to-intranet">Intranet</a>'));
  });
  let portalUrl = '';

  const guardedContext = () =>
    probeContext(artifactsDir, { lookup: allowingOneName, policy: { allowPrivateTargets: false } });

  beforeAll(async () => {
    requireChromium();
    await new Promise<void>((resolve) => intranet.server.listen(0, '127.0.0.1', resolve));
    addresses.intranet = `127.0.0.1:${(intranet.server.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => stun.bind(0, '127.0.0.1', resolve));
    addresses.stun = stun.address().port;
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
    portalUrl = `http://allowed.test:${(portal.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    stun.close();
    for (const server of [intranet.server, portal]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('passes a login journey through the policy proxy to a host name only the lookup knows', async () => {
    const site = `http://allowed.test:${new URL(urls.healthy).port}`;
    const spec = browserSpec(`${site}/`, LOGIN_JOURNEY, { timeoutMs: 15_000 });
    const outcome = await runBrowserCheck(spec, guardedContext());
    expect(outcome).toMatchObject({ ok: true, reason: null });
  });

  it('refuses a redirect to a private address before it is requested, and names the refusal', async () => {
    const steps: BrowserStep[] = [{ action: 'goto', url: '/to-intranet' }];
    const outcome = await runBrowserCheck(browserSpec(`${portalUrl}/`, steps), guardedContext());
    expect(outcome).toMatchObject({
      ok: false,
      reason:
        `step 1 (goto "/to-intranet"): could not load http://${addresses.intranet}/secret (redirected from ` +
        `${portalUrl}/to-intranet): ${POLICY_SAYS}`,
    });
    expect(outcome.artifacts).toBeUndefined();
    expect(intranet.connections).toBe(0);
  });

  it('refuses an https redirect to a private address before the tunnel is opened', async () => {
    const steps: BrowserStep[] = [{ action: 'goto', url: '/to-intranet-tls' }];
    const outcome = await runBrowserCheck(browserSpec(`${portalUrl}/`, steps), guardedContext());
    expect(outcome.reason).toBe(
      `step 1 (goto "/to-intranet-tls"): could not load https://${addresses.intranet}/secret (redirected ` +
        `from ${portalUrl}/to-intranet-tls): ${POLICY_SAYS}`,
    );
    expect(intranet.connections).toBe(0);
  });

  it('ends the journey at the click whose navigation is redirected to a private address', async () => {
    const steps: BrowserStep[] = [
      { action: 'click', selector: '#intranet', name: 'opens the intranet' },
      { action: 'expect_text', text: 'secret' },
    ];
    const spec = browserSpec(`${portalUrl}/`, steps, { timeoutMs: 10_000 });
    const outcome = await runBrowserCheck(spec, guardedContext());
    expect(outcome.reason).toBe(
      `step 1 "opens the intranet" (click "#intranet"): could not load http://${addresses.intranet}/secret ` +
        `(redirected from ${portalUrl}/to-intranet): ${POLICY_SAYS}`,
    );
    expect(outcome.durationMs).toBeLessThan(spec.timeoutMs);
    expect(intranet.connections).toBe(0);
  });

  it('names the network error when an allowed host refuses connections behind the proxy', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const spec = browserSpec(`http://allowed.test:${port}/`, [], { timeoutMs: 10_000 });
    const outcome = await runBrowserCheck(spec, guardedContext());
    expect(outcome.reason).toBe(
      `start page: could not load http://allowed.test:${port}/: ` +
        `connection refused (ECONNREFUSED) to allowed.test:${port}`,
    );
  });

  it('keeps a page from sending WebRTC packets to a private address', async () => {
    const steps: BrowserStep[] = [{ action: 'expect_text', text: 'gathered' }];
    const spec = browserSpec(`${portalUrl}/webrtc`, steps, { timeoutMs: 10_000 });
    const outcome = await runBrowserCheck(spec, guardedContext());
    expect(outcome).toMatchObject({ ok: true, reason: null });
    expect(stunPackets).toBe(0);
  });
});
