import type { VerifyResult } from './verify-fleet.js';

export interface JunitOptions {
  readonly suiteName: string;
  /** When the run started, epoch ms; written in UTC without a zone, as the JUnit schema wants. */
  readonly timestamp: number;
  /** Wall time of the whole run; without it the suite time is the sum of its cases (checks run in parallel). */
  readonly durationMs?: number;
}

/**
 * A JUnit XML report of a verification run, one testcase per monitor (classname: its community, or
 * "shared"), a <failure type="check-failed"> carrying the reason for each failed check, and evidence files
 * as [[ATTACHMENT|path]] lines (GitLab and Jenkins show them). Every value is XML-escaped.
 */
export function junitXml(results: readonly VerifyResult[], options: JunitOptions): string {
  const failures = results.filter((r) => !r.ok).length;
  const totalMs = options.durationMs ?? results.reduce((sum, r) => sum + r.durationMs, 0);
  const counts = { tests: results.length, failures, errors: 0, time: seconds(totalMs) };
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: options.suiteName, ...counts })}>`,
    `  <testsuite${attributes({
      name: options.suiteName,
      ...counts,
      skipped: 0,
      timestamp: new Date(options.timestamp).toISOString().slice(0, 19),
    })}>`,
    ...results.flatMap(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}

function testcase(result: VerifyResult): string[] {
  const open = `    <testcase${attributes({
    classname: result.community ?? 'shared',
    name: result.ref,
    time: seconds(result.durationMs),
  })}`;
  const reason = result.reason ?? 'failed';
  const body = [
    ...(result.ok
      ? []
      : [`      <failure${attributes({ message: reason, type: 'check-failed' })}>${text(reason)}</failure>`]),
    ...(result.artifacts.length === 0
      ? []
      : [
          `      <system-out>${text(result.artifacts.map((a) => `[[ATTACHMENT|${a}]]`).join('\n'))}</system-out>`,
        ]),
  ];
  return body.length === 0 ? [`${open}/>`] : [`${open}>`, ...body, '    </testcase>'];
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function attributes(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${attribute(String(value))}"`)
    .join('');
}

// Characters XML 1.0 does not allow anywhere, even escaped (controls, lone surrogates, U+FFFE/FFFF).
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(value: string): string {
  // A raw \r would be read back as \n.
  return value.replace(NOT_XML, '\uFFFD').replace(/[&<>\r]/g, (c) => ENTITIES[c]!);
}

function attribute(value: string): string {
  // Newlines and tabs as references, or attribute-value normalization turns them into spaces.
  return value.replace(NOT_XML, '\uFFFD').replace(/[&<>"'\t\n\r]/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
