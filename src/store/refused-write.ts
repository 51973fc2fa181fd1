/**
 * Why a write someone asked for cannot be done: no such thing, a state that forbids it, or a bad request.
 * The store throws it (as one of its named kinds: IncidentError, AlertActionError, ReportTriageError); the
 * HTTP error handler answers it with its code (404, 409, 400), hint and field.
 */
export class RefusedWrite extends Error {
  override readonly name: string = 'RefusedWrite';
  readonly code: 'not_found' | 'conflict' | 'invalid_request';
  readonly hint: string | undefined;
  readonly field: string | undefined;

  constructor(
    code: RefusedWrite['code'],
    message: string,
    details: { readonly hint?: string; readonly field?: string } = {},
  ) {
    super(message);
    this.code = code;
    this.hint = details.hint;
    this.field = details.field;
  }
}
