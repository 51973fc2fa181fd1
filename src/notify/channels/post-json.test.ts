import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_NOW, sampleContext, sampleMessage } from '../../../test/support/sample-message.js';
import {
  closedPort,
  type ReceiverAnswer,
  startTestReceiver,
  type TestReceiver,
} from '../../../test/support/test-receiver.js';
import type { DeliveryTarget } from '../message.js';
import { verifySignature } from '../sign-payload.js';
import { postBody, postJson } from './post-json.js';

const receivers: TestReceiver[] = [];

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(answer?: () => ReceiverAnswer): Promise<TestReceiver> {
  const started = await startTestReceiver(answer);
  receivers.push(started);
  return started;
}

function target(address: string, secret: string | null = null): DeliveryTarget {
  return { kind: 'webhook', address, secret };
}

const message = sampleMessage();
const payload = { hello: 'wörld', n: 1 };

describe('postJson', () => {
  it('posts the JSON with the delivery id and the Firewatch user agent', async () => {
    const server = await receiver();
    const result = await postJson(target(`${server.origin}/hook?x=1`), message, payload, sampleContext());
    expect(result).toEqual({ ok: true, detail: 'HTTP 204' });
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/hook?x=1', body: JSON.stringify(payload) });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Firewatch',
      'x-firewatch-delivery': message.id,
    });
    expect(request?.headers['x-firewatch-signature']).toBeUndefined();
    expect(request?.headers['x-firewatch-timestamp']).toBeUndefined();
  });

  it('signs the exact body bytes with the secret and the clock in seconds', async () => {
    const server = await receiver();
    await postJson(target(server.origin, 's3cret'), message, payload, sampleContext());
    const request = server.requests[0]!;
    const seconds = Math.floor(SAMPLE_NOW / 1000);
    expect(request.headers['x-firewatch-timestamp']).toBe(String(seconds));
    const signature = String(request.headers['x-firewatch-signature']);
    expect(signature).toMatch(new RegExp(`^t=${seconds},v1=[0-9a-f]{64}$`));
    expect(verifySignature('s3cret', signature, request.body, seconds + 10)).toBe(true);
    expect(verifySignature('other', signature, request.body, seconds + 10)).toBe(false);
  });

  it('sends the extra headers of a body but never lets them replace its own', async () => {
    const server = await receiver();
    const outgoing = {
      body: 'plain',
      contentType: 'text/plain',
      headers: { Title: 'Hi', 'x-firewatch-delivery': 'forged' },
    };
    await postBody(target(server.origin), message, outgoing, sampleContext());
    expect(server.requests[0]?.headers).toMatchObject({ title: 'Hi', 'x-firewatch-delivery': message.id });
  });
});

describe('classifying answers', () => {
  const cases: [number, boolean | 'ok', string][] = [
    [200, 'ok', 'HTTP 200'],
    [202, 'ok', 'HTTP 202'],
    [
      404,
      false,
      'answered HTTP 404 ("no_service") — the webhook URL no longer exists; fix the contact method',
    ],
    [410, false, 'the webhook URL no longer exists'],
    [400, false, "the receiver rejected the message; check the contact method's URL and type"],
    [401, false, 'revoked or not allowed'],
    [403, false, 'revoked or not allowed'],
    [301, false, 'it redirects elsewhere'],
    [408, true, 'try again later'],
    [425, true, 'try again later'],
    [429, true, 'rate limited; will try again later (Retry-After: 30)'],
    [500, true, 'the receiver failed'],
    [503, true, 'the receiver failed'],
  ];

  it.each(cases)('treats HTTP %i as %s', async (status, outcome, words) => {
    const server = await receiver(() => ({ status, body: 'no_service', headers: { 'retry-after': '30' } }));
    const result = await postJson(target(server.origin), message, payload, sampleContext());
    if (outcome === 'ok') {
      expect(result).toEqual({ ok: true, detail: words });
      return;
    }
    expect(result).toMatchObject({ ok: false, retryable: outcome });
    if (!result.ok) {
      expect(result.error).toContain(words);
      expect(result.error.startsWith(`${new URL(server.origin).host} answered HTTP ${status}`)).toBe(true);
    }
  });

  it('does not quote an HTML error page', async () => {
    const server = await receiver(() => ({ status: 502, body: '<html><body>Bad gateway</body></html>' }));
    const result = await postJson(target(server.origin), message, payload, sampleContext());
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(!result.ok && result.error).not.toContain('<html>');
  });

  it('reads a huge answer only up to its cap', async () => {
    const server = await receiver(() => ({ status: 200, body: 'x'.repeat(5 * 1024 * 1024) }));
    const result = await postJson(target(server.origin), message, payload, sampleContext());
    expect(result).toEqual({ ok: true, detail: 'HTTP 200' });
  });

  it('retries when nothing listens, naming the host and the refusal', async () => {
    const port = await closedPort();
    const result = await postJson(target(`http://127.0.0.1:${port}/`), message, payload, sampleContext());
    expect(result).toEqual({
      ok: false,
      retryable: true,
      error: `127.0.0.1:${port} could not be reached: connection refused (ECONNREFUSED)`,
    });
  });

  it('retries when the receiver does not answer within the timeout', async () => {
    const server = await receiver(() => 'hang');
    const started = Date.now();
    const result = await postJson(target(server.origin), message, payload, sampleContext({ timeoutMs: 300 }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result).toEqual({
      ok: false,
      retryable: true,
      error: `${new URL(server.origin).host} did not answer within 300 ms`,
    });
  });

  it('fails permanently for an address that is not an http(s) URL, without repeating it', async () => {
    const notUrl = await postJson(target('hooks.example.org/T0/secret'), message, payload, sampleContext());
    expect(notUrl).toMatchObject({ ok: false, retryable: false });
    expect(!notUrl.ok && notUrl.error).not.toContain('secret');
    const ftp = await postJson(target('ftp://hooks.example.org/x'), message, payload, sampleContext());
    expect(ftp).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('ftp:') });
  });
});
