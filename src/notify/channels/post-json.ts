import { type Dispatcher, request } from 'undici';
import type { ChannelContext, DeliveryResult, DeliveryTarget, OutboundMessage } from '../message.js';
import { signPayload } from '../sign-payload.js';
import { classifyRequestError } from './classify-request-error.js';
import { classifyResponse } from './classify-response.js';

/** A request body with its content type, and headers a channel carries fields in (ntfy). */
export interface OutgoingBody {
  readonly body: string;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
}

// Receivers answer "ok" or a short error; anything past this is read no further and the socket is closed.
const MAX_ANSWER_BYTES = 64 * 1024;

/** POSTs payload as JSON to target.address; see postBody. */
export function postJson(
  target: DeliveryTarget,
  message: OutboundMessage,
  payload: unknown,
  ctx: ChannelContext,
): Promise<DeliveryResult> {
  return postBody(target, message, { body: JSON.stringify(payload), contentType: 'application/json' }, ctx);
}

/**
 * POSTs body to target.address with undici, ctx.timeoutMs bounding the whole attempt (reading the answer
 * included). Sends `x-firewatch-delivery: <message.id>` and, when target.secret is set, a timestamp and a
 * signature of the exact body bytes. Reads at most 64 KiB of the answer, then classifies it; never throws.
 */
export async function postBody(
  target: DeliveryTarget,
  message: OutboundMessage,
  outgoing: OutgoingBody,
  ctx: ChannelContext,
): Promise<DeliveryResult> {
  const url = parseTargetUrl(target.address);
  if (typeof url === 'string') return { ok: false, retryable: false, error: url };
  const headers: Record<string, string> = {
    ...outgoing.headers,
    'content-type': outgoing.contentType,
    'user-agent': 'Firewatch',
    'x-firewatch-delivery': message.id,
  };
  if (target.secret !== null) {
    const seconds = Math.floor(ctx.now() / 1000);
    headers['x-firewatch-timestamp'] = String(seconds);
    headers['x-firewatch-signature'] = signPayload(target.secret, seconds, outgoing.body);
  }
  const signal = AbortSignal.timeout(ctx.timeoutMs);
  try {
    const response = await request(url, { method: 'POST', headers, body: outgoing.body, signal });
    const body = await readAnswer(response.body);
    const retryAfter = response.headers['retry-after'];
    return classifyResponse(url.host, {
      status: response.statusCode,
      retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
      body,
    });
  } catch (error) {
    return classifyRequestError(url.host, error, signal.aborted ? ctx.timeoutMs : null);
  }
}

// The URL is a credential for most webhooks (Slack, Discord, ntfy topics): errors never repeat it.
function parseTargetUrl(address: string): URL | string {
  if (!URL.canParse(address))
    return "the contact method's address is not a valid URL; fix the contact method";
  const url = new URL(address);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `the contact method's URL uses ${url.protocol.slice(0, 20)} but only http(s) URLs can be posted to`;
  }
  return url;
}

// The status is already known, so a body that breaks off (timeout, reset) still counts as answered: the
// answer is read only to free the connection and to quote an error.
async function readAnswer(body: Dispatcher.ResponseData['body']): Promise<string> {
  body.on('error', () => {});
  const kept: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      kept.push(chunk);
      size += chunk.length;
      // Leaving the loop destroys the stream, which closes the socket instead of draining it.
      if (size >= MAX_ANSWER_BYTES) break;
    }
  } catch {
    // Keep what arrived.
  }
  return new TextDecoder().decode(Buffer.concat(kept).subarray(0, MAX_ANSWER_BYTES));
}
