import { execFileSync } from 'node:child_process';
import { lookup } from 'node:dns';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedLookup } from './guarded-lookup.js';
import type { ProbeContext } from './network-policy.js';
import { runPingCheck } from './ping-check.js';
import { type PingSpec, pingSpec } from './ping-spec.js';

function pingInstalled(): boolean {
  try {
    execFileSync('ping', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Under CI the real ping must run; elsewhere a missing ping skips those tests, loudly.
const skipRealPing = !pingInstalled() && !process.env.CI;
if (skipRealPing) {
  console.warn(
    '\n!! `ping` is not installed: the real-ping tests are SKIPPED. apt-get install iputils-ping\n',
  );
}

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'firewatch-ping-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An executable stand-in for ping that records its arguments and runs `body`, for outcomes loopback cannot give. */
function fakePing(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$@" > "${path}.args"\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const ALL_LOST = `cat <<'OUT'
PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.

--- 10.0.0.1 ping statistics ---
3 packets transmitted, 0 received, 100% packet loss, time 2051ms
OUT
exit 1`;

function context(overrides: Partial<ProbeContext> = {}): ProbeContext {
  return {
    signal: new AbortController().signal,
    lookup,
    policy: { allowPrivateTargets: true },
    artifactsDir: dir,
    ...overrides,
  };
}

function spec(host: string, overrides: Partial<PingSpec> = {}): PingSpec {
  return pingSpec(host, { timeoutMs: 5000, ...overrides });
}

describe('the system ping', () => {
  it.skipIf(skipRealPing)('passes when 127.0.0.1 answers', async () => {
    const outcome = await runPingCheck(spec('127.0.0.1'), context());
    expect(outcome).toMatchObject({ ok: true, slow: false, reason: null });
  });

  it.skipIf(skipRealPing)('pings the address the context lookup resolved the name to', async () => {
    const outcome = await runPingCheck(
      spec('localhost', { maxLatencyMs: 0 }),
      context({
        lookup: (host, options, callback) => lookup(host, { ...options, family: 4 }, callback),
      }),
    );
    expect(outcome).toMatchObject({ ok: false, slow: true });
    expect(outcome.reason).toMatch(
      /^average round trip [\d.]+ ms to localhost \(127\.0\.0\.1\), limit 0 ms$/,
    );
  });
});

describe('outcomes from ping output', () => {
  it('fails with 100% packet loss when no echo comes back', async () => {
    const binary = fakePing('lossy-ping', ALL_LOST);
    const outcome = await runPingCheck(spec('10.0.0.1', { count: 3 }), context(), { binary });
    expect(outcome).toMatchObject({ ok: false, slow: false, reason: '100% packet loss to 10.0.0.1' });
  });

  it('runs ping numerically with the count, a wait, a deadline and the address family', async () => {
    const binary = fakePing('lossy-ping', ALL_LOST);
    await runPingCheck(spec('10.0.0.1', { count: 3, timeoutMs: 5000 }), context(), { binary });
    const args = readFileSync(`${binary}.args`, 'utf8').trim().split('\n');
    expect(args).toEqual(['-n', '-c', '3', '-W', '4', '-w', '4', '-4', '10.0.0.1']);
  });

  it('tells how to install ping when the binary does not exist', async () => {
    const outcome = await runPingCheck(spec('127.0.0.1'), context(), { binary: join(dir, 'no-such-ping') });
    expect(outcome.reason).toBe(
      `${join(dir, 'no-such-ping')} is not installed: install iputils-ping (apt-get install iputils-ping)`,
    );
  });

  it('passes on what ping said when it fails without a summary', async () => {
    const binary = fakePing('denied-ping', `echo 'ping: socket: Operation not permitted' >&2\nexit 2`);
    const outcome = await runPingCheck(spec('127.0.0.1'), context(), { binary });
    expect(outcome.reason).toMatch(
      /^ping to 127\.0\.0\.1 failed \(exit 2\): ping: socket: Operation not permitted; give ping/,
    );
  });
});

describe('network policy and deadline', () => {
  it('reports the lookup refusing the target, and never runs ping', async () => {
    const binary = fakePing('unused-ping', 'exit 0');
    const refuse: ProbeContext['lookup'] = (host, _options, callback) =>
      callback(Object.assign(new Error(`${host} is a private address`), { code: 'EPOLICY' }), []);
    const outcome = await runPingCheck(spec('10.0.0.1'), context({ lookup: refuse }), { binary });
    expect(outcome.reason).toBe('lookup of 10.0.0.1 failed (EPOLICY): 10.0.0.1 is a private address');
    expect(() => readFileSync(`${binary}.args`)).toThrow();
  });

  it('refuses a private address under a policy that forbids private targets', async () => {
    const binary = fakePing('unused-ping', 'exit 0');
    const strict = guardedLookup({ allowPrivateTargets: false });
    const outcome = await runPingCheck(spec('127.0.0.1'), context({ lookup: strict }), { binary });
    expect(outcome.reason).toMatch(
      /^refused to connect to 127\.0\.0\.1 \(loopback address\): private targets/,
    );
  });

  it('kills ping and times out when it runs past timeoutMs', async () => {
    const binary = fakePing('hung-ping', 'exec sleep 30');
    const outcome = await runPingCheck(spec('127.0.0.1', { timeoutMs: 300 }), context(), { binary });
    expect(outcome.reason).toBe('timed out after 300 ms pinging 127.0.0.1');
    expect(outcome.durationMs).toBeLessThan(2000);
  });

  it('stops when the probe is cancelled', async () => {
    const binary = fakePing('hung-ping', 'exec sleep 30');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const outcome = await runPingCheck(spec('127.0.0.1'), context({ signal: controller.signal }), { binary });
    expect(outcome).toMatchObject({ ok: false, reason: 'probe cancelled before it finished' });
  });
});
