import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns';
import { type Answer, decode, encode } from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDnsCheck } from './dns-check.js';
import { type DnsSpec, dnsSpec } from './dns-spec.js';
import type { ProbeContext } from './network-policy.js';

const ZONE: Readonly<Record<string, readonly Answer[]>> = {
  'web.test': [
    { name: 'web.test', type: 'A', ttl: 60, data: '5.6.7.8' },
    { name: 'web.test', type: 'A', ttl: 60, data: '1.2.3.4' },
    { name: 'web.test', type: 'TXT', ttl: 60, data: ['v=spf1 ', 'include:mail.test -all'] },
    { name: 'web.test', type: 'MX', ttl: 60, data: { preference: 10, exchange: 'mail.web.test' } },
  ],
};
const SERVFAIL = 2;
const NXDOMAIN = 3;

let server: Socket;
let resolver = '';

/**
 * A tiny authoritative server on 127.0.0.1: answers from ZONE, NOERROR with no answers for a known name and
 * another type, SERVFAIL for servfail.test, nothing at all for silent.test, and NXDOMAIN for the rest.
 */
beforeAll(async () => {
  server = createSocket('udp4');
  server.on('message', (message, peer) => {
    const query = decode(message);
    const question = query.questions?.[0];
    if (!question || question.name === 'silent.test') return;
    const known = ZONE[question.name];
    const rcode = question.name === 'servfail.test' ? SERVFAIL : known ? 0 : NXDOMAIN;
    const answers = (known ?? []).filter((answer) => answer.type === question.type);
    const reply = encode({ type: 'response', id: query.id, flags: rcode, questions: [question], answers });
    server.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  resolver = `127.0.0.1:${server.address().port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(resolve)));

function context(signal = new AbortController().signal): ProbeContext {
  return { signal, lookup, policy: { allowPrivateTargets: true }, artifactsDir: '/nonexistent' };
}

function spec(name: string, overrides: Partial<DnsSpec> = {}): DnsSpec {
  return dnsSpec(name, { resolver, timeoutMs: 2000, ...overrides });
}

describe('answers', () => {
  it('passes when every expected A answer is present', async () => {
    const outcome = await runDnsCheck(spec('web.test', { expectAnswers: ['1.2.3.4', '5.6.7.8'] }), context());
    expect(outcome).toMatchObject({ ok: true, slow: false, reason: null });
  });

  it('passes on any answer when nothing is expected', async () => {
    expect((await runDnsCheck(spec('web.test'), context())).ok).toBe(true);
  });

  it('fails naming the missing answer and the answers it got', async () => {
    const outcome = await runDnsCheck(spec('web.test', { expectAnswers: ['9.9.9.9'] }), context());
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'expected 9.9.9.9 among the A answers, got 5.6.7.8, 1.2.3.4',
    });
  });

  it('compares MX answers as "preference exchange", ignoring case and the root dot', async () => {
    const outcome = await runDnsCheck(
      spec('web.test', { recordType: 'MX', expectAnswers: ['10 Mail.Web.Test.'] }),
      context(),
    );
    expect(outcome.ok).toBe(true);
    const wrong = await runDnsCheck(
      spec('web.test', { recordType: 'MX', expectAnswers: ['20 mail.web.test'] }),
      context(),
    );
    expect(wrong.reason).toBe('expected 20 mail.web.test among the MX answers, got 10 mail.web.test');
  });

  it('joins the chunks of a TXT record into one answer', async () => {
    const expected = 'v=spf1 include:mail.test -all';
    const outcome = await runDnsCheck(
      spec('web.test', { recordType: 'TXT', expectAnswers: [expected] }),
      context(),
    );
    expect(outcome.ok).toBe(true);
  });
});

describe('resolver errors', () => {
  it('reports NXDOMAIN for a name that does not exist', async () => {
    const outcome = await runDnsCheck(spec('nope.test'), context());
    expect(outcome).toMatchObject({ ok: false, reason: 'NXDOMAIN: nope.test does not exist' });
  });

  it('reports no records when the name exists without that type', async () => {
    const outcome = await runDnsCheck(spec('web.test', { recordType: 'AAAA' }), context());
    expect(outcome.reason).toBe('no AAAA records for web.test (ENODATA)');
  });

  it('names the resolver that answered SERVFAIL', async () => {
    const outcome = await runDnsCheck(spec('servfail.test'), context());
    expect(outcome.reason).toBe(`resolver ${resolver} answered SERVFAIL for servfail.test A (ESERVFAIL)`);
  });

  it('rejects a resolver that is not an IP address, saying the form it wants', async () => {
    const outcome = await runDnsCheck(spec('web.test', { resolver: 'dns.example.org' }), context());
    expect(outcome.reason).toMatch(/^invalid resolver address "dns.example.org": .*; use ip or ip:port$/);
  });
});

describe('deadline', () => {
  it('times out naming the query and the resolver when no answer comes', async () => {
    const outcome = await runDnsCheck(spec('silent.test', { timeoutMs: 300 }), context());
    expect(outcome.reason).toBe(`timed out after 300 ms resolving silent.test A via resolver ${resolver}`);
    expect(outcome.durationMs).toBeLessThan(2000);
  });

  it('stops when the probe is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const outcome = await runDnsCheck(spec('silent.test'), context(controller.signal));
    expect(outcome).toMatchObject({ ok: false, reason: 'probe cancelled before it finished' });
  });
});
