import { describe, expect, it } from 'vitest';
import { parseJsonPath, readJsonPath } from './json-path.js';

describe('parseJsonPath', () => {
  it('reads "$" alone as the whole document', () => {
    expect(parseJsonPath('$')).toEqual([]);
  });

  it('splits dotted keys and array indexes into segments', () => {
    expect(parseJsonPath('$.a.b[0].c')).toEqual(['a', 'b', 0, 'c']);
  });

  it('accepts single- and double-quoted keys in brackets, with dots and spaces inside', () => {
    expect(parseJsonPath(`$['a.b']["c d"][12]`)).toEqual(['a.b', 'c d', 12]);
  });

  it('unescapes a backslash-escaped quote inside a quoted key', () => {
    expect(parseJsonPath(String.raw`$['it\'s']["say \"hi\""]`)).toEqual(["it's", 'say "hi"']);
  });

  it('keeps keys with dashes, digits and dollars after a dot', () => {
    expect(parseJsonPath('$.x-request-id.v2.$ref')).toEqual(['x-request-id', 'v2', '$ref']);
  });

  it.each([
    ['', 'the path to start with "$"'],
    ['status', 'the path to start with "$"'],
    ['$.', 'a key after "."'],
    ['$..a', 'a key after "."'],
    ['$a', '"." or "["'],
    ['$[', 'an array index'],
    ['$[-1]', 'an array index'],
    ['$[01]', 'an array index'],
    ['$[*]', 'an array index'],
    ['$[0', 'an array index'],
    ["$['a'", '"]" after the quoted key'],
    ["$['a", "a closing '"],
    ['$.a b', '"." or "["'],
  ])('rejects the malformed path %j with a message saying what was expected', (path, expected) => {
    expect(() => parseJsonPath(path)).toThrow(expected);
  });

  it('names the path, the position and an example in the error', () => {
    expect(() => parseJsonPath('$.a..b')).toThrow(
      'invalid JSON path "$.a..b": expected a key after "." at position 4; write paths like $.status',
    );
  });
});

describe('readJsonPath', () => {
  const document = { status: 'ok', checks: [{ name: 'db', up: true }], empty: null, 'a.b': 1 };

  it('finds the whole document at "$"', () => {
    expect(readJsonPath(document, '$')).toEqual({ found: true, value: document });
  });

  it('finds a nested value through keys and indexes', () => {
    expect(readJsonPath(document, '$.checks[0].up')).toEqual({ found: true, value: true });
  });

  it('finds a null value, which is not the same as missing', () => {
    expect(readJsonPath(document, '$.empty')).toEqual({ found: true, value: null });
  });

  it('finds a key containing a dot through a bracketed key', () => {
    expect(readJsonPath(document, "$['a.b']")).toEqual({ found: true, value: 1 });
  });

  it('reports a missing key as not found', () => {
    expect(readJsonPath(document, '$.version')).toEqual({ found: false });
  });

  it('reports an index past the end as not found', () => {
    expect(readJsonPath(document, '$.checks[1].name')).toEqual({ found: false });
  });

  it('does not index into objects or look up keys on arrays and primitives', () => {
    expect(readJsonPath({ 0: 'zero' }, '$[0]')).toEqual({ found: false });
    expect(readJsonPath(document, '$.checks.length')).toEqual({ found: false });
    expect(readJsonPath(document, '$.status.length')).toEqual({ found: false });
    expect(readJsonPath(document, '$.empty.x')).toEqual({ found: false });
  });

  it('does not find inherited properties', () => {
    expect(readJsonPath({}, '$.constructor')).toEqual({ found: false });
    expect(readJsonPath({}, '$.__proto__')).toEqual({ found: false });
  });

  it('throws the parse error on a malformed path', () => {
    expect(() => readJsonPath(document, '$.')).toThrow('invalid JSON path');
  });
});
