import type { ChannelContext, DeliveryResult, DeliveryTarget, OutboundMessage } from '../message.js';
import { messageLinks } from './message-links.js';
import { type OutgoingBody, postBody } from './post-json.js';
import { truncate, utf8Bytes } from './truncate.js';

// ntfy turns a message over 4096 bytes into an attachment (or refuses it); stay under.
const BODY_MAX_BYTES = 4000;
// ntfy shows at most three action buttons.
const ACTIONS_MAX = 3;

/**
 * The ntfy publish request for message, in ntfy's header style: the text as the plain body and Title,
 * Priority (5 for a page, 3 otherwise), Tags, Click and Actions ("view, <label>, <url>", at most 3) as
 * headers. Header values are ASCII: a non-ASCII title is sent as an RFC 2047 encoded word, which ntfy
 * decodes; action labels are reduced to ASCII.
 */
export function ntfyRequest(message: OutboundMessage): OutgoingBody {
  const headers: Record<string, string> = {
    Title: encodedWord(message.title.replace(/[\p{Cc}]+/gu, ' ')),
    Priority: message.urgency === 'high' ? '5' : '3',
    Tags: [message.urgency === 'high' ? 'rotating_light' : 'bell', message.kind].join(','),
  };
  const click = message.url === null ? null : asciiUrl(message.url);
  if (click !== null) headers.Click = click;
  const actions = messageLinks(message)
    .slice(0, ACTIONS_MAX)
    .flatMap((link) => {
      const url = asciiUrl(link.url);
      return url === null
        ? []
        : [`view, ${asciiLabel(link.label)}, ${url.replaceAll(',', '%2C').replaceAll(';', '%3B')}`];
    });
  if (actions.length > 0) headers.Actions = actions.join('; ');
  const text = message.text.trim() === '' ? message.title : message.text;
  return {
    body: truncate(text, BODY_MAX_BYTES, utf8Bytes),
    contentType: 'text/plain; charset=utf-8',
    headers,
  };
}

/** Publishes message to an ntfy topic URL (https://ntfy.sh/<topic> or a self-hosted server). */
export function postToNtfy(
  target: DeliveryTarget,
  message: OutboundMessage,
  ctx: ChannelContext,
): Promise<DeliveryResult> {
  return postBody(target, message, ntfyRequest(message), ctx);
}

function encodedWord(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

// Accents dropped ("Désactiver" → "Desactiver"); commas, semicolons and quotes would split the header.
function asciiLabel(label: string): string {
  const ascii = label
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/[,;"']/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return ascii === '' ? 'Open' : ascii;
}

// URL serialisation percent-encodes the path and punycodes the host, so href is ASCII.
function asciiUrl(url: string): string | null {
  return URL.canParse(url) ? new URL(url).href : null;
}
