/** A text assertion on a response body: a literal substring or a regular expression. */
export type TextMatcher =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'regex'; readonly pattern: string; readonly flags: string };

/** A JSON assertion: the value at `path` (`$.a.b[0].c`) deep-equals `equals`. */
export interface JsonAssertion {
  readonly path: string;
  readonly equals: unknown;
}

/** Everything an HTTP monitor needs to run one probe; durations in ms. */
export interface HttpSpec {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  /** Accepted final status codes; empty means any 2xx. */
  readonly expectStatus: readonly number[];
  readonly bodyContains: readonly TextMatcher[];
  readonly bodyNotContains: readonly TextMatcher[];
  readonly json: readonly JsonAssertion[];
  /** Slower than this is a latency failure (degraded, not down); null for no limit. */
  readonly maxLatencyMs: number | null;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  /** Body bytes read at most; the rest is discarded and assertions see the prefix. */
  readonly maxBodyBytes: number;
}

export const HTTP_DEFAULTS = {
  method: 'GET',
  timeoutMs: 10_000,
  maxRedirects: 5,
  maxBodyBytes: 1_048_576,
} as const;

/** A spec for `url` with every default filled in, then `overrides` on top. */
export function httpSpec(url: string, overrides: Partial<HttpSpec> = {}): HttpSpec {
  return {
    url,
    method: HTTP_DEFAULTS.method,
    headers: {},
    body: null,
    expectStatus: [],
    bodyContains: [],
    bodyNotContains: [],
    json: [],
    maxLatencyMs: null,
    timeoutMs: HTTP_DEFAULTS.timeoutMs,
    maxRedirects: HTTP_DEFAULTS.maxRedirects,
    maxBodyBytes: HTTP_DEFAULTS.maxBodyBytes,
    ...overrides,
  };
}
