import { randomBytes } from 'node:crypto';

/**
 * Returns a new id: a short prefix, the time in base 36 (fixed width, so ids sort
 * by creation time), and 10 random base-32 characters. Portable across dialects,
 * unlike auto-increment columns.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  const time = now.toString(36).padStart(9, '0');
  const bytes = randomBytes(10);
  let random = '';
  for (const byte of bytes) random += ALPHABET[byte & 31];
  return `${prefix}_${time}${random}`;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
