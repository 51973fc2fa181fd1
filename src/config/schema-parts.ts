import { z } from 'zod';
import type { JsonAssertion, TextMatcher } from '../checks/http-spec.js';
import { parseJsonPath } from '../checks/json-path.js';
import type { LabelMatcher } from '../rules/label-matcher.js';
import { parseMatcher } from '../rules/match-labels.js';
import { formatDuration, parseDuration } from './duration.js';

// Building blocks shared by the file schema and every monitor kind. Custom checks report `custom`
// issues whose message says what is wrong and how to fix it; parse-config-file.ts words the generic
// ones (wrong type, unknown field).

/** Slugs and keys: lowercase letters, digits and dashes, at most 63 characters. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Refs of shared components start with this, so no community may use it as its slug. */
export const SHARED_REF_PREFIX = 'shared';

/** Shortest and longest check interval. */
export const INTERVAL_LIMITS = { minMs: 1000, maxMs: 86_400_000 } as const;
/** Regular expression flags a config may use. */
export const REGEX_FLAGS = 'imsu';

/** A value as an error message shows it: `"text"`, `5`, `a list`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return String(value);
}

// The schema mirrors the YAML file. Custom checks report `custom` issues whose message says what is
// wrong and how to fix it; parse-config-file.ts words the generic ones (wrong type, unknown field).

export const slug = (what: string) =>
  z.string().refine((value) => SLUG_PATTERN.test(value), {
    error: (issue) =>
      `invalid ${what} ${describeValue(issue.input)} — use 1 to 63 lowercase letters, digits and dashes, ` +
      'starting with a letter or digit',
  });

export const label = z
  .string()
  .refine((value) => value.trim() !== '', { error: 'must not be blank — write some text' });

export const httpUrl = z.string().refine(isHttpUrl, {
  error: (issue) => `invalid URL ${describeValue(issue.input)} — use an absolute http:// or https:// URL`,
});

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export const duration = (field: string, minMs: number, maxMs: number) =>
  z.unknown().transform((value, ctx): number => {
    // Reached only where the duration is required (optional ones are wrapped in nullish()).
    if (value === undefined) {
      ctx.addIssue({ code: 'invalid_type', expected: 'string', input: value });
      return z.NEVER;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration, got ${describeValue(value)} — write e.g. 500ms, 30s, 5m or 1h`,
      });
      return z.NEVER;
    }
    let ms: number;
    try {
      ms = parseDuration(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
    if (ms < minMs || ms > maxMs) {
      ctx.addIssue({
        code: 'custom',
        message: `${field} ${formatDuration(ms)} is out of range — use between ${formatDuration(minMs)} and ${formatDuration(maxMs)}`,
      });
      return z.NEVER;
    }
    return ms;
  });

export const regexMatcher = z
  .strictObject({ regex: z.string(), flags: z.string().nullish() })
  .transform((value, ctx): TextMatcher => {
    const flags = value.flags ?? '';
    if ([...flags].some((flag) => !REGEX_FLAGS.includes(flag)) || new Set(flags).size !== flags.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['flags'],
        message: `invalid regex flags ${describeValue(flags)} — use any of ${[...REGEX_FLAGS].join(', ')}, each at most once`,
      });
      return z.NEVER;
    }
    try {
      return { kind: 'regex', pattern: value.regex, flags: new RegExp(value.regex, flags).flags };
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['regex'],
        message:
          `invalid regular expression ${describeValue(value.regex)}: ${(error as Error).message} — fix the ` +
          'pattern (in YAML, single quotes keep backslashes as typed)',
      });
      return z.NEVER;
    }
  });

// parse-config-file.ts descends into the branch that fits an object input; this message is for the rest.
export const textMatcher = z.union(
  [z.string().transform((value): TextMatcher => ({ kind: 'text', value })), regexMatcher],
  {
    error: (issue) =>
      `expected text or a map with regex, got ${describeValue(issue.input)} — write e.g. "Welcome" or ` +
      '{ regex: "Sign (in|up)", flags: "i" }',
  },
);

/** A JSON path such as `$.data.items[0].status`, checked to parse. */
export const jsonPath = z.string().superRefine((path, ctx) => {
  try {
    parseJsonPath(path);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

export const jsonAssertion = z
  .strictObject({
    path: jsonPath,
    equals: z.unknown(),
  })
  .transform((value): JsonAssertion => ({ path: value.path, equals: value.equals }));

/** A label matcher as written: `name="value"`, `name!="value"`, `name=~"regex"` or `name!~"regex"`. */
export const labelMatcher = z.string().transform((text, ctx): LabelMatcher => {
  try {
    return parseMatcher(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** `name="value"` in the quoting parseMatcher reads back (`\"`, `\\` and `\n` escaped). */
export function formatMatcher(m: LabelMatcher): string {
  const escaped = m.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `${m.name}${m.op}"${escaped}"`;
}

/** The fields whose value is not null (null stands for "leave out" in the `…ToFile` functions). */
export function compact(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}

/** The word that turns a duration setting off (time boxes, reminders). */
export const OFF = 'off';

/**
 * A duration from 1 minute to 24 hours, or `off`. One check (not a union) so a wrong value gets
 * one clear message naming `what`: "invalid time box …", "reminder_every 2d is out of range …".
 */
export const durationOrOff = (what: string) =>
  z.unknown().transform((value, ctx): number | typeof OFF => {
    if (value === OFF) return OFF;
    const how = 'write a duration from 1m to 24h (e.g. 30m) or off';
    let ms: number;
    try {
      if (typeof value !== 'string' && typeof value !== 'number') throw new Error();
      ms = parseDuration(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `invalid ${what} ${describeValue(value)} — ${how}` });
      return z.NEVER;
    }
    if (ms < 60_000 || ms > 86_400_000) {
      ctx.addIssue({ code: 'custom', message: `${what} ${formatDuration(ms)} is out of range — ${how}` });
      return z.NEVER;
    }
    return ms;
  });
