import type { MessageDraft, OutboundMessage } from './message.js';

/** One message carrying several that a rate limit held back: every title, nothing dropped. */
export function bundleMessage(messages: readonly OutboundMessage[], at: number): MessageDraft {
  const urgency = messages.some((m) => m.urgency === 'high') ? 'high' : 'low';
  return {
    kind: 'bundle',
    urgency,
    title: `${messages.length} notifications from Firewatch`,
    text: [
      `${messages.length} notifications arrived faster than this channel's rate limit allows:`,
      '',
      ...messages.map((m) => `- ${m.title}${m.url ? ` (${m.url})` : ''}`),
    ].join('\n'),
    url: messages.find((m) => m.url !== null)?.url ?? null,
    actions: [],
    data: {
      bundled: messages.map((m) => ({ id: m.id, kind: m.kind, title: m.title, url: m.url, data: m.data })),
    },
    at,
  };
}
