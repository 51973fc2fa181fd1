import { RefusedWrite } from './refused-write.js';

/** Why an incident write cannot be done: no such incident, a state that forbids it, or a bad request. */
export class IncidentError extends RefusedWrite {
  override readonly name = 'IncidentError';
}
