import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RANDOM_LENGTH = 10;

let lastTime = -1;
let lastRandom: number[] = [];

/**
 * Returns a new id: a short prefix, the time in base 36 (fixed width, so ids sort by creation
 * time), and 10 base-32 characters. Portable across dialects, unlike auto-increment columns.
 * Within one process ids are strictly increasing: an id made in the same millisecond as the last
 * one (or with a clock that went back) continues from the last one's random part plus one, so
 * rows written in one transaction sort in the order they were made.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let random: number[];
  if (now > lastTime) {
    lastTime = now;
    random = [...randomBytes(RANDOM_LENGTH)].map((byte) => byte & 15); // top bit clear: room to count up
  } else {
    random = increment(lastRandom);
  }
  lastRandom = random;
  const time = lastTime.toString(36).padStart(9, '0');
  return `${prefix}_${time}${random.map((d) => ALPHABET[d]).join('')}`;
}

function increment(digits: readonly number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    const digit = next[i] ?? 0;
    if (digit < 31) {
      next[i] = digit + 1;
      return next;
    }
    next[i] = 0;
  }
  return next;
}
