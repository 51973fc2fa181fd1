import type { ChannelContext, DeliveryResult, DeliveryTarget, OutboundMessage } from '../message.js';

/** Makes one delivery attempt of message to target and classifies the outcome; never throws. */
export type Channel = (
  target: DeliveryTarget,
  message: OutboundMessage,
  ctx: ChannelContext,
) => Promise<DeliveryResult>;
