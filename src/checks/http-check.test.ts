import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_USER_AGENT, type HttpCheckOptions, runHttpCheck } from './http-check.js';
import { type HttpSpec, httpSpec } from './http-spec.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];

afterEach(async () => {
  const closing = servers.splice(0).map(
    (server) =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  await Promise.all(closing);
});

/** Starts a real server on 127.0.0.1 with a free port; it is closed after the test. */
async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function reply(status: number, body: string, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(body);
  };
}

function spec(url: string, overrides: Partial<HttpSpec> = {}): HttpSpec {
  return httpSpec(url, { timeoutMs: 5000, ...overrides });
}

/** runHttpCheck allowing private targets, since every test server listens on 127.0.0.1. */
function check(checkSpec: HttpSpec, options: HttpCheckOptions = {}) {
  return runHttpCheck(checkSpec, { policy: { allowPrivateTargets: true }, ...options });
}

async function readRequestBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

describe('status', () => {
  it('passes when the server answers 200', async () => {
    const url = await serve(reply(200, 'fine'));
    const outcome = await check(spec(url));
    expect(outcome).toMatchObject({ ok: true, slow: false, reason: null });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('fails with the status code when the server answers 503', async () => {
    const url = await serve(reply(503, 'unavailable'));
    const outcome = await check(spec(url));
    expect(outcome).toMatchObject({ ok: false, slow: false, reason: 'expected a 2xx status, got 503' });
  });

  it('names the expected status when the spec lists one', async () => {
    const url = await serve(reply(503, 'unavailable'));
    const outcome = await check(spec(url, { expectStatus: [200] }));
    expect(outcome.reason).toBe('expected status 200, got 503');
  });

  it('passes on any status in the expect list, even a non-2xx one', async () => {
    const url = await serve(reply(404, 'gone'));
    const outcome = await check(spec(url, { expectStatus: [404, 410] }));
    expect(outcome.ok).toBe(true);
  });

  it('lists every accepted status when none matches', async () => {
    const url = await serve(reply(200, 'ok'));
    const outcome = await check(spec(url, { expectStatus: [201, 202, 204] }));
    expect(outcome.reason).toBe('expected status 201, 202 or 204, got 200');
  });
});

describe('body text', () => {
  it('passes when the body contains the expected text', async () => {
    const url = await serve(reply(200, '<h1>Welcome to the hub</h1>'));
    const outcome = await check(spec(url, { bodyContains: [{ kind: 'text', value: 'Welcome' }] }));
    expect(outcome.ok).toBe(true);
  });

  it('fails when the body lacks the expected text', async () => {
    const url = await serve(reply(200, '<h1>Hello</h1>'));
    const outcome = await check(spec(url, { bodyContains: [{ kind: 'text', value: 'Welcome' }] }));
    expect(outcome).toMatchObject({ ok: false, slow: false, reason: 'body does not contain "Welcome"' });
  });

  it('fails when a 200 page says "Community Not Found"', async () => {
    const url = await serve(reply(200, '<p>Community Not Found</p>'));
    const outcome = await check(
      spec(url, { bodyNotContains: [{ kind: 'text', value: 'Community Not Found' }] }),
    );
    expect(outcome).toMatchObject({ ok: false, reason: 'body contains "Community Not Found"' });
  });

  it('matches regular expressions with their flags', async () => {
    const url = await serve(reply(200, 'WELCOME back'));
    const outcome = await check(
      spec(url, {
        bodyContains: [{ kind: 'regex', pattern: '^welcome\\s+back$', flags: 'i' }],
        bodyNotContains: [{ kind: 'regex', pattern: 'not\\s+found', flags: 'i' }],
      }),
    );
    expect(outcome.ok).toBe(true);
  });

  it('fails when a forbidden pattern matches, quoting the pattern', async () => {
    const url = await serve(reply(200, 'Page NOT   found'));
    const outcome = await check(
      spec(url, { bodyNotContains: [{ kind: 'regex', pattern: 'not\\s+found', flags: 'i' }] }),
    );
    expect(outcome.reason).toBe('body matches /not\\s+found/i');
  });

  it('fails when a required pattern does not match without its flag', async () => {
    const url = await serve(reply(200, 'WELCOME'));
    const outcome = await check(
      spec(url, { bodyContains: [{ kind: 'regex', pattern: 'welcome', flags: '' }] }),
    );
    expect(outcome.reason).toBe('body does not match /welcome/');
  });

  it('reports an invalid pattern instead of throwing', async () => {
    const url = await serve(reply(200, 'x'));
    const outcome = await check(spec(url, { bodyContains: [{ kind: 'regex', pattern: '(', flags: '' }] }));
    expect(outcome.ok).toBe(false);
    expect(outcome.reason).toMatch(/^invalid body pattern \/\(\/: /);
  });

  it('reports the status first, then the body', async () => {
    const url = await serve(reply(500, 'Internal Server Error'));
    const outcome = await check(
      spec(url, { expectStatus: [200], bodyContains: [{ kind: 'text', value: 'Welcome' }] }),
    );
    expect(outcome.reason).toBe('expected status 200, got 500; body does not contain "Welcome"');
  });
});

describe('JSON assertions', () => {
  const health = JSON.stringify({ status: 'down', checks: [{ name: 'db', tags: { a: 1, b: [true] } }] });

  it('passes when every path holds the expected value, objects compared regardless of key order', async () => {
    const url = await serve(reply(200, health, { 'content-type': 'application/json' }));
    const outcome = await check(
      spec(url, {
        json: [
          { path: '$.checks[0].name', equals: 'db' },
          { path: "$.checks[0]['tags']", equals: { b: [true], a: 1 } },
        ],
      }),
    );
    expect(outcome.ok).toBe(true);
  });

  it('fails with the actual and expected values when a path holds something else', async () => {
    const url = await serve(reply(200, health));
    const outcome = await check(spec(url, { json: [{ path: '$.status', equals: 'ok' }] }));
    expect(outcome.reason).toBe('$.status is "down", expected "ok"');
  });

  it('fails when the path is not in the response', async () => {
    const url = await serve(reply(200, health));
    const outcome = await check(spec(url, { json: [{ path: '$.checks[3].name', equals: 'db' }] }));
    expect(outcome.reason).toBe('$.checks[3].name not found in the response');
  });

  it('fails once when the body is not JSON, however many paths are asserted', async () => {
    const url = await serve(reply(200, '<html>maintenance</html>'));
    const outcome = await check(
      spec(url, {
        json: [
          { path: '$.status', equals: 'ok' },
          { path: '$.version', equals: 2 },
        ],
      }),
    );
    expect(outcome.reason).toBe('response body is not JSON');
  });

  it('reports a malformed path instead of throwing', async () => {
    const url = await serve(reply(200, health));
    const outcome = await check(spec(url, { json: [{ path: '$..status', equals: 'ok' }] }));
    expect(outcome.reason).toMatch(/^invalid JSON path "\$\.\.status"/);
  });
});

describe('latency', () => {
  it('is slow but not ok when only the latency limit is exceeded', async () => {
    const url = await serve(reply(200, 'fine'));
    const clock = [1000, 3300];
    const outcome = await check(spec(url, { maxLatencyMs: 1000 }), {
      now: () => clock.shift() ?? 3300,
    });
    expect(outcome).toEqual({
      ok: false,
      slow: true,
      reason: 'response took 2300 ms, limit 1000 ms',
      durationMs: 2300,
    });
  });

  it('measures a real slow server against the limit', async () => {
    const url = await serve((_req, res) => {
      setTimeout(() => res.end('late'), 150);
    });
    const outcome = await check(spec(url, { maxLatencyMs: 50 }));
    expect(outcome.ok).toBe(false);
    expect(outcome.slow).toBe(true);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(140);
    expect(outcome.reason).toMatch(/^response took \d+ ms, limit 50 ms$/);
  });

  it('is not "slow" when another assertion also failed', async () => {
    const url = await serve(reply(503, 'down'));
    const clock = [0, 5000];
    const outcome = await check(spec(url, { maxLatencyMs: 1000 }), {
      now: () => clock.shift() ?? 5000,
    });
    expect(outcome).toMatchObject({ ok: false, slow: false });
    expect(outcome.reason).toBe('expected a 2xx status, got 503; response took 5000 ms, limit 1000 ms');
  });
});

describe('timeouts and cancellation', () => {
  it('times out close to timeoutMs on a server that never answers', async () => {
    const url = await serve(() => {});
    const outcome = await check(spec(url, { timeoutMs: 300 }));
    expect(outcome).toMatchObject({ ok: false, slow: false, reason: 'timed out after 300 ms' });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(290);
    expect(outcome.durationMs).toBeLessThan(700);
  });

  it('times out on a server that sends headers and then stalls the body', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200);
      res.write('first bytes');
    });
    const outcome = await check(spec(url, { timeoutMs: 300 }));
    expect(outcome.reason).toBe('timed out after 300 ms');
    expect(outcome.durationMs).toBeLessThan(700);
  });

  it('counts redirects within the same timeout', async () => {
    const url = await serve((req, res) => {
      const step = Number(req.url?.slice(1) || '0');
      setTimeout(() => res.writeHead(302, { location: `/${step + 1}` }).end(), 120);
    });
    const outcome = await check(spec(url, { timeoutMs: 300 }));
    expect(outcome.reason).toBe('timed out after 300 ms');
    expect(outcome.durationMs).toBeLessThan(700);
  });

  it('stops when the caller aborts, without calling it a timeout', async () => {
    const url = await serve(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const outcome = await check(spec(url, { timeoutMs: 5000 }), { signal: controller.signal });
    expect(outcome).toMatchObject({ ok: false, reason: 'probe cancelled before it finished' });
    expect(outcome.durationMs).toBeLessThan(1000);
  });
});

describe('redirects', () => {
  it('follows relative redirects to the final page', async () => {
    const seen: string[] = [];
    const url = await serve((req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/start/here') res.writeHead(302, { location: 'next' }).end();
      else if (req.url === '/start/next') res.writeHead(301, { location: '/final?x=1' }).end();
      else res.end('arrived');
    });
    const outcome = await check(
      spec(`${url}/start/here`, { bodyContains: [{ kind: 'text', value: 'arrived' }] }),
    );
    expect(outcome.ok).toBe(true);
    expect(seen).toEqual(['/start/here', '/start/next', '/final?x=1']);
  });

  it('fails after maxRedirects redirects in a loop', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      res.writeHead(302, { location: `/loop/${requests}` }).end('moved');
    });
    const outcome = await check(spec(url, { maxRedirects: 3 }));
    expect(outcome.reason).toBe('too many redirects (more than 3)');
    expect(requests).toBe(4);
  });

  it('treats a redirect as final when its status is expected', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/') res.writeHead(301, { location: '/elsewhere' }).end();
      else res.writeHead(500).end();
    });
    const outcome = await check(spec(url, { expectStatus: [301] }));
    expect(outcome.ok).toBe(true);
  });

  it('turns a POST into a GET without body on 303, and keeps both on 307', async () => {
    const seen: string[] = [];
    const url = await serve(async (req, res) => {
      const body = await readRequestBody(req);
      seen.push(`${req.method} ${req.url} ${body} ${req.headers['content-type'] ?? '-'}`);
      if (req.url === '/form') res.writeHead(303, { location: '/temp' }).end();
      else if (req.url === '/keep') res.writeHead(307, { location: '/done' }).end();
      else res.end('ok');
    });
    const post = {
      method: 'POST',
      body: 'a=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    };
    await check(spec(`${url}/form`, post));
    await check(spec(`${url}/keep`, post));
    expect(seen).toEqual([
      'POST /form a=1 application/x-www-form-urlencoded',
      'GET /temp  -',
      'POST /keep a=1 application/x-www-form-urlencoded',
      'POST /done a=1 application/x-www-form-urlencoded',
    ]);
  });

  it('does not forward credentials to another origin', async () => {
    let authorization: string | undefined = 'not called';
    const other = await serve((req, res) => {
      authorization = req.headers.authorization;
      res.end('ok');
    });
    const url = await serve(reply(302, '', { location: `${other}/landing` }));
    const outcome = await check(spec(url, { headers: { Authorization: 'Bearer secret' } }));
    expect(outcome.ok).toBe(true);
    expect(authorization).toBeUndefined();
  });
});

describe('body size cap', () => {
  it('stops reading an endless body at maxBodyBytes and asserts on the prefix', async () => {
    let socketClosed = false;
    const url = await serve((req, res) => {
      res.writeHead(200);
      res.write('<h1>Welcome</h1>');
      const timer = setInterval(() => res.write('x'.repeat(16_384)), 1);
      req.socket.on('close', () => {
        socketClosed = true;
        clearInterval(timer);
      });
    });
    const outcome = await check(
      spec(url, { maxBodyBytes: 100_000, bodyContains: [{ kind: 'text', value: 'Welcome' }] }),
    );
    expect(outcome.ok).toBe(true);
    expect(outcome.durationMs).toBeLessThan(2000);
    await expect.poll(() => socketClosed).toBe(true);
  });

  it('says the body was cut when an assertion fails on the prefix', async () => {
    const url = await serve(reply(200, `${'x'.repeat(5000)}Welcome`));
    const outcome = await check(
      spec(url, { maxBodyBytes: 1000, bodyContains: [{ kind: 'text', value: 'Welcome' }] }),
    );
    expect(outcome.reason).toBe(
      'body does not contain "Welcome" (only the first 1000 bytes of the body were read)',
    );
  });

  it('does not mention the cap when the assertions pass', async () => {
    const url = await serve(reply(200, `Welcome${'x'.repeat(5000)}`));
    const outcome = await check(
      spec(url, { maxBodyBytes: 1000, bodyContains: [{ kind: 'text', value: 'Welcome' }] }),
    );
    expect(outcome).toMatchObject({ ok: true, reason: null });
  });
});

describe('network errors', () => {
  it('reports connection refused with the address', async () => {
    const url = await serve(reply(200, 'never'));
    const port = Number(new URL(url).port);
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    const outcome = await check(spec(url));
    expect(outcome).toMatchObject({
      ok: false,
      slow: false,
      reason: `connection refused (ECONNREFUSED) to 127.0.0.1:${port}`,
    });
  });

  it('reports a server that closes the connection without answering', async () => {
    const url = await serve((req) => req.socket.destroy());
    const outcome = await check(spec(url));
    expect(outcome.ok).toBe(false);
    expect(outcome.reason).toMatch(/^connection (closed by the server|reset) \(\w+\) to 127\.0\.0\.1:\d+$/);
  });

  it('rejects a URL that is not http or https without sending anything', async () => {
    const outcome = await check(spec('ftp://example.com/file'));
    expect(outcome.reason).toBe(
      'invalid URL "ftp://example.com/file": use an absolute http:// or https:// URL',
    );
  });
});

describe('request', () => {
  it('sends method, headers and body, with the default user-agent and no compression', async () => {
    let received: { method?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    const url = await serve(async (req, res) => {
      received = { method: req.method, headers: req.headers, body: await readRequestBody(req) };
      res.writeHead(201).end();
    });
    const outcome = await check(
      spec(`${url}/api/ping`, {
        method: 'post',
        headers: { 'Content-Type': 'application/json', 'X-Probe': 'firewatch' },
        body: '{"ping":true}',
      }),
    );
    expect(outcome.ok).toBe(true);
    expect(received.method).toBe('POST');
    expect(received.body).toBe('{"ping":true}');
    expect(received.headers).toMatchObject({
      'content-type': 'application/json',
      'x-probe': 'firewatch',
      'user-agent': DEFAULT_USER_AGENT,
      'accept-encoding': 'identity',
    });
  });

  it('lets the spec replace the user-agent, whatever its casing', async () => {
    let userAgent: string | undefined;
    const url = await serve((req, res) => {
      userAgent = req.headers['user-agent'];
      res.end();
    });
    await check(spec(url, { headers: { 'User-Agent': 'custom/1.0' } }));
    expect(userAgent).toBe('custom/1.0');
  });

  it('decodes a gzip body when the spec asks for compression', async () => {
    const url = await serve((req, res) => {
      const gzip = req.headers['accept-encoding'] === 'gzip';
      res.writeHead(200, gzip ? { 'content-encoding': 'gzip' } : {});
      res.end(gzip ? gzipSync('compressed Welcome') : 'plain');
    });
    const outcome = await check(
      spec(url, {
        headers: { 'Accept-Encoding': 'gzip' },
        bodyContains: [{ kind: 'text', value: 'Welcome' }],
      }),
    );
    expect(outcome).toMatchObject({ ok: true, reason: null });
  });

  it('fails on a body that claims gzip but is not', async () => {
    const url = await serve(reply(200, 'not gzip at all', { 'content-encoding': 'gzip' }));
    const outcome = await check(spec(url));
    expect(outcome.reason).toMatch(/^response body is not valid gzip: /);
  });
});

describe('connections', () => {
  it('opens a fresh connection for every request, redirects included, and asks the server to close it', async () => {
    const sockets = new Set<Socket>();
    const connectionHeaders: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      sockets.add(req.socket);
      connectionHeaders.push(req.headers.connection);
      if (req.url === '/') res.writeHead(302, { location: '/landing' }).end('moved');
      else res.end('ok');
    });
    expect((await check(spec(url))).ok).toBe(true);
    expect((await check(spec(url))).ok).toBe(true);
    expect(sockets.size).toBe(4);
    expect(connectionHeaders).toEqual(['close', 'close', 'close', 'close']);
  });
});

describe('network policy', () => {
  const REFUSAL_ADVICE =
    'private targets are not allowed — set allow_private_targets: true on the monitor if this is intended';

  /** A server that counts connections, so a test can show the probe never reached it. */
  async function serveCountingConnections(): Promise<{ port: string; connections: () => number }> {
    const url = await serve(reply(200, 'internal admin page'));
    let connections = 0;
    servers.at(-1)?.on('connection', () => connections++);
    return { port: new URL(url).port, connections: () => connections };
  }

  it('refuses a 127.0.0.1 target by default without connecting to it', async () => {
    const server = await serveCountingConnections();
    const outcome = await runHttpCheck(spec(`http://127.0.0.1:${server.port}/admin`));
    expect(outcome).toMatchObject({
      ok: false,
      slow: false,
      reason: `refused to connect to 127.0.0.1 (loopback address): ${REFUSAL_ADVICE}`,
    });
    expect(server.connections()).toBe(0);
  });

  it('refuses a name that resolves to a loopback address (localhost)', async () => {
    const server = await serveCountingConnections();
    const outcome = await runHttpCheck(spec(`http://localhost:${server.port}/`));
    expect(outcome.ok).toBe(false);
    expect(outcome.reason).toMatch(
      /^refused to connect to localhost \((127\.0\.0\.1|::1), loopback address\): /,
    );
    expect(outcome.reason).toContain('allow_private_targets: true');
    expect(server.connections()).toBe(0);
  });

  it('reaches the same server when the policy allows private targets', async () => {
    const server = await serveCountingConnections();
    const outcome = await runHttpCheck(spec(`http://localhost:${server.port}/`), {
      policy: { allowPrivateTargets: true },
    });
    expect(outcome.ok).toBe(true);
    expect(server.connections()).toBe(1);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 (cloud metadata address)'],
    ['https://127.0.0.1:9/', '127.0.0.1 (loopback address)'],
    ['http://[::1]:9/', '::1 (loopback address)'],
    ['http://[::ffff:127.0.0.1]:9/', '::ffff:7f00:1 (loopback address)'],
    ['http://0x7f.1:9/', '127.0.0.1 (loopback address)'],
    ['http://0.0.0.0:9/', '0.0.0.0 (unspecified address)'],
    ['http://10.0.0.5:9/', '10.0.0.5 (private address)'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 (cloud metadata address)'],
  ])('refuses the IP-literal URL %s before connecting', async (url, target) => {
    const outcome = await runHttpCheck(spec(url));
    expect(outcome.reason).toBe(`refused to connect to ${target}: ${REFUSAL_ADVICE}`);
    expect(outcome.durationMs).toBeLessThan(1000);
  });
});
