import { afterEach, describe, expect, it } from 'vitest';
import { sampleContext, sampleMessage } from '../../../test/support/sample-message.js';
import { startTestReceiver, type TestReceiver } from '../../../test/support/test-receiver.js';
import { postToSlack, slackPayload } from './slack-channel.js';

let server: TestReceiver | undefined;

afterEach(async () => {
  await server?.close();
});

describe('postToSlack', () => {
  it('posts a header, the text and link buttons to the incoming webhook', async () => {
    server = await startTestReceiver(() => ({ status: 200, body: 'ok' }));
    const message = sampleMessage();
    const target = { kind: 'slack' as const, address: `${server.origin}/services/T0/B0/x`, secret: null };
    expect(await postToSlack(target, message, sampleContext())).toEqual({ ok: true, detail: 'HTTP 200' });
    const request = server.requests[0]!;
    expect(request.path).toBe('/services/T0/B0/x');
    expect(request.headers['x-firewatch-delivery']).toBe(message.id);
    expect(JSON.parse(request.body)).toEqual({
      text: message.title,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: message.title } },
        { type: 'section', text: { type: 'mrkdwn', text: message.text } },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Acknowledge' },
              url: message.actions[0]?.url,
              action_id: 'firewatch-link-0',
            },
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Resolve' },
              url: message.actions[1]?.url,
              action_id: 'firewatch-link-1',
            },
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Open in Firewatch' },
              url: message.url,
              action_id: 'firewatch-link-2',
            },
          ],
        },
      ],
    });
  });

  it('fails permanently when Slack says the webhook is gone', async () => {
    server = await startTestReceiver(() => ({ status: 404, body: 'no_service' }));
    const target = { kind: 'slack' as const, address: server.origin, secret: null };
    const result = await postToSlack(target, sampleMessage(), sampleContext());
    expect(result).toMatchObject({
      ok: false,
      retryable: false,
      error: expect.stringContaining('"no_service"'),
    });
  });
});

describe('slackPayload', () => {
  it('escapes &, < and > so text cannot ping a channel or form a link', () => {
    const payload = slackPayload(
      sampleMessage({ title: 'a<b & c', text: '<!channel> x>y & <https://evil|click>' }),
    );
    expect(payload.text).toBe('a&lt;b &amp; c');
    expect(payload.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '&lt;!channel&gt; x&gt;y &amp; &lt;https://evil|click&gt;' },
    });
  });

  it('keeps within Block Kit limits without cutting an entity in half', () => {
    const payload = slackPayload(
      sampleMessage({ title: 'T'.repeat(400), text: '&'.repeat(5000), actions: [] }),
    );
    const header = payload.blocks[0] as { text: { text: string } };
    const section = payload.blocks[1] as { text: { text: string } };
    expect(header.text.text).toHaveLength(150);
    expect(section.text.text.length).toBeLessThanOrEqual(3000);
    expect(section.text.text).toMatch(/(&amp;)+…$/);
  });

  it('leaves out the section and the buttons when there is nothing to put in them', () => {
    const payload = slackPayload(sampleMessage({ text: '', actions: [], url: null }));
    expect(payload.blocks.map((block) => block.type)).toEqual(['header']);
  });
});
