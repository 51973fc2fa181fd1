import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_NOW, sampleContext, sampleMessage } from '../../../test/support/sample-message.js';
import { startTestReceiver, type TestReceiver } from '../../../test/support/test-receiver.js';
import { verifySignature } from '../sign-payload.js';
import { postToWebhook } from './webhook-channel.js';

let server: TestReceiver | undefined;

afterEach(async () => {
  await server?.close();
});

describe('postToWebhook', () => {
  it('posts the whole message as JSON, signed so the receiver can verify it', async () => {
    server = await startTestReceiver(() => ({ status: 200, body: '{"received": true}' }));
    const message = sampleMessage();
    const target = { kind: 'webhook' as const, address: `${server.origin}/firewatch`, secret: 'whsec_1' };
    expect(await postToWebhook(target, message, sampleContext())).toEqual({ ok: true, detail: 'HTTP 200' });
    const request = server.requests[0]!;
    expect(JSON.parse(request.body)).toEqual({
      id: message.id,
      kind: 'page',
      urgency: 'high',
      title: message.title,
      text: message.text,
      url: message.url,
      actions: message.actions,
      data: message.data,
      at: new Date(message.at).toISOString(),
    });
    const seconds = Math.floor(SAMPLE_NOW / 1000);
    const header = String(request.headers['x-firewatch-signature']);
    expect(verifySignature('whsec_1', header, request.body, seconds)).toBe(true);
    expect(request.headers['x-firewatch-delivery']).toBe(message.id);
  });

  it('sends the same delivery id on every attempt so the receiver can drop repeats', async () => {
    server = await startTestReceiver(() => ({ status: 503 }));
    const message = sampleMessage();
    const target = { kind: 'webhook' as const, address: server.origin, secret: null };
    expect(await postToWebhook(target, message, sampleContext())).toMatchObject({
      ok: false,
      retryable: true,
    });
    await postToWebhook(target, message, sampleContext());
    expect(server.requests.map((request) => request.headers['x-firewatch-delivery'])).toEqual([
      message.id,
      message.id,
    ]);
  });
});
