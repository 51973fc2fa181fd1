import type { ChannelContext, DeliveryResult, DeliveryTarget, OutboundMessage } from '../message.js';
import { messageLinks } from './message-links.js';
import { postJson } from './post-json.js';
import { truncate } from './truncate.js';

/** A Teams message carrying one Adaptive Card (what Teams Workflows and incoming webhooks accept). */
export interface TeamsPayload {
  readonly type: 'message';
  readonly attachments: readonly {
    readonly contentType: 'application/vnd.microsoft.card.adaptive';
    readonly contentUrl: null;
    readonly content: Readonly<Record<string, unknown>>;
  }[];
}

// Teams refuses messages over about 28 KB; a page's text is far shorter, this only bounds a runaway one.
const TEXT_MAX = 20_000;

/** The Adaptive Card for message: the title (red for a page), the text, and the links as buttons. */
export function teamsPayload(message: OutboundMessage): TeamsPayload {
  const body = [
    {
      type: 'TextBlock',
      text: message.title,
      size: 'Large',
      weight: 'Bolder',
      wrap: true,
      ...(message.urgency === 'high' ? { color: 'Attention' } : {}),
    },
    ...(message.text.trim() === ''
      ? []
      : [{ type: 'TextBlock', text: truncate(message.text, TEXT_MAX), wrap: true }]),
  ];
  const actions = messageLinks(message).map((link) => ({
    type: 'Action.OpenUrl',
    title: link.label,
    url: link.url,
  }));
  const content = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    actions,
    msteams: { width: 'Full' },
  };
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }],
  };
}

/** Posts message to a Microsoft Teams Workflows (or legacy incoming) webhook URL. */
export function postToTeams(
  target: DeliveryTarget,
  message: OutboundMessage,
  ctx: ChannelContext,
): Promise<DeliveryResult> {
  return postJson(target, message, teamsPayload(message), ctx);
}
