import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportConfig } from '../../config/export-config.js';
import { loadFleetConfig } from '../../store/config-repository.js';
import { openDatabase } from '../../store/database.js';
import type { Command } from '../command.js';
import { databaseUrl } from '../database-url.js';

export const exportCommand: Command = {
  name: 'export',
  summary: 'print the stored communities, components and monitors as a YAML file for apply',
  usage: 'firewatch export [--database URL] [-o FILE]',
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { database: { type: 'string' }, output: { type: 'string', short: 'o' } },
    });
    const database = await openDatabase({ url: databaseUrl(values.database, io) });
    let config: Awaited<ReturnType<typeof loadFleetConfig>>;
    try {
      config = await loadFleetConfig(database.db);
    } finally {
      await database.close();
    }
    const text = exportConfig(config);
    if (values.output === undefined) {
      io.out(text);
      return 0;
    }
    try {
      await writeFile(resolve(io.cwd, values.output), text);
    } catch (error) {
      throw new Error(`cannot write ${values.output}`, { cause: error });
    }
    const monitors = [...config.communities.flatMap((c) => c.components), ...config.shared].reduce(
      (sum, component) => sum + component.monitors.length,
      0,
    );
    io.out(
      `Exported ${config.communities.length} communities, ${config.shared.length} shared components and ` +
        `${monitors} monitors to ${values.output}.\n`,
    );
    return 0;
  },
};
