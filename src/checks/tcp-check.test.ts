import { lookup } from 'node:dns';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { guardedLookup } from './guarded-lookup.js';
import type { ProbeContext } from './network-policy.js';
import { runTcpCheck } from './tcp-check.js';
import { type TcpSpec, tcpSpec } from './tcp-spec.js';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A TCP server on 127.0.0.1 with a free port that closes every connection at once. */
async function listen(): Promise<number> {
  const server = createServer((socket) => socket.destroy());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port that was just free: listen on it, then stop listening. */
async function closedPort(): Promise<number> {
  const port = await listen();
  await new Promise((resolve) => servers.pop()?.close(resolve));
  return port;
}

function context(overrides: Partial<ProbeContext> = {}): ProbeContext {
  return {
    signal: new AbortController().signal,
    lookup,
    policy: { allowPrivateTargets: true },
    artifactsDir: '/nonexistent',
    ...overrides,
  };
}

function spec(host: string, port: number, overrides: Partial<TcpSpec> = {}): TcpSpec {
  return tcpSpec(host, port, { timeoutMs: 5000, ...overrides });
}

// Answers nothing, ever: stands in for a resolver that hangs, so timeouts and cancellation are deterministic.
const hangingLookup: ProbeContext['lookup'] = () => {};

describe('connect', () => {
  it('passes when the port accepts a connection', async () => {
    const port = await listen();
    const outcome = await runTcpCheck(spec('127.0.0.1', port), context());
    expect(outcome).toMatchObject({ ok: true, slow: false, reason: null });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('resolves a host name through the context lookup', async () => {
    const port = await listen();
    const seen: string[] = [];
    const recording: ProbeContext['lookup'] = (host, options, callback) => {
      seen.push(host);
      lookup(host, { ...options, family: 4 }, callback);
    };
    const outcome = await runTcpCheck(spec('localhost', port), context({ lookup: recording }));
    expect(outcome.ok).toBe(true);
    expect(seen).toEqual(['localhost']);
  });

  it('fails with the refusal and the target when nothing listens', async () => {
    const port = await closedPort();
    const outcome = await runTcpCheck(spec('127.0.0.1', port), context());
    expect(outcome).toMatchObject({
      ok: false,
      slow: false,
      reason: `connection refused (ECONNREFUSED) to 127.0.0.1:${port}`,
    });
  });

  it('is slow, not down, when the connect takes longer than maxLatencyMs', async () => {
    const port = await listen();
    const delayed: ProbeContext['lookup'] = (host, options, callback) => {
      setTimeout(() => lookup(host, { ...options, family: 4 }, callback), 60);
    };
    const outcome = await runTcpCheck(
      spec('localhost', port, { maxLatencyMs: 10 }),
      context({ lookup: delayed }),
    );
    expect(outcome).toMatchObject({ ok: false, slow: true });
    expect(outcome.reason).toMatch(/^connect took \d+ ms, limit 10 ms$/);
  });
});

describe('network policy', () => {
  const refuse: ProbeContext['lookup'] = (host, _options, callback) =>
    callback(Object.assign(new Error(`${host} is a private address`), { code: 'EPOLICY' }), []);

  it('reports the lookup refusing a host name', async () => {
    const outcome = await runTcpCheck(spec('db.internal.test', 5432), context({ lookup: refuse }));
    expect(outcome.reason).toBe(
      'request failed (EPOLICY) to db.internal.test:5432: db.internal.test is a private address',
    );
  });

  it('asks the lookup about an IP literal too, which net.connect would otherwise skip', async () => {
    const port = await listen();
    const outcome = await runTcpCheck(spec('127.0.0.1', port), context({ lookup: refuse }));
    expect(outcome).toMatchObject({
      ok: false,
      reason: expect.stringContaining('127.0.0.1 is a private address'),
    });
  });

  it('refuses 127.0.0.1 under a policy that forbids private targets, though it is an IP literal', async () => {
    const port = await listen();
    const strict = guardedLookup({ allowPrivateTargets: false });
    const outcome = await runTcpCheck(spec('127.0.0.1', port), context({ lookup: strict }));
    expect(outcome.reason).toMatch(
      /^refused to connect to 127\.0\.0\.1 \(loopback address\): private targets/,
    );
  });
});

describe('deadline', () => {
  it('times out naming the target when resolution and connect take longer than timeoutMs', async () => {
    const outcome = await runTcpCheck(
      spec('slow.example.test', 443, { timeoutMs: 100 }),
      context({ lookup: hangingLookup }),
    );
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'timed out after 100 ms connecting to slow.example.test:443',
    });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(95);
  });

  it('stops when the probe is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const outcome = await runTcpCheck(
      spec('slow.example.test', 443),
      context({ lookup: hangingLookup, signal: controller.signal }),
    );
    expect(outcome).toMatchObject({ ok: false, reason: 'probe cancelled before it finished' });
  });

  it('fails at once when the probe was cancelled before it started', async () => {
    const port = await listen();
    const controller = new AbortController();
    controller.abort();
    const outcome = await runTcpCheck(spec('127.0.0.1', port), context({ signal: controller.signal }));
    expect(outcome.reason).toBe('probe cancelled before it finished');
  });
});
