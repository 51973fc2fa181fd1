import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ASYNC_COMPRESS_BYTES, EncodedBodies, MIN_COMPRESS_BYTES, pickEncoding } from './encoded-bodies.js';

const page = (n: number) => `<p>${'status page text '.repeat(200)}${n}</p>`;

describe('EncodedBodies', () => {
  it('compresses a body once per encoding, at once, and hands out the same bytes afterwards', () => {
    const bodies = new EncodedBodies();
    const body = page(1);
    const entry = bodies.get(body);
    const br = bodies.encode(entry, 'br');
    const gzip = bodies.encode(entry, 'gzip');
    if (!Buffer.isBuffer(br) || !Buffer.isBuffer(gzip))
      throw new Error('a small body was not compressed at once');
    expect(bodies.get(body)).toBe(entry);
    expect(bodies.encode(bodies.get(body), 'br')).toBe(br);
    expect(bodies.encode(bodies.get(body), 'gzip')).toBe(gzip);
    expect(brotliDecompressSync(br).toString('utf8')).toBe(body);
    expect(gunzipSync(gzip).toString('utf8')).toBe(body);
    expect(bodies.bytes).toBe(entry.identity.length + br.length + gzip.length);
  });

  it('compresses a large body on the thread pool once, sharing the promise, then keeps the bytes', async () => {
    const bodies = new EncodedBodies();
    const body = `{"components":[${Array.from({ length: 9_000 }, (_, i) => `{"id":"c${i}","status":"operational"}`).join(',')}]}`;
    const entry = bodies.get(body);
    expect(entry.identity.length).toBeGreaterThanOrEqual(ASYNC_COMPRESS_BYTES);
    const first = bodies.encode(entry, 'br');
    const second = bodies.encode(entry, 'br');
    expect(first).toBeInstanceOf(Promise);
    expect(second).toBe(first);
    const made = await first;
    expect(brotliDecompressSync(made).toString('utf8')).toBe(body);
    expect(bodies.encode(entry, 'br')).toBe(made);
    expect(bodies.bytes).toBe(entry.identity.length + made.length);
    const gzip = await bodies.encode(entry, 'gzip');
    expect(gunzipSync(gzip).toString('utf8')).toBe(body);
  });

  it('marks bodies under 1 KiB as not worth compressing', () => {
    const bodies = new EncodedBodies();
    expect(bodies.get('x'.repeat(MIN_COMPRESS_BYTES - 1)).compressible).toBe(false);
    expect(bodies.get('x'.repeat(MIN_COMPRESS_BYTES)).compressible).toBe(true);
  });

  it('drops the oldest bodies when over its byte budget, keeping the newest', () => {
    const size = Buffer.byteLength(page(1));
    const bodies = new EncodedBodies(size * 2);
    const first = bodies.get(page(1));
    bodies.get(page(2));
    bodies.get(page(3));
    expect(bodies.bytes).toBeLessThanOrEqual(size * 2);
    expect(bodies.get(page(1))).not.toBe(first);
  });
});

describe('pickEncoding', () => {
  it('prefers br, then gzip, else identity, honouring q=0 and *', () => {
    expect(pickEncoding(undefined)).toBe('identity');
    expect(pickEncoding('')).toBe('identity');
    expect(pickEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(pickEncoding('gzip;q=1.0, br;q=0.1')).toBe('br');
    expect(pickEncoding('gzip')).toBe('gzip');
    expect(pickEncoding('BR;q=0, GZIP')).toBe('gzip');
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding('*;q=0, gzip')).toBe('gzip');
    expect(pickEncoding('deflate, identity')).toBe('identity');
    expect(pickEncoding('br;q=0, gzip;q=0')).toBe('identity');
  });
});
