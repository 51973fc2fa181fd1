import { sql } from 'kysely';
import { openDatabase } from '../../src/store/database.js';

/** What the server stored, read after it stopped. */
export interface StoreFigures {
  readonly alerts: number;
  readonly alertsByStatus: Readonly<Record<string, number>>;
  readonly flapping: number;
  readonly alertEvents: number;
  /** Signals committed in the window. */
  readonly signalsInWindow: number;
  /**
   * Ingest transactions committed in the window: the engine stamps every signal of one batch with the
   * same received_at (its clock when the batch began), so distinct received_at values count batches.
   */
  readonly batchesInWindow: number;
  /** Signals per batch in the window, sorted. */
  readonly batchSizes: Float64Array;
}

/** Reads alert and signal counts, and batch sizes in [windowStartMs, windowEndMs], from the server's database. */
export async function readStoreFigures(
  databaseUrl: string,
  windowStartMs: number,
  windowEndMs: number,
): Promise<StoreFigures> {
  const database = await openDatabase({ url: databaseUrl, migrate: false });
  try {
    const { db } = database;
    const byStatus = await db
      .selectFrom('alerts')
      .select(['status', sql<number>`count(*)`.as('n')])
      .groupBy('status')
      .execute();
    const flapping = await db
      .selectFrom('alerts')
      .select(sql<number>`count(*)`.as('n'))
      .where('flapping', '=', 1)
      .executeTakeFirstOrThrow();
    const events = await db
      .selectFrom('alert_events')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    const batches = await db
      .selectFrom('signals')
      .select(['received_at', sql<number>`count(*)`.as('n')])
      .where('received_at', '>=', windowStartMs)
      .where('received_at', '<', windowEndMs)
      .groupBy('received_at')
      .execute();
    const sizes = Float64Array.from(batches.map((b) => Number(b.n))).sort();
    const alertsByStatus = Object.fromEntries(byStatus.map((row) => [row.status, Number(row.n)]));
    return {
      alerts: Object.values(alertsByStatus).reduce((a, b) => a + b, 0),
      alertsByStatus,
      flapping: Number(flapping.n),
      alertEvents: Number(events.n),
      signalsInWindow: sizes.reduce((a, b) => a + b, 0),
      batchesInWindow: sizes.length,
      batchSizes: sizes,
    };
  } finally {
    await database.close();
  }
}
