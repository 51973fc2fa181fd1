import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  SqliteDialect,
  type TransactionSettings,
} from 'kysely';

/**
 * How long queries may run back to back before the next one first lets the event loop turn. better-sqlite3
 * is synchronous and Kysely's SQLite driver only awaits resolved promises, so a chain of queries (a
 * snapshot rebuild, an automation turn) otherwise holds the loop for its whole length while every HTTP
 * request waits; with this, no stretch of queries is much longer than SLICE_MS plus one query.
 */
export const SLICE_MS = 4;

let sliceStarted = performance.now();

/**
 * Resolves at once while the current slice lasts; once SLICE_MS have passed since the loop last turned
 * for a query, waits one loop turn (I/O callbacks, i.e. waiting requests, run first) and starts a new slice.
 */
export async function yieldWhenSliceSpent(): Promise<void> {
  if (performance.now() - sliceStarted < SLICE_MS) return;
  await nextLoopTurn();
  sliceStarted = performance.now();
}

/**
 * Kysely's SqliteDialect whose queries yield to the event loop between time slices (see SLICE_MS).
 * Code already runs correctly with other work interleaved between its queries (it does on PostgreSQL);
 * transactions keep the single connection to themselves while they yield (Kysely's connection mutex), so
 * other queries wait for them as before.
 */
export class TimeSlicedSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    return new TimeSlicedDriver(super.createDriver());
  }
}

class TimeSlicedDriver implements Driver {
  readonly #inner: Driver;
  readonly #connections = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.#inner.acquireConnection();
    let sliced = this.#connections.get(connection);
    if (sliced === undefined) {
      sliced = new TimeSlicedConnection(connection);
      this.#connections.set(connection, sliced);
    }
    return sliced;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return savepointCommand(this.#inner.savepoint?.bind(this.#inner))(connection, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return savepointCommand(this.#inner.rollbackToSavepoint?.bind(this.#inner))(connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return savepointCommand(this.#inner.releaseSavepoint?.bind(this.#inner))(connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

class TimeSlicedConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection;

  constructor(inner: DatabaseConnection) {
    this.inner = inner;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    await yieldWhenSliceSpent();
    return this.inner.executeQuery<R>(compiledQuery);
  }

  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiledQuery, chunkSize);
  }
}

type SavepointCommand = NonNullable<Driver['savepoint']>;

function savepointCommand(command: SavepointCommand | undefined): SavepointCommand {
  if (command === undefined) throw new Error('the SQLite driver does not support savepoints');
  return command;
}

function unwrap(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof TimeSlicedConnection ? connection.inner : connection;
}
