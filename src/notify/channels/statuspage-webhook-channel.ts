import type { ChannelContext, DeliveryResult, DeliveryTarget, OutboundMessage } from '../message.js';
import { postJson } from './post-json.js';

/**
 * Posts message.data as it is (a Statuspage-shaped webhook body made by the subscriber notices) to a
 * status-page webhook subscriber's URL, signed with X-Firewatch-Signature when the subscriber has a
 * secret. Receivers written for Atlassian Statuspage webhooks read it unchanged.
 */
export function postStatuspageWebhook(
  target: DeliveryTarget,
  message: OutboundMessage,
  ctx: ChannelContext,
): Promise<DeliveryResult> {
  return postJson(target, message, message.data, ctx);
}
