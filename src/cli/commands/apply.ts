import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatConfigError, parseConfigFile } from '../../config/parse-config-file.js';
import { countChanges, formatPlan } from '../../config/plan-config.js';
import { applyFleetConfig, planFleetConfig } from '../../store/config-repository.js';
import { openDatabase } from '../../store/database.js';
import { type Command, UsageError } from '../command.js';
import { databaseUrl } from '../database-url.js';

export const applyCommand: Command = {
  name: 'apply',
  summary: 'make the fleet, integrations and alert rules match a YAML file (config as code)',
  usage: 'firewatch apply -f FILE [--dry-run] [--database URL]',
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        file: { type: 'string', short: 'f' },
        'dry-run': { type: 'boolean' },
        database: { type: 'string' },
      },
    });
    const file = values.file;
    if (file === undefined) throw new UsageError('missing -f FILE: the YAML file to apply');
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, file), 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${file}`, { cause: error });
    }
    const parsed = parseConfigFile(text, file);
    if (!parsed.ok) {
      for (const error of parsed.errors) io.err(`${formatConfigError(error)}\n`);
      const count = parsed.errors.length;
      io.err(`${count} error${count === 1 ? '' : 's'} in ${file}; nothing was changed.\n`);
      return 1;
    }
    const database = await openDatabase({ url: databaseUrl(values.database, io) });
    try {
      if (values['dry-run']) {
        const plan = await planFleetConfig(database.db, parsed.config);
        io.out(`${formatPlan(plan)}\nDry run: ${database.description} was not changed.\n`);
        return 0;
      }
      const plan = await applyFleetConfig(database.db, parsed.config, Date.now());
      const counts = countChanges(plan);
      io.out(
        `${formatPlan(plan)}\nApplied: ${counts.create} created, ${counts.update} updated, ` +
          `${counts.delete} deleted in ${database.description}.\n`,
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};
