import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Dispatcher } from 'undici';
import { messageOf } from './message-of.js';
import { networkErrorReason } from './network-error-reason.js';
import { ProbeFailure } from './probe-failure.js';

/** A response body as text: at most maxBytes decoded bytes, and whether more were left unread. */
export interface CappedBody {
  readonly text: string;
  readonly truncated: boolean;
}

type Decoder = () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress;

// Lenient flushing as in undici's fetch: a body cut short still yields the bytes decoded so far.
const ZLIB_OPTIONS = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: () => zlib.createGunzip(ZLIB_OPTIONS),
  'x-gzip': () => zlib.createGunzip(ZLIB_OPTIONS),
  deflate: () => zlib.createInflate(ZLIB_OPTIONS),
  br: () =>
    zlib.createBrotliDecompress({
      flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
    }),
};

/**
 * Reads the response body as UTF-8 text, decoding gzip, deflate or br, and stops after maxBytes decoded
 * bytes, closing the connection. Throws a ProbeFailure for an unsupported content-encoding, a body that does
 * not decode, or a network error while reading (worded against url).
 *
 * A body the probe cannot decode fails the check even without body assertions: a browser could not read it
 * either. The cap applies to decoded bytes, so a small compressed body cannot expand without limit.
 */
export async function readCappedBody(
  response: Dispatcher.ResponseData,
  maxBytes: number,
  url: URL,
): Promise<CappedBody> {
  const body = response.body;
  let bodyFailedFirst = false;
  let decoderFailedFirst = false;
  // Also keeps the error that undici emits when the stream is destroyed at the cap from going unhandled.
  body.on('error', () => {
    bodyFailedFirst ||= !decoderFailedFirst;
  });
  const encoding = String(response.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  const decoder = DECODERS[encoding]?.();
  if (decoder === undefined && encoding !== 'identity' && encoding !== '') {
    body.destroy();
    throw new ProbeFailure(`response uses unsupported content-encoding "${encoding}"`);
  }
  let source: Readable = body;
  if (decoder !== undefined) {
    decoder.on('error', () => {
      decoderFailedFirst ||= !bodyFailedFirst;
    });
    pipeline(body, decoder, () => {});
    source = decoder;
  }
  try {
    return await readUpTo(source, maxBytes);
  } catch (error) {
    const reason = decoderFailedFirst
      ? `response body is not valid ${encoding}: ${messageOf(error)}`
      : `${networkErrorReason(error, url)} while reading the body`;
    throw new ProbeFailure(reason, { cause: error });
  }
}

// Returning from inside for-await destroys the stream, which makes undici abort the request: the socket is
// closed rather than left half-read.
async function readUpTo(source: Readable, maxBytes: number): Promise<CappedBody> {
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    const room = maxBytes - size;
    if (chunk.length > room) {
      kept.push(chunk.subarray(0, room));
      return { text: decodeUtf8(kept), truncated: true };
    }
    kept.push(chunk);
    size += chunk.length;
  }
  return { text: decodeUtf8(kept), truncated: false };
}

// Non-fatal: invalid sequences (or a character cut at the cap) become U+FFFD; a leading BOM is dropped.
function decodeUtf8(chunks: readonly Buffer[]): string {
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}
