import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etagMatches, RenderMemo, sendVersioned } from './cached-response.js';
import { ASYNC_COMPRESS_BYTES } from './encoded-bodies.js';

const BUILT_AT = Date.parse('2026-06-03T12:00:00Z');
const BIG = `<!doctype html>\n<ul>${Array.from({ length: 400 }, (_, i) => `<li>Community ${i} — ok</li>`).join('')}</ul>`;
const SMALL = '{"status":"ok"}';
/** Over ASYNC_COMPRESS_BYTES: compressed on the thread pool on first request. */
const HUGE = `[${Array.from({ length: 8_000 }, (_, i) => `{"id":"component-${i}","status":"operational"}`).join(',')}]`;

describe('sendVersioned', () => {
  let app: FastifyInstance;
  let version = 7;
  let renders = 0;

  beforeAll(async () => {
    app = Fastify();
    const memo = new RenderMemo();
    app.get('/big', async (request, reply) => {
      const body = memo.get('big', version, () => {
        renders++;
        return `${BIG}<p>v${version}</p>`;
      });
      return sendVersioned(request, reply, { version, builtAt: BUILT_AT, contentType: 'text/html', body });
    });
    app.get('/huge', async (request, reply) =>
      sendVersioned(request, reply, {
        version,
        builtAt: BUILT_AT,
        contentType: 'application/json',
        body: HUGE,
      }),
    );
    app.get('/small', async (request, reply) =>
      sendVersioned(request, reply, {
        version,
        builtAt: BUILT_AT,
        contentType: 'application/json',
        body: SMALL,
      }),
    );
    await app.ready();
  });
  afterAll(() => app.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers });

  it('sends the body as it is, with Vary, to a client that accepts no encoding', async () => {
    const response = await get('/big');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers.vary).toBe('Accept-Encoding');
    expect(response.headers.etag).toBe('W/"fw-7"');
    expect(response.headers['last-modified']).toBe(new Date(BUILT_AT).toUTCString());
    expect(response.headers['content-type']).toBe('text/html');
    expect(response.body).toBe(`${BIG}<p>v7</p>`);
  });

  it('sends brotli when br is accepted, even listed after gzip, and it decompresses to the body', async () => {
    const response = await get('/big', { 'accept-encoding': 'gzip, deflate, br' });
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers.vary).toBe('Accept-Encoding');
    expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length);
    expect(response.rawPayload.length).toBeLessThan(Buffer.byteLength(BIG) / 4);
    expect(brotliDecompressSync(response.rawPayload).toString('utf8')).toBe(`${BIG}<p>v7</p>`);
  });

  it('sends gzip when gzip is accepted and br is not (or refused with q=0)', async () => {
    for (const accept of ['gzip', 'br;q=0, gzip;q=0.5', 'x-gzip']) {
      const response = await get('/big', { 'accept-encoding': accept });
      expect(response.headers['content-encoding'], accept).toBe('gzip');
      expect(gunzipSync(response.rawPayload).toString('utf8')).toBe(`${BIG}<p>v7</p>`);
    }
  });

  it('sends identity when every offered coding is refused', async () => {
    const response = await get('/big', { 'accept-encoding': 'br;q=0, gzip;q=0, deflate' });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body).toBe(`${BIG}<p>v7</p>`);
  });

  it('compresses a large body off the event loop and serves the same bytes to requests that raced it', async () => {
    expect(Buffer.byteLength(HUGE)).toBeGreaterThanOrEqual(ASYNC_COMPRESS_BYTES);
    const responses = await Promise.all([1, 2, 3].map(() => get('/huge', { 'accept-encoding': 'br' })));
    for (const response of responses) {
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(response.rawPayload).toString('utf8')).toBe(HUGE);
    }
    expect(responses[1]?.rawPayload.equals(responses[0]?.rawPayload ?? Buffer.alloc(0))).toBe(true);
    const gzip = await get('/huge', { 'accept-encoding': 'gzip' });
    expect(gunzipSync(gzip.rawPayload).toString('utf8')).toBe(HUGE);
  });

  it('never compresses a body under 1 KiB', async () => {
    const response = await get('/small', { 'accept-encoding': 'br, gzip' });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers.vary).toBe('Accept-Encoding');
    expect(response.body).toBe(SMALL);
  });

  it('answers 304 without a body when If-None-Match names this version, whatever the encoding', async () => {
    for (const [ifNoneMatch, accept] of [
      ['W/"fw-7"', 'br'],
      ['W/"fw-6", W/"fw-7"', 'gzip'],
      ['"fw-7"', ''],
    ] as const) {
      const response = await get('/big', { 'if-none-match': ifNoneMatch, 'accept-encoding': accept });
      expect(response.statusCode, ifNoneMatch).toBe(304);
      expect(response.rawPayload.length).toBe(0);
      expect(response.headers.etag).toBe('W/"fw-7"');
      expect(response.headers.vary).toBe('Accept-Encoding');
    }
  });

  it('sends the new version in full once the snapshot moved on, rendering and compressing it again', async () => {
    const before = renders;
    version = 8;
    const response = await get('/big', { 'if-none-match': 'W/"fw-7"', 'accept-encoding': 'br' });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('W/"fw-8"');
    expect(brotliDecompressSync(response.rawPayload).toString('utf8')).toBe(`${BIG}<p>v8</p>`);
    await get('/big', { 'accept-encoding': 'br' });
    expect(renders).toBe(before + 1);
  });
});

describe('etagMatches', () => {
  it('compares weakly and accepts *', () => {
    expect(etagMatches('W/"fw-3"', 'W/"fw-3"')).toBe(true);
    expect(etagMatches('"fw-3"', 'W/"fw-3"')).toBe(true);
    expect(etagMatches('W/"fw-1",W/"fw-3"', 'W/"fw-3"')).toBe(true);
    expect(etagMatches('*', 'W/"fw-3"')).toBe(true);
    expect(etagMatches('W/"fw-33"', 'W/"fw-3"')).toBe(false);
    expect(etagMatches('W/"fw-4"', 'W/"fw-3"')).toBe(false);
  });
});
