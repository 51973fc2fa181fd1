// biome-ignore-all lint/suspicious/noTemplateCurlyInString: step templates use ${variable} placeholders on purpose
import { lookup } from 'node:dns';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckOutcome } from './check-outcome.js';
import { type MultiStepCheckOptions, runMultiStepCheck } from './multi-step-check.js';
import { type Extraction, type MultiStepSpec, type StepSpec, stepSpec } from './multi-step-spec.js';
import type { ProbeContext } from './network-policy.js';

let server: Server;
let base: string;
const context: ProbeContext = {
  signal: new AbortController().signal,
  lookup,
  policy: { allowPrivateTargets: true },
  artifactsDir: tmpdir(),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A small app: log in for a token and a session cookie, then both are needed to load /me. */
async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', base);
  const route = `${req.method} ${url.pathname}`;
  const json = { 'content-type': 'application/json' };
  if (route === 'POST /login') {
    const { user, password } = JSON.parse(await readBody(req)) as { user?: string; password?: string };
    if (user !== 'ada' || password !== 'secret') return void res.writeHead(401, json).end('{"error":"no"}');
    res.writeHead(200, { ...json, 'set-cookie': 'session=s1; Path=/; HttpOnly', 'x-request-id': 'r-42' });
    return void res.end('{"token":"abc"}');
  }
  if (route === 'POST /logout') {
    const expiry =
      url.searchParams.get('by') === 'expires' ? 'Expires=Thu, 01 Jan 1970 00:00:00 GMT' : 'Max-Age=0';
    return void res.writeHead(204, { 'set-cookie': `session=; Path=/; ${expiry}` }).end();
  }
  if (route === 'GET /me') {
    const bearer = req.headers.authorization === 'Bearer abc';
    const session = (req.headers.cookie ?? '').split(/;\s*/).includes('session=s1');
    if (!bearer || !session)
      return void res.writeHead(401, json).end(`{"bearer":${bearer},"session":${session}}`);
    return void res.writeHead(200, json).end('{"name":"Ada","greeting":"Welcome, Ada"}');
  }
  if (route === 'GET /enter') {
    return void res.writeHead(302, { location: '/me', 'set-cookie': 'session=s1' }).end();
  }
  if (route === 'GET /echo') {
    const echoed = { name: url.searchParams.get('name'), requestId: req.headers['x-request-id'] ?? null };
    return void res.writeHead(200, json).end(JSON.stringify(echoed));
  }
  if (route === 'GET /slow') {
    const timer = setTimeout(() => res.writeHead(200).end('late'), 5_000);
    return void res.on('close', () => clearTimeout(timer));
  }
  res.writeHead(404).end();
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

const token: Extraction = { variable: 'token', from: 'json', path: '$.token' };

function logIn(password = 'secret', extract: readonly Extraction[] = [token]): StepSpec {
  return stepSpec(
    'log in',
    `${base}/login`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"user":"ada","password":"${password}"}`,
      expectStatus: [200],
    },
    extract,
  );
}

function loadDashboard(authorization = 'Bearer ${token}'): StepSpec {
  return stepSpec('load dashboard', `${base}/me`, {
    headers: { authorization },
    expectStatus: [200],
    bodyContains: [{ kind: 'text', value: 'Welcome, Ada' }],
    json: [{ path: '$.name', equals: 'Ada' }],
  });
}

/** What loadDashboard reports when /me answers 401: every failed assertion, as the HTTP probe does. */
const DENIED =
  'expected status 200, got 401; body does not contain "Welcome, Ada"; $.name not found in the response';

function journey(...steps: StepSpec[]): MultiStepSpec {
  return { steps, timeoutMs: 5_000 };
}

/** A clock that moves `step` ms every time it is read. */
function ticking(step: number): () => number {
  let now = 0;
  return () => (now += step);
}

function run(spec: MultiStepSpec, options: MultiStepCheckOptions = {}): Promise<CheckOutcome> {
  return runMultiStepCheck(spec, context, options);
}

describe('runMultiStepCheck', () => {
  it('passes when logging in and loading the dashboard both succeed', async () => {
    const outcome = await run(journey(logIn(), loadDashboard()));
    expect(outcome).toMatchObject({ ok: true, slow: false, reason: null });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('fails at step 1, naming it, when the password is wrong', async () => {
    const outcome = await run(journey(logIn('wrong'), loadDashboard()));
    expect(outcome).toMatchObject({
      ok: false,
      slow: false,
      reason: 'step 1 (log in): expected status 200, got 401',
    });
  });

  it('names the step and the variable when an extraction finds nothing', async () => {
    const missing: Extraction = { variable: 'token', from: 'json', path: '$.accessToken' };
    const outcome = await run(journey(logIn('secret', [missing]), loadDashboard()));
    expect(outcome.reason).toBe(
      'step 1 (log in): $.accessToken not found in the response, needed for variable "token"',
    );
  });

  it('carries the session cookie from log in to later requests', async () => {
    expect((await run(journey(logIn(), loadDashboard()))).ok).toBe(true);
    // The token alone is not enough: /me wants the session cookie too.
    const tokenOnly = await run(journey(loadDashboard('Bearer abc')));
    expect(tokenOnly.reason).toBe(`step 1 (load dashboard): ${DENIED}`);
  });

  it.each(['max-age', 'expires'])('forgets a cookie the server expires with %s', async (by) => {
    const logOut = stepSpec('log out', `${base}/logout?by=${by}`, { method: 'POST', expectStatus: [204] });
    const outcome = await run(journey(logIn(), logOut, loadDashboard()));
    expect(outcome.reason).toBe(`step 3 (load dashboard): ${DENIED}`);
  });

  it('sends a cookie set by a redirect to the redirect target', async () => {
    const logOut = stepSpec('log out', `${base}/logout`, { method: 'POST', expectStatus: [204] });
    const enter = { ...loadDashboard(), request: { ...loadDashboard().request, url: `${base}/enter` } };
    expect(await run(journey(logIn(), logOut, enter))).toMatchObject({ ok: true, reason: null });
  });

  it('fills in variables taken from a header and from a regex over the body', async () => {
    const requestId: Extraction = { variable: 'requestId', from: 'header', header: 'X-Request-Id' };
    const name: Extraction = {
      variable: 'name',
      from: 'regex',
      pattern: 'Welcome, (\\w+)',
      flags: '',
      group: 1,
    };
    const echo = stepSpec('echo', `${base}/echo?name=\${name}`, {
      headers: { 'x-request-id': 'id ${requestId}' },
      json: [
        { path: '$.name', equals: 'Ada' },
        { path: '$.requestId', equals: 'id r-42' },
      ],
    });
    const dashboard = { ...loadDashboard(), extract: [name] };
    const outcome = await run(journey(logIn('secret', [token, requestId]), dashboard, echo));
    expect(outcome).toMatchObject({ ok: true, reason: null });
  });

  it('reports the step that was running when the journey timed out', async () => {
    const slow = stepSpec('slow report', `${base}/slow`);
    const outcome = await run({ steps: [logIn(), slow, loadDashboard()], timeoutMs: 300 });
    expect(outcome).toMatchObject({
      ok: false,
      slow: false,
      reason: 'step 2 (slow report): timed out (the whole journey is limited to 300 ms)',
    });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(290);
    expect(outcome.durationMs).toBeLessThan(2_000);
  });

  it('fails with a clear reason, not a crash, when a step uses an unknown variable', async () => {
    const outcome = await run(journey(logIn(), loadDashboard('Bearer ${tokn}')));
    expect(outcome).toMatchObject({
      ok: false,
      reason:
        'step 2 (load dashboard): cannot fill in header "authorization": unknown variable "tokn" at position 7; known variables: token',
    });
  });

  it('is slow, not down, when every step passes but one is over its latency limit', async () => {
    const slowLogIn = { ...logIn(), request: { ...logIn().request, maxLatencyMs: 50 } };
    const outcome = await run(journey(slowLogIn, loadDashboard()), { now: ticking(100) });
    expect(outcome).toMatchObject({
      ok: false,
      slow: true,
      reason: 'step 1 (log in): response took 100 ms, limit 50 ms',
    });
  });

  it('ends at the first failing step even after a slow one', async () => {
    const slowLogIn = { ...logIn(), request: { ...logIn().request, maxLatencyMs: 0 } };
    const outcome = await run(journey(slowLogIn, loadDashboard('Bearer nope')), { now: ticking(10) });
    expect(outcome).toMatchObject({ ok: false, slow: false, reason: `step 2 (load dashboard): ${DENIED}` });
  });

  it('refuses a private target when the policy does not allow it', async () => {
    const guarded = { ...context, policy: { allowPrivateTargets: false } };
    const outcome = await runMultiStepCheck(journey(logIn(), loadDashboard()), guarded);
    expect(outcome.reason).toMatch(
      /^step 1 \(log in\): refused to connect to 127\.0\.0\.1 \(loopback address\)/,
    );
  });

  it('fails when the journey has no steps', async () => {
    const outcome = await run(journey());
    expect(outcome).toMatchObject({ ok: false, reason: 'the journey has no steps: add at least one' });
  });
});
