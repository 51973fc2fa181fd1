import { afterEach, describe, expect, it } from 'vitest';
import { sampleContext, sampleMessage } from '../../../test/support/sample-message.js';
import { startTestReceiver, type TestReceiver } from '../../../test/support/test-receiver.js';
import { ntfyRequest, postToNtfy } from './ntfy-channel.js';

let server: TestReceiver | undefined;

afterEach(async () => {
  await server?.close();
});

describe('postToNtfy', () => {
  it('publishes the text to the topic with title, priority, tags, click and actions headers', async () => {
    server = await startTestReceiver(() => ({ status: 200, body: '{"id":"abc","event":"message"}' }));
    const message = sampleMessage();
    const target = { kind: 'ntfy' as const, address: `${server.origin}/firewatch-oncall`, secret: null };
    expect(await postToNtfy(target, message, sampleContext())).toEqual({ ok: true, detail: 'HTTP 200' });
    const request = server.requests[0]!;
    expect(request.path).toBe('/firewatch-oncall');
    expect(request.body).toBe(message.text);
    expect(request.headers).toMatchObject({
      'content-type': 'text/plain; charset=utf-8',
      title: message.title,
      priority: '5',
      tags: 'rotating_light,page',
      click: message.url,
      actions:
        `view, Acknowledge, ${message.actions[0]?.url}; view, Resolve, ${message.actions[1]?.url}; ` +
        `view, Open in Firewatch, ${message.url}`,
      'x-firewatch-delivery': message.id,
    });
  });
});

describe('ntfyRequest', () => {
  it('sends a notification at the default priority', () => {
    const headers = ntfyRequest(sampleMessage({ urgency: 'low', kind: 'notify' })).headers;
    expect(headers).toMatchObject({ Priority: '3', Tags: 'bell,notify' });
  });

  it('keeps header values ASCII: an encoded-word title, plain labels, percent-encoded URLs', () => {
    const request = ntfyRequest(
      sampleMessage({
        title: 'Hub ünavailable — 🔥\nagain',
        url: 'https://fw.example/alerts/é',
        actions: [
          { label: 'Accusé, reçu; "ok"', url: 'https://fw.example/a?x=1,2;3' },
          { label: '🔥', url: 'https://fw.example/b' },
          { label: 'Three', url: 'https://fw.example/c' },
          { label: 'Four', url: 'https://fw.example/d' },
        ],
      }),
    );
    const headers = request.headers ?? {};
    for (const value of Object.values(headers)) expect(value).toMatch(/^[\x20-\x7e]*$/);
    const title = headers.Title ?? '';
    const encoded = /^=\?UTF-8\?B\?(.+)\?=$/.exec(title)?.[1] ?? '';
    expect(Buffer.from(encoded, 'base64').toString('utf8')).toBe('Hub ünavailable — 🔥 again');
    expect(headers.Click).toBe('https://fw.example/alerts/%C3%A9');
    expect(headers.Actions).toBe(
      'view, Accuse recu ok, https://fw.example/a?x=1%2C2%3B3; view, Open, https://fw.example/b; ' +
        'view, Three, https://fw.example/c',
    );
  });

  it('keeps the body under 4000 bytes and falls back to the title when there is no text', () => {
    expect(
      Buffer.byteLength(ntfyRequest(sampleMessage({ text: 'é'.repeat(5000) })).body),
    ).toBeLessThanOrEqual(4000);
    expect(ntfyRequest(sampleMessage({ text: '' })).body).toBe(sampleMessage().title);
  });
});
