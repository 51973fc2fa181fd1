import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from './sign-payload.js';

const SECRET = 'whsec_test';
const BODY = '{"id":"n_1","title":"Hub down — ünïcode"}';
const AT = 1_790_000_000;

describe('signPayload', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256 and names the timestamp', () => {
    const expected = createHmac('sha256', SECRET).update(`${AT}.${BODY}`, 'utf8').digest('hex');
    expect(signPayload(SECRET, AT, BODY)).toBe(`t=${AT},v1=${expected}`);
  });
});

describe('verifySignature', () => {
  it('accepts a signature it made, within the tolerance either side', () => {
    const header = signPayload(SECRET, AT, BODY);
    expect(verifySignature(SECRET, header, BODY, AT)).toBe(true);
    expect(verifySignature(SECRET, header, BODY, AT + 300)).toBe(true);
    expect(verifySignature(SECRET, header, BODY, AT - 300)).toBe(true);
  });

  it('rejects a stale or far-future timestamp', () => {
    const header = signPayload(SECRET, AT, BODY);
    expect(verifySignature(SECRET, header, BODY, AT + 301)).toBe(false);
    expect(verifySignature(SECRET, header, BODY, AT - 301)).toBe(false);
    expect(verifySignature(SECRET, header, BODY, AT + 60, 30)).toBe(false);
  });

  it('rejects a changed body, a wrong secret and a replayed signature with a new timestamp', () => {
    const header = signPayload(SECRET, AT, BODY);
    expect(verifySignature(SECRET, header, `${BODY} `, AT)).toBe(false);
    expect(verifySignature('other', header, BODY, AT)).toBe(false);
    const replayed = header.replace(`t=${AT}`, `t=${AT + 100}`);
    expect(verifySignature(SECRET, replayed, BODY, AT + 100)).toBe(false);
  });

  it('accepts any matching v1 value, as during a secret rotation', () => {
    const current = signPayload(SECRET, AT, BODY).split(',v1=')[1];
    const header = `t=${AT},v1=${'0'.repeat(64)},v1=${current}`;
    expect(verifySignature(SECRET, header, BODY, AT)).toBe(true);
  });

  it('rejects malformed headers without throwing', () => {
    for (const header of ['', 'garbage', `t=${AT}`, `v1=${'a'.repeat(64)}`, `t=abc,v1=${'a'.repeat(64)}`]) {
      expect(verifySignature(SECRET, header, BODY, AT)).toBe(false);
    }
    const valid = signPayload(SECRET, AT, BODY);
    expect(verifySignature(SECRET, valid.slice(0, -2), BODY, AT)).toBe(false);
    expect(verifySignature(SECRET, `${valid},t=${AT}`, BODY, AT)).toBe(false);
  });
});
