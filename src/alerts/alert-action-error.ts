/** Why a person's action on an alert cannot be done: not found, in the wrong state, or a bad request. */
export class AlertActionError extends Error {
  override readonly name = 'AlertActionError';
  readonly code: 'not_found' | 'conflict' | 'invalid_request';
  readonly hint: string | undefined;
  readonly field: string | undefined;

  constructor(
    code: AlertActionError['code'],
    message: string,
    details: { readonly hint?: string; readonly field?: string } = {},
  ) {
    super(message);
    this.code = code;
    this.hint = details.hint;
    this.field = details.field;
  }
}
