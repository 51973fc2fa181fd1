import type { DeliveryResult } from '../message.js';

const PHRASES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed by the server',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'the response body stalled',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/**
 * The outcome of a POST to host that got no answer. Always retryable: a refused connection, a reset, a DNS
 * failure or a TLS failure at the receiver may all be gone on the next attempt. timeoutMs is set when the
 * whole-attempt timeout ended the request.
 */
export function classifyRequestError(host: string, error: unknown, timeoutMs: number | null): DeliveryResult {
  if (timeoutMs !== null) {
    return { ok: false, retryable: true, error: `${host} did not answer within ${timeoutMs} ms` };
  }
  const coded = codedError(error);
  const code = coded?.code ?? 'no error code';
  const phrase = PHRASES[code] ?? messageOf(coded?.error ?? error);
  return { ok: false, retryable: true, error: `${host} could not be reached: ${phrase} (${code})` };
}

// Node reports a failed multi-address connect as an AggregateError; undici may wrap the cause.
function codedError(error: unknown, depth = 0): { code: string; error: unknown } | undefined {
  if (typeof error !== 'object' || error === null || depth > 3) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return { code, error };
  if (error instanceof AggregateError) return codedError(error.errors[0], depth + 1);
  return codedError((error as { cause?: unknown }).cause, depth + 1);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
