import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo, LookupFunction, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardedLookup } from './guarded-lookup.js';
import { type PolicyProxy, startPolicyProxy } from './policy-proxy.js';

const POLICY_SAYS =
  'refused to connect to 127.0.0.1 (loopback address): private targets are not allowed — ' +
  'set allow_private_targets: true on the monitor if this is intended';

// The production guard, except that `allowed.test` stands for a public site on 127.0.0.1 and `slow.test`
// never resolves.
const guarded = guardedLookup({ allowPrivateTargets: false });
const lookup: LookupFunction = (host, options, callback) => {
  if (host === 'slow.test') return;
  if (host === 'allowed.test') return callback(null, [{ address: '127.0.0.1', family: 4 }]);
  guarded(host, options, callback);
};

/** The target: echoes what it received, and counts TCP connections so a refusal is seen to send nothing. */
const target = {
  connections: 0,
  seen: [] as { url: string | undefined; headers: IncomingHttpHeaders }[],
  server: createServer((req, res) => {
    target.seen.push({ url: req.url, headers: req.headers });
    res.writeHead(200, { 'content-type': 'text/plain', 'x-target': 'yes' });
    res.end(`hello from ${req.url}`);
  }),
};
target.server.on('connection', () => target.connections++);
let port = 0;
let proxy: PolicyProxy;

beforeAll(async () => {
  await new Promise<void>((resolve) => target.server.listen(0, '127.0.0.1', resolve));
  port = (target.server.address() as AddressInfo).port;
});

afterEach(async () => {
  await proxy?.close();
  target.connections = 0;
  target.seen = [];
});

afterAll(async () => {
  target.server.closeAllConnections();
  await new Promise((resolve) => target.server.close(resolve));
});

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function viaProxy(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { port: proxyPort } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port: proxyPort, path: url, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += String(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

function tunnel(authority: string): Promise<{ status: number; socket: Socket; body: string }> {
  const { port: proxyPort } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const sent = request({
      host: '127.0.0.1',
      port: proxyPort,
      method: 'CONNECT',
      path: authority,
      agent: false,
    });
    sent.on('connect', (res, socket, head) => {
      let body = head.toString();
      if (res.statusCode === 200) return resolve({ status: 200, socket, body });
      socket.on('data', (chunk) => {
        body += String(chunk);
      });
      socket.on('close', () => resolve({ status: res.statusCode ?? 0, socket, body }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('startPolicyProxy', () => {
  it('forwards a plain HTTP request to the address the lookup gives for a name only it knows', async () => {
    proxy = await startPolicyProxy(lookup);
    const answer = await viaProxy(`http://allowed.test:${port}/hello?x=1`, {
      'proxy-connection': 'keep-alive',
      'x-journey': 'login',
    });
    expect(answer).toMatchObject({ status: 200, body: 'hello from /hello?x=1' });
    expect(answer.headers['x-target']).toBe('yes');
    const [seen] = target.seen;
    expect(seen?.headers).toMatchObject({ host: `allowed.test:${port}`, 'x-journey': 'login' });
    expect(seen?.headers['proxy-connection']).toBeUndefined();
    expect(proxy.refusals()).toEqual([]);
  });

  it('tunnels a CONNECT to an allowed name', async () => {
    proxy = await startPolicyProxy(lookup);
    const { status, socket } = await tunnel(`allowed.test:${port}`);
    expect(status).toBe(200);
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += String(chunk);
      });
      socket.on('end', () => resolve(text));
      socket.end('GET /through HTTP/1.1\r\nhost: allowed.test\r\nconnection: close\r\n\r\n');
    });
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(reply).toContain('hello from /through');
  });

  it('refuses a CONNECT to an IP literal the lookup refuses, with 403, before connecting', async () => {
    proxy = await startPolicyProxy(lookup);
    const answer = await tunnel(`127.0.0.1:${port}`);
    expect(answer).toMatchObject({ status: 403 });
    expect(answer.body).toContain(POLICY_SAYS);
    expect(proxy.refusals()).toEqual([
      { host: '127.0.0.1', port, url: null, reason: POLICY_SAYS, byPolicy: true },
    ]);
    expect(target.connections).toBe(0);
  });

  it('refuses a plain HTTP request to a refused target with 403 and the policy message', async () => {
    proxy = await startPolicyProxy(lookup);
    const url = `http://127.0.0.1:${port}/latest/meta-data`;
    expect(await viaProxy(url)).toMatchObject({ status: 403, body: `${POLICY_SAYS}\n` });
    expect(proxy.refusals()).toEqual([{ host: '127.0.0.1', port, url, reason: POLICY_SAYS, byPolicy: true }]);
    expect(target.connections).toBe(0);
  });

  it('answers 502 with the reason when the target refuses connections, not as a policy refusal', async () => {
    proxy = await startPolicyProxy(lookup);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const reason = `connection refused (ECONNREFUSED) to allowed.test:${closedPort}`;
    expect(await viaProxy(`http://allowed.test:${closedPort}/`)).toMatchObject({
      status: 502,
      body: `${reason}\n`,
    });
    expect(proxy.refusals()).toMatchObject([{ reason, byPolicy: false }]);
  });

  it('gives up with 504 when the lookup does not answer within the connect timeout', async () => {
    proxy = await startPolicyProxy(lookup, { connectTimeoutMs: 50 });
    const answer = await tunnel('slow.test:443');
    expect(answer).toMatchObject({ status: 504 });
    expect(proxy.refusals()).toEqual([
      {
        host: 'slow.test',
        port: 443,
        url: null,
        reason: 'connection timed out (ETIMEDOUT) to slow.test:443',
        byPolicy: false,
      },
    ]);
  });

  it('destroys open tunnels when it closes', async () => {
    proxy = await startPolicyProxy(lookup);
    const { socket } = await tunnel(`allowed.test:${port}`);
    const closed = new Promise((resolve) => socket.on('close', resolve));
    await proxy.close();
    await closed;
    expect(socket.destroyed).toBe(true);
  });

  it('answers 400 to a request that does not name an http:// target', async () => {
    proxy = await startPolicyProxy(lookup);
    expect(await viaProxy('/status')).toMatchObject({ status: 400 });
    expect(await viaProxy(`https://allowed.test:${port}/`)).toMatchObject({ status: 400 });
    expect(target.connections).toBe(0);
  });
});
