import { RefusedWrite } from './refused-write.js';

/** Why a person's action on an alert cannot be done: not found, in the wrong state, or a bad request. */
export class AlertActionError extends RefusedWrite {
  override readonly name = 'AlertActionError';
}
