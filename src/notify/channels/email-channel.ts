import { createTransport, type Transporter } from 'nodemailer';
import type { ChannelContext, DeliveryResult, DeliveryTarget, OutboundMessage } from '../message.js';
import { classifySmtpError } from './classify-smtp-error.js';
import { emailContent } from './email-content.js';

// One transport per SMTP URL and timeout. Unpooled: every send opens its own connection, so a server
// restarted between two attempts is simply reached again.
const transports = new Map<string, Transporter>();

/**
 * Sends message as an email to target.address through ctx.smtp, within ctx.timeoutMs. The Message-ID is
 * `<message.id@firewatch>` and X-Firewatch-Delivery carries message.id, so a repeated attempt is
 * recognisable as the same message; message.unsubscribeUrl becomes List-Unsubscribe with
 * List-Unsubscribe-Post (one click), and message.html, when set, is the HTML part. Fails permanently when no SMTP server is configured; never throws.
 */
export async function sendEmail(
  target: DeliveryTarget,
  message: OutboundMessage,
  ctx: ChannelContext,
): Promise<DeliveryResult> {
  if (ctx.smtp === null) {
    return { ok: false, retryable: false, error: 'no SMTP server configured: set FIREWATCH_SMTP_URL' };
  }
  if (!URL.canParse(ctx.smtp.url)) {
    return { ok: false, retryable: false, error: 'FIREWATCH_SMTP_URL is not a valid URL (smtp://host:port)' };
  }
  const host = new URL(ctx.smtp.url).host;
  const content = emailContent(message);
  const signal = AbortSignal.timeout(ctx.timeoutMs);
  try {
    const info = await transportFor(ctx.smtp.url, ctx.timeoutMs).sendMail({
      from: ctx.smtp.from,
      to: target.address,
      subject: content.subject,
      text: content.text,
      html: message.html ?? content.html,
      messageId: `<${message.id}@firewatch>`,
      headers: { 'X-Firewatch-Delivery': message.id, ...unsubscribeHeaders(message) },
      date: new Date(ctx.now()),
      signal,
    });
    return { ok: true, detail: typeof info.response === 'string' ? info.response : null };
  } catch (error) {
    return classifySmtpError(host, error, signal.aborted ? ctx.timeoutMs : null);
  }
}

/** RFC 8058 one-click unsubscribe headers when the message has an unsubscribe link. */
function unsubscribeHeaders(message: OutboundMessage): Record<string, string> {
  if (message.unsubscribeUrl === undefined) return {};
  return {
    'List-Unsubscribe': `<${message.unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/** Closes the cached SMTP transports (at shutdown, and after tests). */
export function closeEmailTransports(): void {
  for (const transport of transports.values()) transport.close();
  transports.clear();
}

function transportFor(url: string, timeoutMs: number): Transporter {
  const key = `${timeoutMs} ${url}`;
  let transport = transports.get(key);
  if (transport === undefined) {
    transport = createTransport({
      url,
      pool: false,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      dnsTimeout: timeoutMs,
    });
    transports.set(key, transport);
  }
  return transport;
}
