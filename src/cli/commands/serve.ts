import { parseArgs } from 'node:util';
import { configFromEnv } from '../../app/firewatch-config.js';
import { startFirewatch } from '../../app/start-firewatch.js';
import { type Command, UsageError } from '../command.js';
import { waitForShutdown } from '../wait-for-shutdown.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run checks and serve the status page and API',
  usage: 'firewatch serve [--port N] [--host ADDR] [--database URL] [--no-checks]',
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        database: { type: 'string' },
        'no-checks': { type: 'boolean' },
      },
    });
    const base = configFromEnv(io.env);
    const port = values.port === undefined ? base.port : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new UsageError(`--port "${values.port}" is not a port number: use 0-65535`);
    }
    const firewatch = await startFirewatch({
      ...base,
      port,
      host: values.host ?? base.host,
      databaseUrl: values.database ?? base.databaseUrl,
      runChecks: values['no-checks'] ? false : base.runChecks,
    });
    io.out(`Firewatch status page: ${firewatch.url}/\n`);
    await waitForShutdown();
    await firewatch.stop();
    return 0;
  },
};
