import type { LabelMatcher, MatchOperator } from './label-matcher.js';

const HOW = 'write name="value", name!="value", name=~"regex" or name!~"regex"';
const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/**
 * Whether `labels` satisfy every matcher, with Alertmanager semantics: `=` equal, `!=` not equal,
 * `=~` regex matching the whole value (`^(?:re)$`), `!~` its negation. A missing label is the
 * empty string, so `team=""` matches signals without a team. No matchers match everything.
 * A hand-built matcher with an invalid regex throws (matchers from parseMatcher never do).
 */
export function matchesLabels(
  labels: Readonly<Record<string, string>>,
  matchers: readonly LabelMatcher[],
): boolean {
  // hasOwn: a label named like an Object.prototype member (`constructor`) is still just missing.
  return matchers.every((matcher) =>
    matchesOne(Object.hasOwn(labels, matcher.name) ? labels[matcher.name]! : '', matcher),
  );
}

/**
 * Reads one matcher as written in config, the API or the CLI: `name="value"`, `name!="value"`,
 * `name=~"regex"`, `name!~"regex"` (quotes optional; inside quotes `\"` and `\\` escape). Throws an
 * Error that says what is wrong and how to write it, also for a regex that does not compile.
 */
export function parseMatcher(text: string): LabelMatcher {
  const parts = MATCHER.exec(text);
  if (parts === null) throw invalid(text, 'expected a label name, an operator and a value');
  const [, name = '', op = '=', raw = ''] = parts;
  const value = unquote(raw, text);
  const matcher: LabelMatcher = { name, op: op as MatchOperator, value };
  if (op === '=~' || op === '!~') compile(matcher, text);
  return matcher;
}

function matchesOne(value: string, matcher: LabelMatcher): boolean {
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return compile(matcher, written(matcher)).test(value);
    case '!~':
      return !compile(matcher, written(matcher)).test(value);
  }
}

function written(matcher: LabelMatcher): string {
  return `${matcher.name}${matcher.op}${JSON.stringify(matcher.value)}`;
}

function compile(matcher: LabelMatcher, text: string): RegExp {
  try {
    return new RegExp(`^(?:${matcher.value})$`);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw invalid(text, `the regex ${JSON.stringify(matcher.value)} does not compile (${why})`, cause);
  }
}

/** Strips optional surrounding quotes; inside them `\"` is a quote, `\\` a backslash, `\n` a newline. */
function unquote(raw: string, text: string): string {
  if (!raw.startsWith('"')) {
    if (raw.includes('"')) throw invalid(text, 'the value has a stray double quote; quote the whole value');
    return raw;
  }
  if (raw.length < 2 || !raw.endsWith('"')) throw invalid(text, 'the value has no closing double quote');
  const inner = raw.slice(1, -1);
  let value = '';
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i];
    if (char === '"') throw invalid(text, 'the value has an unescaped double quote inside; write \\"');
    if (char !== '\\') {
      value += char;
      continue;
    }
    if (i === inner.length - 1)
      throw invalid(text, 'the closing double quote is escaped; write \\\\ for a backslash');
    const next = inner[++i];
    // Other escapes stay as written, so regex escapes like \. and \d reach the regex intact.
    value += next === 'n' ? '\n' : next === '"' || next === '\\' ? next : `\\${next}`;
  }
  return value;
}

function invalid(text: string, what: string, cause?: unknown): Error {
  return new Error(`invalid matcher ${JSON.stringify(text)}: ${what} — ${HOW}`, { cause });
}
