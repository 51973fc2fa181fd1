import { parseArgs } from 'node:util';
import { openDatabase } from '../../store/database.js';
import { listIntegrations } from '../../store/integration-repository.js';
import type { Command } from '../command.js';
import { databaseUrl } from '../database-url.js';

export const integrationsCommand: Command = {
  name: 'integrations',
  summary: 'list inbound integrations and their webhook URLs (the URLs carry secrets)',
  usage: 'firewatch integrations [--base-url URL] [--database URL]',
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { 'base-url': { type: 'string' }, database: { type: 'string' } },
    });
    const base = (values['base-url'] ?? io.env.FIREWATCH_PAGE_URL ?? 'http://127.0.0.1:8080').replace(
      /\/+$/,
      '',
    );
    const database = await openDatabase({ url: databaseUrl(values.database, io) });
    try {
      const integrations = await listIntegrations(database.db);
      if (integrations.length === 0) {
        io.err(
          'No integrations. Declare them under `integrations:` in the config file and run `firewatch apply`.\n',
        );
        return 0;
      }
      for (const i of integrations) io.out(`${i.key}\t${i.kind}\t${base}/ingest/${i.token}\n`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
