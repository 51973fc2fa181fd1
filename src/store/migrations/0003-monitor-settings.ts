import type { Kysely, Migration } from 'kysely';

// Settings every monitor has besides its probe spec and rule: locations, confirmation
// retries, whether private targets are allowed. JSON, like spec and rule.

export const monitorSettings: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('monitors')
      .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema
      .alterTable('check_results')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  },
};
