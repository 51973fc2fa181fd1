import type { ChannelContext, OutboundMessage } from '../../src/notify/message.js';

// Test support for the channel tests (not used by Firewatch itself).

/** 2026-11-21T10:00:00Z */
export const SAMPLE_NOW = Date.UTC(2026, 10, 21, 10, 0, 0);

/** A page about a failing hub with acknowledge and resolve links; fields can be overridden. */
export function sampleMessage(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: 'ntf_01JD5Q7Z',
    kind: 'page',
    urgency: 'high',
    title: '[P1] hub-a: Hub login returns 503',
    text: 'Hub login at https://hub-a.example.org returns 503 from 2 locations.\nSince 10:00 UTC.',
    url: 'https://firewatch.example.org/alerts/al_42',
    actions: [
      { label: 'Acknowledge', url: 'https://firewatch.example.org/a/ack?t=tok_ack' },
      { label: 'Resolve', url: 'https://firewatch.example.org/a/resolve?t=tok_res' },
    ],
    data: { alert: { id: 'al_42', priority: 'P1' } },
    at: SAMPLE_NOW - 5000,
    ...overrides,
  };
}

/** A channel context with a fixed clock, no SMTP server, and a 2 s timeout; fields can be overridden. */
export function sampleContext(overrides: Partial<ChannelContext> = {}): ChannelContext {
  return { smtp: null, timeoutMs: 2000, now: () => SAMPLE_NOW, ...overrides };
}
