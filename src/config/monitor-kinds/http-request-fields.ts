import { z } from 'zod';
import { HTTP_DEFAULTS, type HttpSpec, httpSpec, type TextMatcher } from '../../checks/http-spec.js';
import { formatDuration } from '../duration.js';
import { describeValue, duration, INTERVAL_LIMITS, jsonAssertion, textMatcher } from '../schema-parts.js';

const LIMITS = { maxRedirects: 20, maxBodyBytes: 104_857_600 } as const;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const expectSchema = z.strictObject({
  status: z.array(z.int().min(100).max(599)).nullish(),
  body_contains: z.array(textMatcher).nullish(),
  body_not_contains: z.array(textMatcher).nullish(),
  json: z.array(jsonAssertion).nullish(),
  max_latency: duration('max_latency', 1, INTERVAL_LIMITS.maxMs).nullish(),
});

/** The YAML fields of one HTTP request and its assertions (without the URL), shared by http and multi_step. */
export const HTTP_REQUEST_FIELDS = {
  method: z
    .string()
    .refine((value) => /^[A-Za-z]+$/.test(value), {
      error: (issue) => `invalid HTTP method ${describeValue(issue.input)} — use e.g. GET, HEAD or POST`,
    })
    .nullish(),
  headers: z.record(z.string(), z.string()).nullish(),
  body: z.string().nullish(),
  max_redirects: z.int().min(0).max(LIMITS.maxRedirects).nullish(),
  max_body_bytes: z.int().min(1).max(LIMITS.maxBodyBytes).nullish(),
  expect: expectSchema.nullish(),
};

type RequestInput = z.output<z.ZodObject<typeof HTTP_REQUEST_FIELDS>>;

/** Validated request fields → an HttpSpec for `url`; header names are checked here (issues under `pathPrefix`). */
export function toHttpSpec(
  url: string,
  m: RequestInput,
  timeoutMs: number,
  ctx: z.RefinementCtx,
  pathPrefix: readonly PropertyKey[] = [],
): HttpSpec {
  const headers = m.headers ?? {};
  for (const name of Object.keys(headers)) {
    if (!HEADER_NAME.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path: [...pathPrefix, 'headers', name],
        message: `invalid header name ${describeValue(name)} — use letters, digits and dashes, e.g. X-Probe`,
      });
    }
  }
  const expect = m.expect ?? {};
  return httpSpec(url, {
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
  });
}

/** An HTTP spec's request fields as YAML (defaults left out by the caller's pruning). */
export function httpSpecToFile(spec: Omit<HttpSpec, 'timeoutMs'>): Record<string, unknown> {
  return {
    url: spec.url,
    method: spec.method === HTTP_DEFAULTS.method ? null : spec.method,
    headers: Object.keys(spec.headers).length > 0 ? spec.headers : null,
    body: spec.body,
    max_redirects: spec.maxRedirects === HTTP_DEFAULTS.maxRedirects ? null : spec.maxRedirects,
    max_body_bytes: spec.maxBodyBytes === HTTP_DEFAULTS.maxBodyBytes ? null : spec.maxBodyBytes,
    expect: {
      status: spec.expectStatus,
      body_contains: spec.bodyContains.map(matcherToFile),
      body_not_contains: spec.bodyNotContains.map(matcherToFile),
      json: spec.json.map((a) => ({ path: a.path, equals: a.equals })),
      max_latency: spec.maxLatencyMs === null ? null : formatDuration(spec.maxLatencyMs),
    },
  };
}

function matcherToFile(m: TextMatcher): unknown {
  if (m.kind === 'text') return m.value;
  return m.flags === '' ? { regex: m.pattern } : { regex: m.pattern, flags: m.flags };
}
