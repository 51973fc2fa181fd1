import { parseArgs } from 'node:util';
import { openDatabase } from '../../store/database.js';
import { createToken, TOKEN_SCOPES, type TokenScope } from '../../store/token-repository.js';
import { type Command, UsageError } from '../command.js';
import { databaseUrl } from '../database-url.js';

export const tokenCommand: Command = {
  name: 'token',
  summary: 'create an API token (printed once; only its hash is stored)',
  usage: `firewatch token create --name NAME [--scopes ${TOKEN_SCOPES.join(',')}] [--database URL]`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { name: { type: 'string' }, scopes: { type: 'string' }, database: { type: 'string' } },
    });
    if (positionals[0] !== 'create') throw new UsageError('the only subcommand is "create"');
    if (!values.name) throw new UsageError('--name is required: say who or what will use the token');
    const scopes = (values.scopes ?? 'read').split(',').map((s) => s.trim());
    const unknown = scopes.filter((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
    if (unknown.length > 0) {
      throw new UsageError(`unknown scope "${unknown[0]}": choose from ${TOKEN_SCOPES.join(', ')}`);
    }
    const database = await openDatabase({ url: databaseUrl(values.database, io) });
    try {
      const token = await createToken(database.db, {
        name: values.name,
        scopes: scopes as TokenScope[],
        now: Date.now(),
      });
      io.out(`${token}\n`);
      io.err(
        `Created token "${values.name}" with scopes ${scopes.join(', ')}. It is shown only this once.\n`,
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};
