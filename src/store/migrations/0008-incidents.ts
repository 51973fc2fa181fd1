import type { Kysely, Migration } from 'kysely';

// Incidents and the public status page's moving parts: incidents with the components they affect,
// public updates and internal notes, a timeline of every event, linked alerts; community reports;
// subscribers (email with double opt-in, webhooks); recurring maintenances with their notices.

export const incidents: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('impact', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('detection_source', 'text', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('detected_at', 'bigint', (c) => c.notNull())
      .addColumn('first_report_at', 'bigint')
      .addColumn('lead_time_ms', 'bigint')
      .addColumn('commander', 'text')
      .addColumn('communications', 'text')
      .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('published_at', 'bigint')
      .addColumn('recovered_at', 'bigint')
      .addColumn('monitoring_at', 'bigint')
      .addColumn('resolved_at', 'bigint')
      .addColumn('postmortem_at', 'bigint')
      .addColumn('next_update_due_at', 'bigint')
      .addColumn('update_reminders', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('incidents_status').on('incidents').columns(['status']).execute();
    await db.schema.createIndex('incidents_created').on('incidents').columns(['created_at']).execute();

    await db.schema
      .createTable('incident_components')
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('component_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('added_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('incident_components_pk', ['incident_id', 'component_id'])
      .execute();
    await db.schema
      .createIndex('incident_components_component')
      .on('incident_components')
      .columns(['component_id'])
      .execute();

    await db.schema
      .createTable('incident_updates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('affected', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('published_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('incident_updates_incident')
      .on('incident_updates')
      .columns(['incident_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('incident_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('data', 'text')
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('incident_events_incident')
      .on('incident_events')
      .columns(['incident_id', 'at'])
      .execute();

    await db.schema
      .createTable('incident_alerts')
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('alert_id', 'text', (c) => c.notNull())
      .addColumn('linked_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('incident_alerts_pk', ['incident_id', 'alert_id'])
      .execute();
    await db.schema
      .createIndex('incident_alerts_alert')
      .on('incident_alerts')
      .columns(['alert_id'])
      .execute();

    await db.schema
      .createTable('community_reports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('component_id', 'text')
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('contact', 'text')
      .addColumn('address_hash', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('incident_id', 'text')
      .addColumn('triaged_by', 'text')
      .addColumn('triaged_at', 'bigint')
      .addColumn('triage_note', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('community_reports_state')
      .on('community_reports')
      .columns(['state', 'created_at'])
      .execute();
    await db.schema
      .createIndex('community_reports_address')
      .on('community_reports')
      .columns(['address_hash', 'created_at'])
      .execute();
    // The per-community intake cap counts a community's recent reports on every post.
    await db.schema
      .createIndex('community_reports_community')
      .on('community_reports')
      .columns(['community_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('subscribers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('communities', 'text')
      .addColumn('secret', 'text')
      .addColumn('confirm_token_hash', 'text')
      .addColumn('unsubscribe_token', 'text', (c) => c.notNull().unique())
      .addColumn('confirmed_at', 'bigint')
      .addColumn('unsubscribed_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('subscribers_address')
      .on('subscribers')
      .columns(['kind', 'address'])
      .execute();

    await db.schema.alterTable('notifications').addColumn('subscriber_id', 'text').execute();

    await db.schema.alterTable('maintenances').addColumn('description', 'text').execute();
    await db.schema.alterTable('maintenances').addColumn('repeat', 'text').execute();
    await db.schema.alterTable('maintenances').addColumn('repeat_until', 'bigint').execute();
    await db.schema
      .alterTable('maintenances')
      .addColumn('notify_before_ms', 'bigint', (c) => c.notNull().defaultTo(86_400_000))
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'subscribers',
      'community_reports',
      'incident_alerts',
      'incident_events',
      'incident_updates',
      'incident_components',
      'incidents',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
