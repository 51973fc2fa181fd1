import { z } from 'zod';
import { HTTP_DEFAULTS, type HttpSpec, type JsonAssertion, type TextMatcher } from '../checks/http-spec.js';
import { parseJsonPath } from '../checks/json-path.js';
import { type ConsecutiveRule, DEFAULT_RULE } from '../rules/consecutive-rule.js';
import { formatDuration, parseDuration } from './duration.js';

/** The whole fleet as config as code describes it: validated, defaults filled in, durations in ms. */
export interface FleetConfig {
  readonly communities: readonly CommunityConfig[];
  /** Shared infrastructure (refs `shared/<key>`) that communities depend on. */
  readonly shared: readonly ComponentConfig[];
}

/** One community; `dependsOn` holds keys of shared components. */
export interface CommunityConfig {
  readonly slug: string;
  readonly name: string;
  readonly description: string | null;
  readonly url: string | null;
  readonly dependsOn: readonly string[];
  readonly components: readonly ComponentConfig[];
}

/** A component of a community, or a shared one. */
export interface ComponentConfig {
  readonly key: string;
  readonly name: string;
  readonly description: string | null;
  readonly monitors: readonly MonitorConfig[];
}

/** A monitor: what to probe (spec), how often, and when its failures count (rule). */
export interface MonitorConfig {
  readonly key: string;
  readonly name: string;
  readonly type: 'http';
  readonly intervalMs: number;
  readonly enabled: boolean;
  readonly spec: HttpSpec;
  readonly rule: ConsecutiveRule;
}

/** Slugs and keys: lowercase letters, digits and dashes, at most 63 characters. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Refs of shared components start with this, so no community may use it as its slug. */
export const SHARED_REF_PREFIX = 'shared';

export const MONITOR_DEFAULTS = { intervalMs: 60_000, enabled: true } as const;
const INTERVAL_LIMITS = { minMs: 1000, maxMs: 86_400_000 } as const;
const LIMITS = { maxRedirects: 20, maxBodyBytes: 104_857_600, ruleCount: 1000 } as const;
const REGEX_FLAGS = 'imsu';

/** The timeout a monitor gets when the file names none: 10s, or the interval when that is shorter. */
export function defaultTimeoutMs(intervalMs: number): number {
  return Math.min(HTTP_DEFAULTS.timeoutMs, intervalMs);
}

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

const slug = (what: string) =>
  z.string().refine((value) => SLUG_PATTERN.test(value), {
    error: (issue) =>
      `invalid ${what} ${describeValue(issue.input)} — use 1 to 63 lowercase letters, digits and dashes, ` +
      'starting with a letter or digit',
  });

const label = z
  .string()
  .refine((value) => value.trim() !== '', { error: 'must not be blank — write some text' });

const httpUrl = z.string().refine(isHttpUrl, {
  error: (issue) => `invalid URL ${describeValue(issue.input)} — use an absolute http:// or https:// URL`,
});

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const duration = (field: string, minMs: number, maxMs: number) =>
  z.unknown().transform((value, ctx): number => {
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

const regexMatcher = z
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
const textMatcher = z.union(
  [z.string().transform((value): TextMatcher => ({ kind: 'text', value })), regexMatcher],
  {
    error: (issue) =>
      `expected text or a map with regex, got ${describeValue(issue.input)} — write e.g. "Welcome" or ` +
      '{ regex: "Sign (in|up)", flags: "i" }',
  },
);

const jsonAssertion = z
  .strictObject({
    path: z.string().superRefine((path, ctx) => {
      try {
        parseJsonPath(path);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
    equals: z.unknown(),
  })
  .transform((value): JsonAssertion => ({ path: value.path, equals: value.equals }));

const expectSchema = z.strictObject({
  status: z.array(z.int().min(100).max(599)).nullish(),
  body_contains: z.array(textMatcher).nullish(),
  body_not_contains: z.array(textMatcher).nullish(),
  json: z.array(jsonAssertion).nullish(),
  max_latency: duration('max_latency', 1, INTERVAL_LIMITS.maxMs).nullish(),
});

const ruleSchema = z.strictObject({
  fail_after: z.int().min(1).max(LIMITS.ruleCount).nullish(),
  recover_after: z.int().min(1).max(LIMITS.ruleCount).nullish(),
  impact: z.enum(['major_outage', 'partial_outage', 'degraded_performance']).nullish(),
});

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const monitorSchema = z
  .strictObject({
    key: slug('monitor key'),
    name: label.nullish(),
    type: z.literal('http'),
    url: httpUrl,
    method: z
      .string()
      .refine((value) => /^[A-Za-z]+$/.test(value), {
        error: (issue) => `invalid HTTP method ${describeValue(issue.input)} — use e.g. GET, HEAD or POST`,
      })
      .nullish(),
    headers: z.record(z.string(), z.string()).nullish(),
    body: z.string().nullish(),
    interval: duration('interval', INTERVAL_LIMITS.minMs, INTERVAL_LIMITS.maxMs).nullish(),
    timeout: duration('timeout', 1, INTERVAL_LIMITS.maxMs).nullish(),
    max_redirects: z.int().min(0).max(LIMITS.maxRedirects).nullish(),
    max_body_bytes: z.int().min(1).max(LIMITS.maxBodyBytes).nullish(),
    expect: expectSchema.nullish(),
    rule: ruleSchema.nullish(),
    enabled: z.boolean().nullish(),
  })
  .transform((m, ctx): MonitorConfig => {
    const headers = m.headers ?? {};
    for (const name of Object.keys(headers)) {
      if (!HEADER_NAME.test(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['headers', name],
          message: `invalid header name ${describeValue(name)} — use letters, digits and dashes, e.g. X-Probe`,
        });
      }
    }
    const intervalMs = m.interval ?? MONITOR_DEFAULTS.intervalMs;
    const timeoutMs = m.timeout ?? defaultTimeoutMs(intervalMs);
    if (timeoutMs > intervalMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeout'],
        message:
          `timeout ${formatDuration(timeoutMs)} is longer than the interval ${formatDuration(intervalMs)} — ` +
          'use a timeout of at most the interval, or a longer interval',
      });
    }
    const expect = m.expect ?? {};
    const rule = m.rule ?? {};
    return {
      key: m.key,
      name: m.name ?? m.key,
      type: m.type,
      intervalMs,
      enabled: m.enabled ?? MONITOR_DEFAULTS.enabled,
      spec: {
        url: m.url,
        method: (m.method ?? HTTP_DEFAULTS.method).toUpperCase(),
        headers,
        body: m.body ?? null,
        expectStatus: expect.status ?? [],
        bodyContains: expect.body_contains ?? [],
        bodyNotContains: expect.body_not_contains ?? [],
        json: expect.json ?? [],
        maxLatencyMs: expect.max_latency ?? null,
        timeoutMs,
        maxRedirects: m.max_redirects ?? HTTP_DEFAULTS.maxRedirects,
        maxBodyBytes: m.max_body_bytes ?? HTTP_DEFAULTS.maxBodyBytes,
      },
      rule: {
        failAfter: rule.fail_after ?? DEFAULT_RULE.failAfter,
        recoverAfter: rule.recover_after ?? DEFAULT_RULE.recoverAfter,
        impact: rule.impact ?? DEFAULT_RULE.impact,
      },
    };
  });

const componentSchema = z
  .strictObject({
    key: slug('component key'),
    name: label,
    description: z.string().nullish(),
    monitors: z.array(monitorSchema).nullish(),
  })
  .transform(
    (c): ComponentConfig => ({
      key: c.key,
      name: c.name,
      description: c.description ?? null,
      monitors: c.monitors ?? [],
    }),
  );

const communitySchema = z
  .strictObject({
    slug: slug('community slug'),
    name: label,
    description: z.string().nullish(),
    url: httpUrl.nullish(),
    depends_on: z.array(z.string()).nullish(),
    components: z.array(componentSchema).nullish(),
  })
  .transform(
    (c): CommunityConfig => ({
      slug: c.slug,
      name: c.name,
      description: c.description ?? null,
      url: c.url ?? null,
      dependsOn: c.depends_on ?? [],
      components: c.components ?? [],
    }),
  );

/** The YAML file (version 1), validated field by field and transformed into a FleetConfig. */
export const fleetFileSchema = z
  .strictObject({
    version: z.number().refine((version) => version === 1, {
      error: (issue) => `unsupported version ${describeValue(issue.input)} — this Firewatch reads version: 1`,
    }),
    communities: z.array(communitySchema).nullish(),
    shared_components: z.array(componentSchema).nullish(),
  })
  .transform(
    (file): FleetConfig => ({ communities: file.communities ?? [], shared: file.shared_components ?? [] }),
  );
