import type { Command } from '../command.js';
import { applyCommand } from './apply.js';
import { demoCommand } from './demo.js';
import { exportCommand } from './export.js';
import { integrationsCommand } from './integrations.js';
import { migrateCommand } from './migrate.js';
import { serveCommand } from './serve.js';
import { tokenCommand } from './token.js';
import { verifyCommand } from './verify.js';
import { workerCommand } from './worker.js';

/** Every `firewatch` subcommand, in the order `firewatch help` lists them. */
export const commands: readonly Command[] = [
  serveCommand,
  demoCommand,
  migrateCommand,
  applyCommand,
  exportCommand,
  verifyCommand,
  tokenCommand,
  integrationsCommand,
  workerCommand,
];
