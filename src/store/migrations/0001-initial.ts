import type { Kysely, Migration } from 'kysely';

// Portable column types only: text, integer, bigint. Booleans are 0/1 integers and
// JSON is text, so one migration set serves SQLite and PostgreSQL.

export const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('communities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('url', 'text')
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('components')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('ref', 'text', (c) => c.notNull().unique())
      .addColumn('community_id', 'text', (c) => c.references('communities.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_changed_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('components_community').on('components').column('community_id').execute();

    await db.schema
      .createTable('community_dependencies')
      .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id').onDelete('cascade'))
      .addColumn('component_id', 'text', (c) => c.notNull().references('components.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('community_dependencies_pk', ['community_id', 'component_id'])
      .execute();

    await db.schema
      .createTable('monitors')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('ref', 'text', (c) => c.notNull().unique())
      .addColumn('component_id', 'text', (c) => c.notNull().references('components.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('interval_ms', 'integer', (c) => c.notNull())
      .addColumn('timeout_ms', 'integer', (c) => c.notNull())
      .addColumn('spec', 'text', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('monitors_component').on('monitors').column('component_id').execute();

    await db.schema
      .createTable('monitor_states')
      // No foreign key: batched writes may land just after a monitor is deleted; readers join from monitors.
      .addColumn('monitor_id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('consecutive_failures', 'integer', (c) => c.notNull())
      .addColumn('consecutive_successes', 'integer', (c) => c.notNull())
      .addColumn('last_checked_at', 'bigint')
      .addColumn('last_reason', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    // No foreign key: results are high volume and outlive nothing; pruning handles deleted monitors.
    await db.schema
      .createTable('check_results')
      .addColumn('monitor_id', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('ok', 'integer', (c) => c.notNull())
      .addColumn('slow', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('location', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('check_results_monitor_time')
      .on('check_results')
      .columns(['monitor_id', 'started_at'])
      .execute();

    await db.schema
      .createTable('check_rollups_day')
      .addColumn('monitor_id', 'text', (c) => c.notNull())
      .addColumn('day', 'bigint', (c) => c.notNull())
      .addColumn('checks', 'integer', (c) => c.notNull())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('latency_sum_ms', 'bigint', (c) => c.notNull())
      .addColumn('latency_max_ms', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('check_rollups_day_pk', ['monitor_id', 'day'])
      .execute();

    await db.schema
      .createTable('component_status_changes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('component_id', 'text', (c) => c.notNull().references('components.id').onDelete('cascade'))
      .addColumn('from_status', 'text', (c) => c.notNull())
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('monitor_id', 'text')
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('component_status_changes_component')
      .on('component_status_changes')
      .columns(['component_id', 'at'])
      .execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();
  },
};
