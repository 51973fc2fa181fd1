import { describe, expect, it } from 'vitest';
import { normaliseEmail } from './email-address.js';

describe('normaliseEmail', () => {
  it('trims and lowercases a plain address', () => {
    expect(normaliseEmail('  Ana.Perez+status@Example.ORG ')).toBe('ana.perez+status@example.org');
  });

  it.each([
    '',
    'ana',
    'ana@',
    '@example.org',
    'ana@example',
    'ana@@example.org',
    'ana perez@example.org',
    '"ana"@example.org',
    'ana@[127.0.0.1]',
    'ana@127.0.0.1',
    '.ana@example.org',
    'a..na@example.org',
    'ana@-example.org',
    `${'a'.repeat(65)}@example.org`,
    `ana@${'a'.repeat(250)}.org`,
    'ana@example.org\r\nBcc: eve@example.org',
  ])('refuses %j', (text) => {
    expect(normaliseEmail(text)).toBeNull();
  });
});
