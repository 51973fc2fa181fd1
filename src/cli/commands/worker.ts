import { parseArgs } from 'node:util';
import { configFromEnv } from '../../app/firewatch-config.js';
import { startFirewatch } from '../../app/start-firewatch.js';
import { SLUG_PATTERN } from '../../config/schema-parts.js';
import { type Command, UsageError } from '../command.js';
import { waitForShutdown } from '../wait-for-shutdown.js';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run the checks assigned to one location (no web server); share the database with `serve`',
  usage: 'firewatch worker --location NAME [--database URL]',
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { location: { type: 'string' }, database: { type: 'string' } },
    });
    const base = configFromEnv(io.env);
    const location = values.location ?? io.env.FIREWATCH_LOCATION;
    if (!location || !SLUG_PATTERN.test(location)) {
      throw new UsageError(
        `--location is required and must be lowercase letters, digits and dashes (got "${location ?? ''}")`,
      );
    }
    const firewatch = await startFirewatch({
      ...base,
      location,
      databaseUrl: values.database ?? base.databaseUrl,
      runChecks: true,
      serveHttp: false,
    });
    io.out(`Firewatch worker checking from location "${location}" (${firewatch.database.description}).\n`);
    await waitForShutdown();
    await firewatch.stop();
    return 0;
  },
};
