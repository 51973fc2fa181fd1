import type { Kysely, Migration } from 'kysely';

// Heartbeat (push) monitors: each gets a secret ping token; every ping is a row.

export const heartbeats: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('heartbeat_tokens')
      .addColumn('monitor_id', 'text', (c) => c.primaryKey())
      .addColumn('token', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('heartbeat_pings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('monitor_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('source', 'text')
      .execute();
    await db.schema
      .createIndex('heartbeat_pings_monitor_time')
      .on('heartbeat_pings')
      .columns(['monitor_id', 'at'])
      .execute();
  },
};
