import type { Command } from '../command.js';
import { migrateCommand } from './migrate.js';

/** Every `firewatch` subcommand, in the order `firewatch help` lists them. */
export const commands: readonly Command[] = [migrateCommand];
