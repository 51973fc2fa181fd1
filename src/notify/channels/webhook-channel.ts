import type {
  ChannelContext,
  DeliveryResult,
  DeliveryTarget,
  MessageAction,
  MessageKind,
  OutboundMessage,
} from '../message.js';
import { postJson } from './post-json.js';

/** The generic webhook body: the message as it is, with `at` as an ISO 8601 string. */
export interface WebhookPayload {
  readonly id: string;
  readonly kind: MessageKind;
  readonly urgency: 'high' | 'low';
  readonly title: string;
  readonly text: string;
  readonly url: string | null;
  readonly actions: readonly MessageAction[];
  readonly data: Readonly<Record<string, unknown>>;
  readonly at: string;
}

/** The generic webhook body for message. */
export function webhookPayload(message: OutboundMessage): WebhookPayload {
  const { id, kind, urgency, title, text, url, actions, data } = message;
  return { id, kind, urgency, title, text, url, actions, data, at: new Date(message.at).toISOString() };
}

/** Posts message as JSON to any URL, signed when the contact method has a secret. */
export function postToWebhook(
  target: DeliveryTarget,
  message: OutboundMessage,
  ctx: ChannelContext,
): Promise<DeliveryResult> {
  return postJson(target, message, webhookPayload(message), ctx);
}
