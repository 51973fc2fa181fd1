import type { DeliveryResult } from '../message.js';

/** What the receiver said back: its status, a Retry-After value if any, and the start of its body. */
export interface HttpAnswer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: string;
}

// Request timeout, too early, rate limited: the same request can succeed later.
const RETRYABLE_4XX: ReadonlySet<number> = new Set([408, 425, 429]);

/**
 * The outcome of a POST that got an answer from host: 2xx delivered; 408, 425, 429 and 5xx retryable;
 * every other status (other 4xx, an unfollowed 3xx) permanent, with what to fix. The error quotes the
 * start of a non-HTML body, where Slack and Discord say what was wrong ("no_service", "Unknown Webhook").
 */
export function classifyResponse(host: string, answer: HttpAnswer): DeliveryResult {
  const { status } = answer;
  if (status >= 200 && status < 300) return { ok: true, detail: `HTTP ${status}` };
  const said = `${host} answered HTTP ${status}${quote(answer.body)}`;
  if (RETRYABLE_4XX.has(status) || status >= 500) {
    return { ok: false, retryable: true, error: `${said} — ${temporaryReason(answer)}` };
  }
  return { ok: false, retryable: false, error: `${said} — ${permanentReason(status)}` };
}

function temporaryReason({ status, retryAfter }: HttpAnswer): string {
  const after = retryAfter === null ? '' : ` (Retry-After: ${retryAfter.slice(0, 40)})`;
  if (status === 429) return `rate limited; will try again later${after}`;
  if (status >= 500) return `the receiver failed; will try again later${after}`;
  return `the receiver asked to try again later${after}`;
}

function permanentReason(status: number): string {
  if (status >= 300 && status < 400) return 'it redirects elsewhere; set the contact method to the final URL';
  if (status === 404 || status === 410) return 'the webhook URL no longer exists; fix the contact method';
  if (status === 401 || status === 403) {
    return 'the webhook refused the request (revoked or not allowed); fix the contact method';
  }
  if (status === 413) return 'the message is larger than the receiver accepts';
  return "the receiver rejected the message; check the contact method's URL and type";
}

// First line of a short text or JSON answer; HTML error pages say nothing useful in one line.
function quote(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (text === '' || text.startsWith('<')) return '';
  return ` (${JSON.stringify(text.length > 160 ? `${text.slice(0, 159)}…` : text)})`;
}
