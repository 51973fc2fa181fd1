import { type Kysely, type Migration, sql } from 'kysely';

// A monitor's rule state is kept per location, so several locations can check it
// and a quorum decides. The table is rebuilt (SQLite cannot change a primary key);
// existing rows become the "default" location's.

export const locationStates: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('monitor_states_v2')
      .addColumn('monitor_id', 'text', (c) => c.notNull())
      .addColumn('location', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('consecutive_failures', 'integer', (c) => c.notNull())
      .addColumn('consecutive_successes', 'integer', (c) => c.notNull())
      .addColumn('last_checked_at', 'bigint')
      .addColumn('last_reason', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('monitor_states_v2_pk', ['monitor_id', 'location'])
      .execute();
    await sql`insert into monitor_states_v2 (monitor_id, location, status, consecutive_failures, consecutive_successes, last_checked_at, last_reason, updated_at)
      select monitor_id, 'default', status, consecutive_failures, consecutive_successes, last_checked_at, last_reason, updated_at from monitor_states`.execute(
      db,
    );
    await db.schema.dropTable('monitor_states').execute();
    await db.schema.alterTable('monitor_states_v2').renameTo('monitor_states').execute();
  },
};
