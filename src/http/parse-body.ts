import type { z } from 'zod';
import { formatPath } from '../ingest/body-path.js';
import { ApiError } from './errors.js';

/**
 * Validates a request body (or query) with a zod schema. On failure throws ApiError 400 naming
 * the first wrong field (`owner`, `matchers[1]`) and what is wrong with it.
 */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue ? formatPath(issue.path) : '';
  const message = issue?.message ?? 'invalid';
  throw new ApiError('invalid_request', `${what}${field ? ` field ${field}` : ''}: ${message}`, {
    ...(field ? { field } : {}),
  });
}

/**
 * The body as a JSON object, or ApiError 400 saying so; `section` names the config file's section
 * whose fields the endpoint takes (`alert_rules`, `users`).
 */
export function requireObject(body: unknown, what: string, section: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('invalid_request', `send the ${what} as a JSON object`, {
      hint: `the fields are those of ${section} in the config file (docs/config.md)`,
    });
  }
  return body as Record<string, unknown>;
}
