/** Channel kinds a contact method can use. */
export type ChannelKind = 'email' | 'slack' | 'discord' | 'teams' | 'webhook' | 'ntfy';

/** Every kind the outbox delivers: the contact-method kinds, and status-page subscriber webhooks. */
export type DeliveryKind = ChannelKind | 'statuspage_webhook';

export const CHANNEL_KINDS: readonly ChannelKind[] = [
  'email',
  'slack',
  'discord',
  'teams',
  'webhook',
  'ntfy',
];

/** What a notification is about; `notice` is a status-page subscriber's (incident, maintenance, confirmation). */
export type MessageKind = 'page' | 'notify' | 'reminder' | 'bundle' | 'test' | 'notice';

/** A link the recipient can follow (acknowledge, resolve, open in Firewatch). */
export interface MessageAction {
  readonly label: string;
  readonly url: string;
}

/** One message, independent of the channel that carries it. */
export interface OutboundMessage {
  /** Notification id: the delivery id receivers can dedup on (header / Message-ID). */
  readonly id: string;
  readonly kind: MessageKind;
  /** high = a page (loud: ntfy priority 5, "[PAGE]" in subjects); low = a notification. */
  readonly urgency: 'high' | 'low';
  /** One line: "[P1] hub-a: Hub login returns 503". */
  readonly title: string;
  /** Plain text body, several lines. */
  readonly text: string;
  /** Link to the alert (or page) in Firewatch, or null. */
  readonly url: string | null;
  readonly actions: readonly MessageAction[];
  /** Structured payload for the generic webhook channel (JSON object). */
  readonly data: Readonly<Record<string, unknown>>;
  /** When the message was made (ms since epoch). */
  readonly at: number;
  /** One-click unsubscribe link (subscriber notices): emails carry it in List-Unsubscribe (RFC 8058). */
  readonly unsubscribeUrl?: string;
  /** A complete HTML body for email, when the sender made one (subscriber notices); else it is derived from text. */
  readonly html?: string;
}

/** Where a message goes: an email address or a URL to post to, and the signing secret if any. */
export interface DeliveryTarget {
  readonly kind: DeliveryKind;
  readonly address: string;
  readonly secret: string | null;
}

/** Outcome of one attempt. Retryable errors are tried again with backoff; permanent ones flag the method. */
export type DeliveryResult =
  | { readonly ok: true; readonly detail: string | null }
  | { readonly ok: false; readonly retryable: boolean; readonly error: string };

/** SMTP server to send email through (FIREWATCH_SMTP_URL, FIREWATCH_MAIL_FROM). */
export interface SmtpSettings {
  /** smtp://user:pass@host:port or smtps://… */
  readonly url: string;
  readonly from: string;
}

export interface ChannelContext {
  /** Null when no SMTP server is configured: email attempts fail permanently with a clear error. */
  readonly smtp: SmtpSettings | null;
  /** Whole-attempt timeout for one HTTP post or SMTP session. */
  readonly timeoutMs: number;
  /** Clock (seconds of it go into webhook signatures). */
  readonly now: () => number;
}

/** A message before the outbox gives it its id. */
export type MessageDraft = Omit<OutboundMessage, 'id'>;
