import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_NOW, sampleContext, sampleMessage } from '../../../test/support/sample-message.js';
import { startTestReceiver, type TestReceiver } from '../../../test/support/test-receiver.js';
import { verifySignature } from '../sign-payload.js';
import { postStatuspageWebhook } from './statuspage-webhook-channel.js';

let server: TestReceiver | undefined;

afterEach(async () => {
  await server?.close();
});

describe('postStatuspageWebhook', () => {
  it('posts message.data as the whole body, signed with the subscriber secret', async () => {
    server = await startTestReceiver(() => ({ status: 200 }));
    const data = {
      meta: { unsubscribe: 'https://s.example.org/unsubscribe/t' },
      page: { id: 'fleet' },
      incident: { id: 'inc_1' },
    };
    const message = sampleMessage({ kind: 'notice', urgency: 'low', data });
    const target = { kind: 'statuspage_webhook' as const, address: `${server.origin}/hook`, secret: 'sec' };
    expect(await postStatuspageWebhook(target, message, sampleContext())).toEqual({
      ok: true,
      detail: 'HTTP 200',
    });
    const request = server.requests[0]!;
    expect(JSON.parse(request.body)).toEqual(data);
    expect(request.headers['content-type']).toBe('application/json');
    const signature = String(request.headers['x-firewatch-signature']);
    expect(verifySignature('sec', signature, request.body, Math.floor(SAMPLE_NOW / 1000))).toBe(true);
  });
});
