import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EncodedBodies, MIN_COMPRESS_BYTES, pickEncoding } from './encoded-bodies.js';

const page = (n: number) => `<p>${'status page text '.repeat(200)}${n}</p>`;

describe('EncodedBodies', () => {
  it('compresses a body once per encoding and hands out the same bytes afterwards', () => {
    const bodies = new EncodedBodies();
    const body = page(1);
    const entry = bodies.get(body);
    const br = bodies.encode(entry, 'br');
    const gzip = bodies.encode(entry, 'gzip');
    expect(bodies.get(body)).toBe(entry);
    expect(bodies.encode(bodies.get(body), 'br')).toBe(br);
    expect(bodies.encode(bodies.get(body), 'gzip')).toBe(gzip);
    expect(brotliDecompressSync(br).toString('utf8')).toBe(body);
    expect(gunzipSync(gzip).toString('utf8')).toBe(body);
    expect(bodies.bytes).toBe(entry.identity.length + br.length + gzip.length);
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
