import type { Kysely, Migration } from 'kysely';

// Signals in, alerts out: integrations and their tokens, every signal as a row, alert rules,
// per-key state (rule state + flap history), alerts with their append-only events, alert groups,
// silences and maintenance windows, and a small settings table (alerting defaults).

export const alerts: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('integrations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('token', 'text', (c) => c.notNull().unique())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('ingest_receipts')
      .addColumn('integration_id', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ingest_receipts_pk', ['integration_id', 'idempotency_key'])
      .execute();
    await db.schema.createIndex('ingest_receipts_time').on('ingest_receipts').column('received_at').execute();

    await db.schema
      .createTable('signals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('integration_id', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('dedup_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('community', 'text')
      .addColumn('component', 'text')
      .addColumn('severity', 'text')
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('labels', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'bigint', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('signals_received').on('signals').column('received_at').execute();
    await db.schema
      .createIndex('signals_dedup')
      .on('signals')
      .columns(['dedup_key', 'occurred_at'])
      .execute();

    await db.schema
      .createTable('alert_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('alert_keys')
      .addColumn('dedup_key', 'text', (c) => c.primaryKey())
      .addColumn('rule_id', 'text')
      .addColumn('rule_state', 'text')
      .addColumn('flap', 'text', (c) => c.notNull())
      .addColumn('alert_id', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alert_keys_rule').on('alert_keys').column('rule_id').execute();

    await db.schema
      .createTable('alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dedup_key', 'text', (c) => c.notNull())
      .addColumn('rule_id', 'text')
      .addColumn('group_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('labels', 'text', (c) => c.notNull())
      .addColumn('community', 'text')
      .addColumn('component', 'text')
      .addColumn('flapping', 'integer', (c) => c.notNull())
      .addColumn('muted_by', 'text')
      .addColumn('owner', 'text')
      .addColumn('repeat_count', 'integer', (c) => c.notNull())
      .addColumn('fired_at', 'bigint', (c) => c.notNull())
      .addColumn('last_signal_at', 'bigint', (c) => c.notNull())
      .addColumn('acknowledged_at', 'bigint')
      .addColumn('resolved_at', 'bigint')
      .addColumn('resolution', 'text')
      .addColumn('timebox_ends_at', 'bigint')
      .addColumn('timebox_state', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alerts_status').on('alerts').columns(['status', 'id']).execute();
    await db.schema.createIndex('alerts_dedup').on('alerts').column('dedup_key').execute();
    await db.schema.createIndex('alerts_group').on('alerts').column('group_id').execute();
    await db.schema
      .createIndex('alerts_timebox')
      .on('alerts')
      .columns(['timebox_state', 'timebox_ends_at'])
      .execute();

    await db.schema
      .createTable('alert_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('alert_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('data', 'text')
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('alert_events_alert')
      .on('alert_events')
      .columns(['alert_id', 'id'])
      .execute();
    await db.schema.createIndex('alert_events_time').on('alert_events').column('at').execute();

    await db.schema
      .createTable('alert_groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('group_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('alert_count', 'integer', (c) => c.notNull())
      .addColumn('open_alerts', 'integer', (c) => c.notNull())
      .addColumn('opened_at', 'bigint', (c) => c.notNull())
      .addColumn('closed_at', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alert_groups_status').on('alert_groups').columns(['status', 'id']).execute();

    // One row per group key pointing at its open group: the row a process locks to join or open one.
    await db.schema
      .createTable('alert_group_keys')
      .addColumn('group_key', 'text', (c) => c.primaryKey())
      .addColumn('group_id', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('silences')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('matchers', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'bigint', (c) => c.notNull())
      .addColumn('ends_at', 'bigint', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expired_at', 'bigint')
      .execute();
    await db.schema.createIndex('silences_ends').on('silences').column('ends_at').execute();

    await db.schema
      .createTable('maintenances')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'bigint', (c) => c.notNull())
      .addColumn('ends_at', 'bigint', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('cancelled_at', 'bigint')
      .execute();
    await db.schema.createIndex('maintenances_ends').on('maintenances').column('ends_at').execute();
    await db.schema
      .createTable('maintenance_components')
      .addColumn('maintenance_id', 'text', (c) => c.notNull())
      .addColumn('component_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('maintenance_components_pk', ['maintenance_id', 'component_id'])
      .execute();
  },
};
