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

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('journeys in Chromium', () => {
  beforeAll(() => {
    if (!HAVE_CHROMIUM) {
      throw new Error(`browser tests are required under CI but there is no Chromium at ${CHROMIUM}`);
    }
  });

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

  it('fails without a screenshot when Chromium follows a redirect to a host the lookup refuses', async () => {
    const refusingLocalhost: LookupFunction = (host, options, callback) =>
      host === 'localhost'
        ? callback(new Error('refused to connect to localhost (loopback address)'), [])
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
        `step 1 (goto "/elsewhere"): followed a redirect to http://localhost:${port}/, which the network ` +
        'policy refuses: refused to connect to localhost (loopback address)',
    });
    expect(outcome.artifacts).toBeUndefined();
  });
});
