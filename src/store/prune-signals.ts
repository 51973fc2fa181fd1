import type { Kysely } from 'kysely';
import type { Schema } from './schema.js';

/** How long delivery receipts answer repeats, and how long signal rows are kept. */
export const RECEIPT_RETENTION_MS = 86_400_000;
export const SIGNAL_RETENTION_MS = 30 * 86_400_000;

/**
 * Deletes idempotency receipts older than a day and signals older than 30 days. Alerts and their
 * events are history and are kept.
 */
export async function pruneSignals(
  db: Kysely<Schema>,
  now: number,
): Promise<{ readonly receipts: number; readonly signals: number }> {
  const receipts = await db
    .deleteFrom('ingest_receipts')
    .where('received_at', '<', now - RECEIPT_RETENTION_MS)
    .executeTakeFirst();
  const signals = await db
    .deleteFrom('signals')
    .where('received_at', '<', now - SIGNAL_RETENTION_MS)
    .executeTakeFirst();
  return { receipts: Number(receipts.numDeletedRows), signals: Number(signals.numDeletedRows) };
}
