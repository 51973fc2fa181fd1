import { DEFAULT_DATABASE_URL } from '../store/database.js';
import type { CommandIo } from './command.js';

/** `--database`, else DATABASE_URL, else the embedded SQLite file under ./data. */
export function databaseUrl(flag: string | undefined, io: CommandIo): string {
  return flag ?? io.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}
