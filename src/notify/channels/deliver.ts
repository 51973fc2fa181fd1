import type {
  ChannelContext,
  DeliveryKind,
  DeliveryResult,
  DeliveryTarget,
  OutboundMessage,
} from '../message.js';
import type { Channel } from './channel.js';
import { postToDiscord } from './discord-channel.js';
import { sendEmail } from './email-channel.js';
import { postToNtfy } from './ntfy-channel.js';
import { postToSlack } from './slack-channel.js';
import { postStatuspageWebhook } from './statuspage-webhook-channel.js';
import { postToTeams } from './teams-channel.js';
import { postToWebhook } from './webhook-channel.js';

// A new channel is one file and one line here; the Record type makes a missing kind a compile error.
const CHANNELS: Readonly<Record<DeliveryKind, Channel>> = {
  email: sendEmail,
  slack: postToSlack,
  discord: postToDiscord,
  teams: postToTeams,
  webhook: postToWebhook,
  ntfy: postToNtfy,
  statuspage_webhook: postStatuspageWebhook,
};

/**
 * Makes one attempt to deliver message to target over the channel of target.kind. Never throws: every
 * failure is a result saying whether another attempt can succeed.
 */
export async function deliver(
  target: DeliveryTarget,
  message: OutboundMessage,
  ctx: ChannelContext,
): Promise<DeliveryResult> {
  if (!Object.hasOwn(CHANNELS, target.kind)) {
    return {
      ok: false,
      retryable: false,
      error: `unknown channel kind "${target.kind}"; fix the contact method`,
    };
  }
  try {
    return await CHANNELS[target.kind](target, message, ctx);
  } catch (error) {
    // A bug, not the receiver's doing: keep the attempt retryable so a fixed release can deliver it.
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, retryable: true, error: `${target.kind} delivery failed unexpectedly: ${reason}` };
  }
}
