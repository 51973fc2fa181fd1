import type { ChannelContext, DeliveryResult, DeliveryTarget, OutboundMessage } from '../message.js';
import { messageLinks } from './message-links.js';
import { postJson } from './post-json.js';
import { truncate } from './truncate.js';

/** A Slack incoming-webhook message: fallback text (shown in notifications) and Block Kit blocks. */
export interface SlackPayload {
  readonly text: string;
  readonly blocks: readonly Readonly<Record<string, unknown>>[];
}

// Block Kit limits: header text 150, section text 3000, button text 75, 25 elements in an actions block.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const BUTTON_MAX = 75;
const BUTTONS_MAX = 25;

/** The Slack message for message: a header, the text as a section, and the links as buttons. */
export function slackPayload(message: OutboundMessage): SlackPayload {
  const blocks: Readonly<Record<string, unknown>>[] = [];
  if (message.title.trim() !== '') {
    blocks.push({ type: 'header', text: { type: 'plain_text', text: truncate(message.title, HEADER_MAX) } });
  }
  if (message.text.trim() !== '') {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: escapedWithin(message.text, SECTION_MAX) },
    });
  }
  const links = messageLinks(message).slice(0, BUTTONS_MAX);
  if (links.length > 0) {
    const elements = links.map((link, index) => ({
      type: 'button',
      text: { type: 'plain_text', text: truncate(link.label, BUTTON_MAX) },
      url: link.url,
      action_id: `firewatch-link-${index}`,
    }));
    blocks.push({ type: 'actions', elements });
  }
  return { text: escapeMrkdwn(message.title), blocks };
}

/** Posts message to a Slack incoming-webhook URL. */
export function postToSlack(
  target: DeliveryTarget,
  message: OutboundMessage,
  ctx: ChannelContext,
): Promise<DeliveryResult> {
  return postJson(target, message, slackPayload(message), ctx);
}

/** Slack's mrkdwn control characters as entities, so text like "<!channel>" or "a<b" shows as written. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

// Escaping lengthens the text, so cut after escaping, never through the middle of an entity.
function escapedWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  return truncate(escaped, max).replace(/&[a-z]{0,3}…$/, '…');
}
