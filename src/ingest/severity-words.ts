import type { Severity } from '../rules/signal.js';

/** The words every sender may use for a severity, lower case. */
export const BUILT_IN_SEVERITY_WORDS: Readonly<Record<string, Severity>> = {
  critical: 'P1',
  p1: 'P1',
  page: 'P1',
  emergency: 'P1',
  fatal: 'P1',
  major: 'P2',
  high: 'P2',
  error: 'P2',
  p2: 'P2',
  warning: 'P3',
  warn: 'P3',
  minor: 'P3',
  medium: 'P3',
  p3: 'P3',
  info: 'P4',
  low: 'P4',
  none: 'P4',
  p4: 'P4',
  informational: 'P4',
};

/**
 * The severity a sender's word means: `extra` (an integration's own words) first, exact then
 * ignoring case, then the built-in words ignoring case. Null for a missing or unknown word.
 */
export function severityFromWord(
  word: string | undefined,
  extra?: Readonly<Record<string, Severity>>,
): Severity | null {
  if (word === undefined) {
    return null;
  }
  const folded = word.trim().toLowerCase();
  if (extra !== undefined) {
    const own = lookUp(extra, word) ?? lookUp(extra, word.trim());
    if (own !== undefined) {
      return own;
    }
    for (const key of Object.keys(extra)) {
      if (key.trim().toLowerCase() === folded) {
        return extra[key] ?? null;
      }
    }
  }
  return lookUp(BUILT_IN_SEVERITY_WORDS, folded) ?? null;
}

// Own properties only, so words like "constructor" or "__proto__" are unknown rather than inherited.
function lookUp(words: Readonly<Record<string, Severity>>, word: string): Severity | undefined {
  return Object.hasOwn(words, word) ? words[word] : undefined;
}
