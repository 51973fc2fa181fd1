import { parseArgs } from 'node:util';
import { openDatabase } from '../../store/database.js';
import { migrateToLatest } from '../../store/migrate.js';
import type { Command } from '../command.js';
import { databaseUrl } from '../database-url.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'bring the database schema up to date',
  usage: 'firewatch migrate [--database URL]',
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { database: { type: 'string' } } });
    const database = await openDatabase({ url: databaseUrl(values.database, io), migrate: false });
    try {
      const applied = await migrateToLatest(database.db);
      io.out(
        applied.length === 0
          ? `${database.description}: schema is up to date\n`
          : `${database.description}: applied ${applied.join(', ')}\n`,
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};
