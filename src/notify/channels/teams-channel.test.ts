import { afterEach, describe, expect, it } from 'vitest';
import { sampleContext, sampleMessage } from '../../../test/support/sample-message.js';
import { startTestReceiver, type TestReceiver } from '../../../test/support/test-receiver.js';
import { postToTeams, teamsPayload } from './teams-channel.js';

let server: TestReceiver | undefined;

afterEach(async () => {
  await server?.close();
});

describe('postToTeams', () => {
  it('posts an Adaptive Card message with the title, the text and OpenUrl actions', async () => {
    server = await startTestReceiver(() => ({ status: 202 }));
    const message = sampleMessage();
    const target = { kind: 'teams' as const, address: `${server.origin}/workflows/x`, secret: null };
    expect(await postToTeams(target, message, sampleContext())).toEqual({ ok: true, detail: 'HTTP 202' });
    const body = JSON.parse(server.requests[0]!.body);
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = body.attachments[0].content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.body).toEqual([
      {
        type: 'TextBlock',
        text: message.title,
        size: 'Large',
        weight: 'Bolder',
        wrap: true,
        color: 'Attention',
      },
      { type: 'TextBlock', text: message.text, wrap: true },
    ]);
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Acknowledge', url: message.actions[0]?.url },
      { type: 'Action.OpenUrl', title: 'Resolve', url: message.actions[1]?.url },
      { type: 'Action.OpenUrl', title: 'Open in Firewatch', url: message.url },
    ]);
  });

  it('retries when Teams fails with a 5xx', async () => {
    server = await startTestReceiver(() => ({ status: 500 }));
    const target = { kind: 'teams' as const, address: server.origin, secret: null };
    expect(await postToTeams(target, sampleMessage(), sampleContext())).toMatchObject({
      ok: false,
      retryable: true,
    });
  });
});

describe('teamsPayload', () => {
  it('shows a notification title in the default colour', () => {
    const card = teamsPayload(sampleMessage({ urgency: 'low' })).attachments[0]?.content as {
      body: object[];
    };
    expect(card.body[0]).not.toHaveProperty('color');
  });
});
