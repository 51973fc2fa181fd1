import type { ChannelContext, DeliveryResult, DeliveryTarget, OutboundMessage } from '../message.js';
import { messageLinks } from './message-links.js';
import { postJson } from './post-json.js';
import { truncate } from './truncate.js';

/** A Discord webhook execution body: one embed, and no pings whatever the text says. */
export interface DiscordPayload {
  readonly content: string;
  readonly embeds: readonly Readonly<Record<string, unknown>>[];
  readonly allowed_mentions: { readonly parse: readonly string[] };
}

// Discord limits: content 2000, embed title 256, description 4096, field value 1024.
const CONTENT_MAX = 2000;
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 4096;
const FIELD_MAX = 1024;
const COLORS = { high: 0xd92d20, low: 0xf79009 } as const;

/** The Discord message for message: the title as content (what push notifications show) and an embed. */
export function discordPayload(message: OutboundMessage): DiscordPayload {
  const links = linkList(message);
  const embed = {
    title: truncate(message.title, TITLE_MAX),
    ...(message.text.trim() === '' ? {} : { description: truncate(message.text, DESCRIPTION_MAX) }),
    ...(message.url === null ? {} : { url: message.url }),
    color: COLORS[message.urgency],
    ...(links === '' ? {} : { fields: [{ name: 'Actions', value: links }] }),
    timestamp: new Date(message.at).toISOString(),
  };
  return { content: truncate(message.title, CONTENT_MAX), embeds: [embed], allowed_mentions: { parse: [] } };
}

/** Posts message to a Discord webhook URL. */
export function postToDiscord(
  target: DeliveryTarget,
  message: OutboundMessage,
  ctx: ChannelContext,
): Promise<DeliveryResult> {
  return postJson(target, message, discordPayload(message), ctx);
}

// Markdown links joined by " · ", as many whole links as fit in one field value.
function linkList(message: OutboundMessage): string {
  let value = '';
  for (const link of messageLinks(message)) {
    const label = link.label.replace(/[[\]]/g, '');
    const item = `[${label}](${link.url.replaceAll('(', '%28').replaceAll(')', '%29')})`;
    const next = value === '' ? item : `${value} · ${item}`;
    if (next.length > FIELD_MAX) break;
    value = next;
  }
  return value;
}
