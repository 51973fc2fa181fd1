/** Where a command writes; tests pass buffers, main() passes the process streams. */
export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** One `firewatch <name>` subcommand. `run` resolves to the process exit code. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

/** Thrown for a command line that cannot run; main() prints it with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
