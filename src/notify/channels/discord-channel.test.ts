import { afterEach, describe, expect, it } from 'vitest';
import { sampleContext, sampleMessage } from '../../../test/support/sample-message.js';
import { startTestReceiver, type TestReceiver } from '../../../test/support/test-receiver.js';
import { discordPayload, postToDiscord } from './discord-channel.js';

let server: TestReceiver | undefined;

afterEach(async () => {
  await server?.close();
});

describe('postToDiscord', () => {
  it('posts one embed with the links and no mentions', async () => {
    server = await startTestReceiver();
    const message = sampleMessage();
    const target = { kind: 'discord' as const, address: `${server.origin}/api/webhooks/1/tok`, secret: null };
    expect(await postToDiscord(target, message, sampleContext())).toEqual({ ok: true, detail: 'HTTP 204' });
    const body = JSON.parse(server.requests[0]!.body);
    expect(body).toEqual({
      content: message.title,
      embeds: [
        {
          title: message.title,
          description: message.text,
          url: message.url,
          color: 0xd92d20,
          fields: [
            {
              name: 'Actions',
              value: `[Acknowledge](${message.actions[0]?.url}) · [Resolve](${message.actions[1]?.url}) · [Open in Firewatch](${message.url})`,
            },
          ],
          timestamp: new Date(message.at).toISOString(),
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it('retries when Discord rate-limits the webhook', async () => {
    server = await startTestReceiver(() => ({
      status: 429,
      body: '{"message": "You are being rate limited."}',
    }));
    const target = { kind: 'discord' as const, address: server.origin, secret: null };
    const result = await postToDiscord(target, sampleMessage(), sampleContext());
    expect(result).toMatchObject({
      ok: false,
      retryable: true,
      error: expect.stringContaining('rate limited'),
    });
  });
});

describe('discordPayload', () => {
  it('truncates the title to 256 and the description to 4096 characters with an ellipsis', () => {
    const embed = discordPayload(sampleMessage({ title: '🔥'.repeat(300), text: 'd'.repeat(5000) }))
      .embeds[0] as {
      title: string;
      description: string;
    };
    expect(embed.title.length).toBeLessThanOrEqual(256);
    expect(embed.title.endsWith('🔥…')).toBe(true);
    expect(embed.description).toHaveLength(4096);
    expect(embed.description.endsWith('d…')).toBe(true);
  });

  it('colours a notification differently from a page and leaves out what is empty', () => {
    const embed = discordPayload(sampleMessage({ urgency: 'low', text: '', url: null, actions: [] }))
      .embeds[0];
    expect(embed).toEqual({ title: sampleMessage().title, color: 0xf79009, timestamp: expect.any(String) });
  });

  it('keeps link labels and URLs from breaking the markdown', () => {
    const message = sampleMessage({
      url: null,
      actions: [{ label: 'See [docs]', url: 'https://x.example/a_(b)' }],
    });
    const embed = discordPayload(message).embeds[0] as { fields: { value: string }[] };
    expect(embed.fields[0]?.value).toBe('[See docs](https://x.example/a_%28b%29)');
  });
});
