import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `x-firewatch-signature` header value for a body sent at timestampSeconds:
 * `t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. The timestamp is part of what is
 * signed, so a captured request cannot be replayed later with a fresh timestamp.
 */
export function signPayload(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${hmacHex(secret, timestampSeconds, body)}`;
}

/**
 * Whether header is a valid signature of body under secret, made within toleranceSeconds of nowSeconds
 * (either side, to allow for clock skew). Accepts a header with several v1 values, as a sender rotating its
 * secret would send. Compares in constant time; never throws.
 */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamps = parts.filter(([key]) => key === 't').map(([, value]) => value ?? '');
  const timestamp =
    timestamps.length === 1 && /^\d{1,15}$/.test(timestamps[0]!) ? Number(timestamps[0]) : NaN;
  if (!Number.isSafeInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  return parts
    .filter(([key, value]) => key === 'v1' && value !== undefined && /^[0-9a-f]{64}$/i.test(value))
    .some(([, value]) => timingSafeEqual(Buffer.from(value!, 'hex'), expected));
}

function hmacHex(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
}
