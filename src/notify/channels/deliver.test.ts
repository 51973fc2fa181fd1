import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sampleContext, sampleMessage } from '../../../test/support/sample-message.js';
import { startTestReceiver, type TestReceiver } from '../../../test/support/test-receiver.js';
import { CHANNEL_KINDS, type ChannelKind, type DeliveryTarget } from '../message.js';
import { deliver } from './deliver.js';
import { closeEmailTransports } from './email-channel.js';

let server: TestReceiver | undefined;

afterEach(async () => {
  await server?.close();
});

afterAll(() => closeEmailTransports());

// What tells each channel's body apart from the others'.
const SHAPES: Readonly<Record<Exclude<ChannelKind, 'email'>, (body: string) => boolean>> = {
  slack: (body) => Array.isArray(JSON.parse(body).blocks),
  discord: (body) => Array.isArray(JSON.parse(body).embeds),
  teams: (body) => JSON.parse(body).type === 'message',
  webhook: (body) => JSON.parse(body).id === sampleMessage().id,
  ntfy: (body) => body === sampleMessage().text,
};

describe('deliver', () => {
  it.each(CHANNEL_KINDS.filter((kind) => kind !== 'email'))(
    'posts a %s target with its channel',
    async (kind) => {
      server = await startTestReceiver();
      const target: DeliveryTarget = { kind, address: `${server.origin}/to`, secret: null };
      expect(await deliver(target, sampleMessage(), sampleContext())).toEqual({
        ok: true,
        detail: 'HTTP 204',
      });
      const body = server.requests[0]?.body ?? '';
      expect(SHAPES[kind as Exclude<ChannelKind, 'email'>](body)).toBe(true);
    },
  );

  it('sends an email target by email', async () => {
    const target: DeliveryTarget = { kind: 'email', address: 'oncall@example.org', secret: null };
    expect(await deliver(target, sampleMessage(), sampleContext({ smtp: null }))).toMatchObject({
      ok: false,
      retryable: false,
      error: expect.stringContaining('FIREWATCH_SMTP_URL'),
    });
  });

  it('fails permanently for a kind it does not know', async () => {
    const target = { kind: 'pager' as ChannelKind, address: 'x', secret: null };
    expect(await deliver(target, sampleMessage(), sampleContext())).toEqual({
      ok: false,
      retryable: false,
      error: 'unknown channel kind "pager"; fix the contact method',
    });
  });
});
