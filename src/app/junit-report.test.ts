import { describe, expect, it } from 'vitest';
import { junitXml } from './junit-report.js';
import type { VerifyResult } from './verify-fleet.js';

const STARTED = Date.UTC(2025, 2, 14, 9, 26, 53, 589);

function result(overrides: Partial<VerifyResult> & Pick<VerifyResult, 'ref'>): VerifyResult {
  return {
    community: overrides.ref.split('/')[0] ?? null,
    type: 'http',
    ok: true,
    slow: false,
    reason: null,
    durationMs: 84,
    attempts: 1,
    artifacts: [],
    ...overrides,
  };
}

/**
 * A small well-formedness check for the XML this module writes (no DTD, comments or CDATA): tags nest and
 * close, attribute values are quoted, and `<` or `&` never appear raw in text or attribute values.
 */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml [^?]*\?>\n/, '');
  const stack: string[] = [];
  const reference = /^&(amp|lt|gt|quot|apos|#\d+);/;
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === '&') {
      const match = reference.exec(body.slice(i));
      if (!match) throw new Error(`raw & at ${i}: ${body.slice(i, i + 20)}`);
      i += match[0].length;
    } else if (c === '<') {
      const end = body.indexOf('>', i);
      if (end < 0) throw new Error(`unclosed tag at ${i}`);
      const tag = body.slice(i + 1, end);
      if (tag.startsWith('/')) {
        const open = stack.pop();
        if (open !== tag.slice(1)) throw new Error(`</${tag.slice(1)}> closes <${open}> at ${i}`);
      } else {
        const match = /^([a-z-]+)((?:\s+[a-z-]+="[^"<]*")*)\s*(\/?)$/.exec(tag);
        if (!match) throw new Error(`malformed tag <${tag}>`);
        for (const [, value] of match[2]!.matchAll(/="([^"]*)"/g)) {
          if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(value!)) throw new Error(`raw & in attribute ${value}`);
        }
        if (match[3] !== '/') stack.push(match[1]!);
      }
      i = end + 1;
    } else {
      if (c === '>') throw new Error(`raw > at ${i}`);
      i += 1;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
}

describe('junitXml', () => {
  it('writes one testcase per monitor, failures with their reason, and the counts', () => {
    const xml = junitXml(
      [
        result({ ref: 'pangeo/hub/front-page', ok: false, reason: 'expected status 200, got 500' }),
        result({ ref: 'pangeo/login/login-page', durationMs: 1234 }),
        result({ ref: 'shared/cluster-east/api', community: null, durationMs: 5 }),
      ],
      { suiteName: 'firewatch verify', timestamp: STARTED, durationMs: 1500 },
    );
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="firewatch verify" tests="3" failures="1" errors="0" time="1.500">',
        '  <testsuite name="firewatch verify" tests="3" failures="1" errors="0" time="1.500" skipped="0" timestamp="2025-03-14T09:26:53">',
        '    <testcase classname="pangeo" name="pangeo/hub/front-page" time="0.084">',
        '      <failure message="expected status 200, got 500" type="check-failed">expected status 200, got 500</failure>',
        '    </testcase>',
        '    <testcase classname="pangeo" name="pangeo/login/login-page" time="1.234"/>',
        '    <testcase classname="shared" name="shared/cluster-east/api" time="0.005"/>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
    assertWellFormed(xml);
  });

  it('escapes markup, quotes and newlines in reasons and names', () => {
    const reason = `body did not contain "Welcome to" <h1>R&D's</h1>\nline two\r\n\ttab`;
    const xml = junitXml([result({ ref: 'r&d/hub/"front"', ok: false, reason })], {
      suiteName: 'verify <after> "upgrade" & more',
      timestamp: STARTED,
    });
    expect(xml).toContain('<testsuites name="verify &lt;after&gt; &quot;upgrade&quot; &amp; more"');
    expect(xml).toContain('classname="r&amp;d" name="r&amp;d/hub/&quot;front&quot;"');
    expect(xml).toContain(
      'message="body did not contain &quot;Welcome to&quot; &lt;h1&gt;R&amp;D&apos;s&lt;/h1&gt;&#10;line two&#13;&#10;&#9;tab"',
    );
    expect(xml).toContain(
      '>body did not contain "Welcome to" &lt;h1&gt;R&amp;D\'s&lt;/h1&gt;\nline two&#13;\n\ttab</failure>',
    );
    assertWellFormed(xml);
  });

  it('has a well-formedness check that catches what escaping prevents', () => {
    expect(() => assertWellFormed('<a b="1">x & y</a>')).toThrow(/raw &/);
    expect(() => assertWellFormed('<a b="<c>"/>')).toThrow(/malformed/);
    expect(() => assertWellFormed('<a><b></a></b>')).toThrow(/closes/);
  });

  it('replaces characters XML cannot carry, such as control bytes from a response body', () => {
    const xml = junitXml([result({ ref: 'a/b/c', ok: false, reason: 'got \u0000\u001b[31m\uD800 end' })], {
      suiteName: 'verify',
      timestamp: STARTED,
    });
    expect(xml).toContain('message="got \uFFFD\uFFFD[31m\uFFFD end"');
    expect(xml).toContain('>got \uFFFD\uFFFD[31m\uFFFD end</failure>');
  });

  it('counts the suite time as the sum of its cases when no run time is given', () => {
    const xml = junitXml(
      [result({ ref: 'a/b/c', durationMs: 250 }), result({ ref: 'a/b/d', durationMs: 1000 })],
      {
        suiteName: 'verify',
        timestamp: STARTED,
      },
    );
    expect(xml).toContain('<testsuites name="verify" tests="2" failures="0" errors="0" time="1.250">');
  });

  it('lists evidence files as attachments', () => {
    const xml = junitXml(
      [result({ ref: 'a/b/c', ok: false, reason: 'timeout', artifacts: ['/data/artifacts/shot.png'] })],
      { suiteName: 'verify', timestamp: STARTED },
    );
    expect(xml).toContain('      <system-out>[[ATTACHMENT|/data/artifacts/shot.png]]</system-out>\n');
    assertWellFormed(xml);
  });

  it('writes an empty suite for no results', () => {
    const xml = junitXml([], { suiteName: 'verify', timestamp: STARTED });
    expect(xml).toContain('tests="0" failures="0" errors="0" time="0.000"');
    assertWellFormed(xml);
  });
});
