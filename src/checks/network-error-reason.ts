import { PRIVATE_TARGET_CODE } from './guarded-lookup.js';
import { messageOf } from './message-of.js';

const NETWORK_PHRASES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'server sent no response headers',
  UND_ERR_BODY_TIMEOUT: 'server stopped sending the body',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'response shorter or longer than its content-length',
};

/**
 * A network error as a check's reason, naming the target host:port: "connection refused (ECONNREFUSED) to
 * 127.0.0.1:9"; TLS and unknown errors also carry their message, and a refusal by the network policy is its
 * own message, which already names the host and what to do. Never throws.
 */
export function networkErrorReason(error: unknown, url: URL): string {
  const coded = codedError(error);
  const code = coded?.code ?? 'no error code';
  if (coded?.code === PRIVATE_TARGET_CODE) return messageOf(coded.error);
  const target = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  const phrase = NETWORK_PHRASES[code];
  if (phrase !== undefined) return `${phrase} (${code}) to ${target}`;
  if (code.includes('CERT') || code.startsWith('UNABLE_TO_')) {
    return `TLS certificate rejected (${code}) to ${target}: ${messageOf(error)}`;
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    return `TLS handshake failed (${code}) to ${target}: ${messageOf(error)}`;
  }
  if (code.startsWith('HPE_')) return `invalid HTTP response (${code}) from ${target}: ${messageOf(error)}`;
  return `request failed (${code}) to ${target}: ${messageOf(error)}`;
}

// Node reports a failed multi-address connect (happy eyeballs) as an AggregateError; undici may wrap causes.
function codedError(error: unknown, depth = 0): { code: string; error: object } | undefined {
  if (typeof error !== 'object' || error === null || depth > 3) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return { code, error };
  if (error instanceof AggregateError) return codedError(error.errors[0], depth + 1);
  return codedError((error as { cause?: unknown }).cause, depth + 1);
}
