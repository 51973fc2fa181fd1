import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_COMMUNITIES } from './demo-communities.js';
import { demoConfigYaml } from './demo-config.js';
import { type Simulator, startSimulator } from './simulator.js';
import { breakCommunity, repairCommunity, simulatorState } from './simulator-client.js';

const TOKEN = 'test-control-token';
const SLOW_MS = 200;

describe('demo simulator', () => {
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator({ port: 0, controlToken: TOKEN, slowMs: SLOW_MS });
  });
  afterEach(async () => {
    await sim.close();
  });

  const get = (path: string) => fetch(`${sim.url}${path}`);
  const control = (path: string, body?: object, token = TOKEN) =>
    fetch(`${sim.url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });

  it('serves a front page, a sign-in page and a health API for every healthy community', async () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const front = await get('/pangeo/');
    expect(front.status).toBe(200);
    const html = await front.text();
    expect(html).toContain('Welcome to Pangeo Hub');
    expect(html).toContain('href="/pangeo/login"');
    const login = await get('/pangeo/login');
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('Sign in');
    const health = await get('/climate-lab/api/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', community: 'climate-lab' });
  });

  it('answers 404 for a community it does not host', async () => {
    const res = await get('/no-such-hub/');
    expect(res.status).toBe(404);
  });

  it('resets the connection of every route of a community that is down', async () => {
    sim.break('pangeo', 'down');
    await expect(get('/pangeo/')).rejects.toThrow();
    await expect(get('/pangeo/api/health')).rejects.toThrow();
    expect((await get('/openscapes/')).status).toBe(200);
  });

  it('answers 500 Internal Server Error on every route of a community in error', async () => {
    sim.break('pangeo', 'error');
    for (const path of ['/pangeo/', '/pangeo/login', '/pangeo/api/health']) {
      const res = await get(path);
      expect(res.status).toBe(500);
      expect(await res.text()).toContain('Internal Server Error');
    }
  });

  it('answers correctly but only after the slow delay', async () => {
    sim.break('pangeo', 'slow');
    const started = performance.now();
    const res = await get('/pangeo/');
    expect(performance.now() - started).toBeGreaterThanOrEqual(SLOW_MS - 5);
    expect(await res.text()).toContain('Welcome to Pangeo Hub');
  });

  it('keeps /api/health at 200 while the front page says Community Not Found', async () => {
    sim.break('pangeo', 'not-found');
    const front = await get('/pangeo/');
    expect(front.status).toBe(200);
    const html = await front.text();
    expect(html).toContain('Community Not Found');
    expect(html).not.toContain('Welcome to');
    expect(await (await get('/pangeo/login')).text()).not.toContain('Sign in');
    const health = await get('/pangeo/api/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });

  it('serves the real pages again after a repair', async () => {
    sim.break('pangeo', 'error');
    sim.repair('pangeo');
    expect(sim.modeOf('pangeo')).toBe('healthy');
    expect(await (await get('/pangeo/')).text()).toContain('Welcome to Pangeo Hub');
  });

  it('closes promptly while a slow answer is still pending', async () => {
    sim.break('pangeo', 'slow');
    const pending = get('/pangeo/').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    await sim.close();
    expect(performance.now() - started).toBeLessThan(SLOW_MS);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('rejects control requests without the right bearer token with 401', async () => {
    const missing = await fetch(`${sim.url}/_control/state`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const wrong = await control('/_control/break', { slug: 'pangeo', mode: 'down' }, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(sim.modeOf('pangeo')).toBe('healthy');
  });

  it('rejects an unknown slug or mode with 400 and a message naming it', async () => {
    const slug = await control('/_control/break', { slug: 'nope', mode: 'down' });
    expect(slug.status).toBe(400);
    expect(((await slug.json()) as { error: { message: string } }).error.message).toContain('"nope"');
    const mode = await control('/_control/break', { slug: 'pangeo', mode: 'on-fire' });
    expect(mode.status).toBe(400);
    expect(((await mode.json()) as { error: { message: string } }).error.message).toContain('"on-fire"');
    const repair = await control('/_control/repair', { slug: 'nope' });
    expect(repair.status).toBe(400);
  });

  it('rejects a control body larger than 10 KB with 413', async () => {
    const res = await control('/_control/break', {
      slug: 'pangeo',
      mode: 'down',
      padding: 'x'.repeat(11_000),
    });
    expect(res.status).toBe(413);
    expect(sim.modeOf('pangeo')).toBe('healthy');
  });

  it('breaks, reports and repairs communities through the client helpers', async () => {
    expect(await breakCommunity(sim.url, TOKEN, 'openscapes', 'not-found')).toEqual({
      slug: 'openscapes',
      mode: 'not-found',
    });
    expect(sim.modeOf('openscapes')).toBe('not-found');
    const state = await simulatorState(`${sim.url}/`, TOKEN);
    expect(state.communities).toHaveLength(DEMO_COMMUNITIES.length);
    expect(state.communities).toContainEqual({ slug: 'openscapes', mode: 'not-found' });
    await repairCommunity(sim.url, TOKEN, 'openscapes');
    expect(sim.modeOf('openscapes')).toBe('healthy');
  });

  it('passes the simulator error message through the client helpers', async () => {
    await expect(breakCommunity(sim.url, TOKEN, 'nope', 'down')).rejects.toThrow(
      /HTTP 400.*unknown community "nope"/,
    );
    await expect(simulatorState(sim.url, 'wrong')).rejects.toThrow(/HTTP 401.*control token/);
  });
});

describe('simulator client', () => {
  it('says the simulator is not running and how to start it when nothing listens', async () => {
    const url = await unusedPortUrl();
    await expect(simulatorState(url, TOKEN)).rejects.toThrow(
      `the demo simulator is not running at ${url}: start it with \`npm run demo\``,
    );
  });
});

describe('demoConfigYaml', () => {
  it('produces YAML with a monitor set for each of the 10 demo communities', () => {
    const text = demoConfigYaml('http://127.0.0.1:4100/', { intervalSeconds: 15 });
    expect(text.startsWith('#')).toBe(true);
    const config = parse(text) as {
      version: number;
      communities: {
        url: string;
        depends_on: string[];
        components: { monitors: { interval: string }[] }[];
      }[];
      shared_components: { key: string }[];
    };
    expect(config.version).toBe(1);
    expect(config.communities).toHaveLength(10);
    for (const community of config.communities) {
      const monitors = community.components.flatMap((component) => component.monitors);
      expect(monitors).toHaveLength(3);
      expect(monitors.every((monitor) => monitor.interval === '15s')).toBe(true);
      expect(community.url).toMatch(/^http:\/\/127\.0\.0\.1:4100\/[a-z0-9-]+\/$/);
    }
    const east = config.communities.filter((c) => c.depends_on.includes('cluster-east'));
    expect(east).toHaveLength(5);
    expect(config.shared_components.map((s) => s.key)).toEqual(['cluster-east', 'cluster-west']);
  });
});

async function unusedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}
