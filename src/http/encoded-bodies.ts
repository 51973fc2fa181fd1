import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

/** A content coding the public pages are served in. */
export type ContentCoding = 'br' | 'gzip' | 'identity';

/** Bodies shorter than this (in bytes) are sent as they are: compressing them would save next to nothing. */
export const MIN_COMPRESS_BYTES = 1_024;

/**
 * Bodies from this size on are compressed on the thread pool, not on the event loop: a 770 KB
 * summary.json takes ~9 ms (br) and 15–25 ms (gzip), which would stall every other request; below it
 * (the HTML pages, 50–150 KB, 1–3 ms) a thread-pool round trip costs about as much as it saves.
 */
export const ASYNC_COMPRESS_BYTES = 256 * 1_024;

/**
 * Brotli quality 5: on the status pages (text, 50–800 KB) it compresses within ~1 ms per 100 KB and
 * beats gzip -6 by 25–50 %; quality 11 is 100–500× slower for another 10–15 %
 * (bench/statuspage/README.md).
 */
const BROTLI_QUALITY = 5;

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** One body as bytes, with its compressed forms once made (or being made). */
export interface EncodedBody {
  readonly identity: Buffer;
  /** False for bodies under MIN_COMPRESS_BYTES: those are always sent as identity. */
  readonly compressible: boolean;
  br: Buffer | Promise<Buffer> | undefined;
  gzip: Buffer | Promise<Buffer> | undefined;
}

/**
 * Bytes of rendered bodies, keyed by the body text, each encoding made on first use and kept: serving a
 * memoised page again is a map lookup (the string's hash is cached by V8, and RenderMemo hands out the
 * same string every time). Holds at most `maxBytes` (identity plus encodings), dropping the oldest
 * bodies first — those of earlier snapshot versions.
 */
export class EncodedBodies {
  readonly #entries = new Map<string, EncodedBody>();
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxBytes = 64 * 1_048_576) {
    this.#maxBytes = maxBytes;
  }

  /** The entry for `body`, its identity bytes made now if it is new. */
  get(body: string): EncodedBody {
    const hit = this.#entries.get(body);
    if (hit) return hit;
    const identity = Buffer.from(body, 'utf8');
    const entry: EncodedBody = {
      identity,
      compressible: identity.length >= MIN_COMPRESS_BYTES,
      br: undefined,
      gzip: undefined,
    };
    this.#entries.set(body, entry);
    this.#grow(identity.length);
    return entry;
  }

  /**
   * The entry's bytes in `coding`, compressed on the first call for this entry and coding only: at once
   * below ASYNC_COMPRESS_BYTES, else on the thread pool (callers meanwhile share one promise). A failed
   * compression is forgotten, so the next request tries again.
   */
  encode(entry: EncodedBody, coding: 'br' | 'gzip'): Buffer | Promise<Buffer> {
    const known = entry[coding];
    if (known) return known;
    if (entry.identity.length < ASYNC_COMPRESS_BYTES) {
      const made =
        coding === 'br'
          ? brotliCompressSync(entry.identity, brotliOptions(entry.identity))
          : gzipSync(entry.identity);
      entry[coding] = made;
      this.#grow(made.length);
      return made;
    }
    const making = (
      coding === 'br' ? brotliAsync(entry.identity, brotliOptions(entry.identity)) : gzipAsync(entry.identity)
    ).then(
      (made) => {
        entry[coding] = made;
        // Count it only while the entry is still held (it may have been dropped meanwhile).
        if (this.#holds(entry)) this.#grow(made.length);
        return made;
      },
      (error: unknown) => {
        entry[coding] = undefined;
        throw new Error(`${coding} compression of a ${entry.identity.length}-byte body`, { cause: error });
      },
    );
    entry[coding] = making;
    return making;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  // A scan, but only once per body compressed on the thread pool.
  #holds(entry: EncodedBody): boolean {
    for (const held of this.#entries.values()) if (held === entry) return true;
    return false;
  }

  #grow(bytes: number): void {
    this.#bytes += bytes;
    // The newest entry (last in insertion order) always stays, however large.
    while (this.#bytes > this.#maxBytes && this.#entries.size > 1) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, EncodedBody];
      this.#entries.delete(oldestKey);
      this.#bytes -= oldest.identity.length + bufferLength(oldest.br) + bufferLength(oldest.gzip);
    }
  }
}

function bufferLength(value: Buffer | Promise<Buffer> | undefined): number {
  return Buffer.isBuffer(value) ? value.length : 0;
}

function brotliOptions(input: Buffer) {
  return {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: input.length,
    },
  };
}

const chosen = new Map<string, ContentCoding>();
const MAX_REMEMBERED_HEADERS = 256;

/**
 * The coding to send for an Accept-Encoding header: br if accepted, else gzip, else identity. A coding
 * counts as accepted when listed (or covered by `*`) with a q-value above 0. Clients send few distinct
 * headers, so answers are remembered per header text.
 */
export function pickEncoding(acceptEncoding: string | undefined): ContentCoding {
  if (acceptEncoding === undefined || acceptEncoding === '') return 'identity';
  const known = chosen.get(acceptEncoding);
  if (known) return known;
  const coding = parseAcceptEncoding(acceptEncoding);
  if (chosen.size >= MAX_REMEMBERED_HEADERS) chosen.clear();
  chosen.set(acceptEncoding, coding);
  return coding;
}

function parseAcceptEncoding(header: string): ContentCoding {
  const q = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim());
    if (name === '') continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const accepted = (coding: string) => (q.get(coding) ?? q.get('*') ?? 0) > 0;
  if (accepted('br')) return 'br';
  if (accepted('gzip') || accepted('x-gzip')) return 'gzip';
  return 'identity';
}
