import type { DeliveryResult } from '../message.js';

/** The fields Nodemailer sets on the errors it rejects with. */
interface SmtpError {
  readonly code?: unknown;
  readonly responseCode?: unknown;
  readonly response?: unknown;
  readonly command?: unknown;
  readonly originalCode?: unknown;
  readonly message?: unknown;
}

// The server could not be reached or the session broke off: the next attempt opens a new connection.
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'ECONNREFUSED',
  'ECONNRESET',
  'EDNS',
  'EPROTOCOL',
]);

// Failures the same settings would meet again: bad configuration or an address the client refuses.
const PERMANENT_CODES: ReadonlySet<string> = new Set([
  'ECONFIG',
  'EENVELOPE',
  'EAUTH',
  'ENOAUTH',
  'EREQUIRETLS',
]);

/**
 * The outcome of a failed send through the SMTP server at host. An SMTP reply decides by its class:
 * 5xx permanent, 4xx retryable; 503 (bad sequence of commands) is retryable too, as it speaks of the
 * session, not of the message. Without a reply, timeouts (timeoutMs set) and connection failures are
 * retryable, a refused configuration or envelope permanent, anything else retryable.
 */
export function classifySmtpError(host: string, error: unknown, timeoutMs: number | null): DeliveryResult {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as SmtpError;
  const code = typeof failure.code === 'string' ? failure.code : 'no error code';
  const command = typeof failure.command === 'string' ? failure.command.split(' ')[0]!.toUpperCase() : null;
  const { responseCode } = failure;
  if (typeof responseCode === 'number' && responseCode >= 400 && responseCode < 600) {
    const permanent = responseCode >= 500 && responseCode !== 503;
    const reply =
      typeof failure.response === 'string' ? failure.response.slice(0, 300) : String(responseCode);
    const after = command === null ? '' : ` (after ${command})`;
    const said = `${host} ${permanent ? 'refused' : 'deferred'} the message: ${reply}${after}`;
    return fail(!permanent, permanent ? `${said}${hint(code, command)}` : said);
  }
  if (timeoutMs !== null) return fail(true, `${host} did not finish the SMTP session within ${timeoutMs} ms`);
  const cause = typeof failure.originalCode === 'string' ? failure.originalCode : code;
  const detail = `${typeof failure.message === 'string' ? failure.message : 'unknown error'} (${cause})`;
  if (CONNECTION_CODES.has(code)) return fail(true, `SMTP server ${host} could not be reached: ${detail}`);
  if (PERMANENT_CODES.has(code)) {
    // Nodemailer refuses a bad envelope itself (command "API"): the message says whether the sender or a
    // recipient was at fault.
    const sender = code === 'EENVELOPE' && /sender/i.test(detail);
    return fail(false, `SMTP send through ${host} failed: ${detail}${hint(code, sender ? 'MAIL' : command)}`);
  }
  return fail(true, `SMTP send through ${host} failed: ${detail}`);
}

function fail(retryable: boolean, error: string): DeliveryResult {
  return { ok: false, retryable, error };
}

// Says who must act: the recipient's address is the contact method's; the sender and credentials are ours.
function hint(code: string, command: string | null): string {
  if (command === 'MAIL') return '; check FIREWATCH_MAIL_FROM';
  if (code === 'EAUTH' || command === 'AUTH') return '; check the credentials in FIREWATCH_SMTP_URL';
  if (command === 'RCPT' || code === 'EENVELOPE') {
    return "; fix the contact method's email address";
  }
  return '';
}
