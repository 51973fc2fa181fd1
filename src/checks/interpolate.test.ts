// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are templates with ${variable} placeholders, not template literals
import { describe, expect, it } from 'vitest';
import { interpolate } from './interpolate.js';

const vars: ReadonlyMap<string, string> = new Map([
  ['token', 'abc'],
  ['user', 'ada'],
]);

describe('interpolate', () => {
  it('replaces every placeholder with its variable', () => {
    expect(interpolate('Bearer ${token} for ${user} (${token})', vars)).toBe('Bearer abc for ada (abc)');
  });

  it('leaves a template without placeholders unchanged', () => {
    expect(interpolate('https://example.com/a?b=$1&c={d}', vars)).toBe('https://example.com/a?b=$1&c={d}');
  });

  it('inserts values verbatim, even ones that look like replacement patterns', () => {
    const odd = new Map([['v', "$& $' $1 ${token}"]]);
    expect(interpolate('[${v}]', odd)).toBe("[$& $' $1 ${token}]");
  });

  it('reads $${ as a literal ${', () => {
    expect(interpolate('cost: $${token} and ${token}', vars)).toBe('cost: ${token} and abc');
  });

  it('names an unknown variable and lists the known ones', () => {
    expect(() => interpolate('Bearer ${tokn}', vars)).toThrow(
      'unknown variable "tokn" at position 7; known variables: token, user',
    );
  });

  it('says when no variables are defined yet', () => {
    expect(() => interpolate('${token}', new Map())).toThrow(
      'unknown variable "token" at position 0; no variables are defined yet',
    );
  });

  it('rejects a ${ that is never closed, with the fix', () => {
    expect(() => interpolate('Bearer ${token', vars)).toThrow(
      '"${" at position 7 is not closed: end the variable name with "}" or write "$${" for a literal "${"',
    );
  });

  it('rejects an empty variable name', () => {
    expect(() => interpolate('x${}y', vars)).toThrow('empty variable name "${}" at position 1');
  });
});
