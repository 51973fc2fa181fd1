/** The catalogue of stable API error codes and the HTTP status each maps to. */
export const ERROR_CODES = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_request: 400,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error the API reports as `{ error: { code, message, hint?, field? } }`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, details: { hint?: string; field?: string } = {}) {
    super(message);
    this.code = code;
    this.hint = details.hint;
    this.field = details.field;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field ? { field: this.field } : {}),
        ...(this.hint ? { hint: this.hint } : {}),
      },
    };
  }
}
