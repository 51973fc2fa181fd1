/**
 * What the connected database can do. Store code branches on these flags, never
 * on the dialect's name, so a third dialect is a new set of flags.
 */
export interface Capabilities {
  /** `SELECT … FOR UPDATE SKIP LOCKED` for claiming work rows. */
  readonly skipLocked: boolean;
  /** Several processes may share the database (false for an embedded file). */
  readonly sharedByProcesses: boolean;
  /** `SELECT … FOR UPDATE` row locks (SQLite needs none: one writer at a time). */
  readonly rowLocks: boolean;
  /** Largest number of bound parameters one statement may carry. */
  readonly maxParameters: number;
}

export const sqliteCapabilities: Capabilities = {
  skipLocked: false,
  sharedByProcesses: false,
  rowLocks: false,
  maxParameters: 32_766,
};

export const postgresCapabilities: Capabilities = {
  skipLocked: true,
  sharedByProcesses: true,
  rowLocks: true,
  maxParameters: 65_535,
};
