import type { OutboundMessage } from '../message.js';
import { messageLinks } from './message-links.js';

/** What an email says: subject, plain text, and an HTML alternative with the same content. */
export interface EmailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * The email for message: "[PAGE] " before the title of a page; the text followed by one "<label>: <url>"
 * line per link; the HTML escapes the text and makes the links clickable.
 */
export function emailContent(message: OutboundMessage): EmailContent {
  const links = messageLinks(message);
  const linkLines = links.map((link) => `${link.label}: ${link.url}`);
  const text = [message.text.trimEnd(), linkLines.join('\n')].filter((part) => part !== '').join('\n\n');
  const paragraphs = message.text
    .trim()
    .split(/\n{2,}/)
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${escapeHtml(paragraph).replaceAll('\n', '<br>\n')}</p>`);
  const anchors = links.map((link) => `<a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a>`);
  const html = [
    '<!doctype html>',
    '<html><body style="font-family: sans-serif">',
    `<h2>${escapeHtml(message.title)}</h2>`,
    ...paragraphs,
    ...(anchors.length === 0 ? [] : [`<p>${anchors.join(' &middot; ')}</p>`]),
    '</body></html>',
  ].join('\n');
  return { subject: (message.urgency === 'high' ? '[PAGE] ' : '') + message.title, text, html };
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
