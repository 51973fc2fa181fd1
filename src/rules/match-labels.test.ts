import { describe, expect, it } from 'vitest';
import type { LabelMatcher } from './label-matcher.js';
import { matchesLabels, parseMatcher } from './match-labels.js';

const LABELS = { community: 'pangeo', alertname: 'HubDown', location: 'eu-west' } as const;

describe('matchesLabels', () => {
  const table: ReadonlyArray<[string, LabelMatcher, boolean]> = [
    ['= matches an equal value', { name: 'community', op: '=', value: 'pangeo' }, true],
    ['= rejects another value', { name: 'community', op: '=', value: 'leap' }, false],
    ['!= matches another value', { name: 'community', op: '!=', value: 'leap' }, true],
    ['!= rejects an equal value', { name: 'community', op: '!=', value: 'pangeo' }, false],
    ['=~ matches a regex over the whole value', { name: 'alertname', op: '=~', value: 'Hub.*' }, true],
    ['=~ is anchored at the start', { name: 'alertname', op: '=~', value: 'Down' }, false],
    ['=~ is anchored at the end', { name: 'alertname', op: '=~', value: 'Hub' }, false],
    ['=~ anchors every alternative', { name: 'alertname', op: '=~', value: 'Hub|Down' }, false],
    ['!~ matches when the regex does not', { name: 'alertname', op: '!~', value: 'Hub' }, true],
    ['!~ rejects when the regex matches', { name: 'alertname', op: '!~', value: 'Hub.+' }, false],
    ['treats a missing label as empty for =', { name: 'team', op: '=', value: '' }, true],
    ['treats a missing label as empty for !=', { name: 'team', op: '!=', value: 'infra' }, true],
    ['treats a missing label as empty for =~', { name: 'team', op: '=~', value: '.*' }, true],
    ['treats a missing label as empty for !~', { name: 'team', op: '!~', value: '.+' }, true],
    [
      'treats a label named like an object member as missing',
      { name: 'constructor', op: '=', value: '' },
      true,
    ],
  ];

  it.each(table)('%s', (_name, matcher, expected) => {
    expect(matchesLabels(LABELS, [matcher])).toBe(expected);
  });

  it('needs every matcher to hold', () => {
    const community: LabelMatcher = { name: 'community', op: '=', value: 'pangeo' };
    expect(matchesLabels(LABELS, [community, { name: 'location', op: '=~', value: 'eu-.*' }])).toBe(true);
    expect(matchesLabels(LABELS, [community, { name: 'location', op: '=~', value: 'us-.*' }])).toBe(false);
  });

  it('matches everything with no matchers', () => {
    expect(matchesLabels({}, [])).toBe(true);
  });
});

describe('parseMatcher', () => {
  const valid: ReadonlyArray<[string, LabelMatcher]> = [
    ['community="pangeo"', { name: 'community', op: '=', value: 'pangeo' }],
    ['community!=pangeo', { name: 'community', op: '!=', value: 'pangeo' }],
    ['alertname=~"Hub.*"', { name: 'alertname', op: '=~', value: 'Hub.*' }],
    ['alertname!~Hub.*', { name: 'alertname', op: '!~', value: 'Hub.*' }],
    ['  team = "infra"  ', { name: 'team', op: '=', value: 'infra' }],
    ['team=""', { name: 'team', op: '=', value: '' }],
    ['team=', { name: 'team', op: '=', value: '' }],
    ['summary="say \\"hi\\""', { name: 'summary', op: '=', value: 'say "hi"' }],
    ['path=~"a\\.b\\\\c"', { name: 'path', op: '=~', value: 'a\\.b\\c' }],
    ['note="a, b = c"', { name: 'note', op: '=', value: 'a, b = c' }],
  ];

  it.each(valid)('reads %s', (text, expected) => {
    expect(parseMatcher(text)).toEqual(expected);
  });

  const invalid: ReadonlyArray<[string, string, RegExp]> = [
    ['a text without an operator', 'community', /invalid matcher "community": expected a label name/],
    ['an empty text', '', /invalid matcher "": expected a label name/],
    ['a name that is not a label name', '1team="x"', /invalid matcher/],
    ['a value without its closing quote', 'team="infra', /no closing double quote/],
    ['a quote inside an unquoted value', 'team=in"fra', /stray double quote/],
    ['an unescaped quote inside a quoted value', 'team="in"fra"', /unescaped double quote/],
    ['an escaped closing quote', 'team="infra\\"', /closing double quote is escaped/],
    ['a regex that does not compile', 'alertname=~"Hub("', /the regex "Hub\(" does not compile/],
  ];

  it.each(invalid)('rejects %s, saying how to write a matcher', (_name, text, message) => {
    expect(() => parseMatcher(text)).toThrow(message);
    expect(() => parseMatcher(text)).toThrow(
      /— write name="value", name!="value", name=~"regex" or name!~"regex"$/,
    );
  });

  it('reads back what it parsed, for matching', () => {
    expect(matchesLabels(LABELS, [parseMatcher('alertname=~"Hub.*"'), parseMatcher('location!="us"')])).toBe(
      true,
    );
  });
});
