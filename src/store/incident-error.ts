/** Why an incident write cannot be done: no such incident, a state that forbids it, or a bad request. */
export class IncidentError extends Error {
  override readonly name = 'IncidentError';
  readonly code: 'not_found' | 'conflict' | 'invalid_request';
  readonly hint: string | undefined;
  readonly field: string | undefined;

  constructor(
    code: IncidentError['code'],
    message: string,
    details: { readonly hint?: string; readonly field?: string } = {},
  ) {
    super(message);
    this.code = code;
    this.hint = details.hint;
    this.field = details.field;
  }
}
