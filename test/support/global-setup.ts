import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { postgresConnection } from '../../src/store/database.js';

/**
 * Decides once per run whether PostgreSQL tests run. Without a reachable server
 * they are skipped with a loud message, except under CI, where that fails the run.
 */
export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.FIREWATCH_TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
  const client = new pg.Client({ ...postgresConnection(url), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    project.provide('postgresUrl', url);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (process.env.CI) {
      throw new Error(`PostgreSQL tests are required under CI but ${url} is unreachable: ${why}`);
    }
    console.warn(
      `\n${'!'.repeat(78)}\n!! PostgreSQL at ${url} is unreachable (${why}).\n` +
        `!! Every PostgreSQL store test is SKIPPED. Start PostgreSQL or set FIREWATCH_TEST_DATABASE_URL.\n` +
        `${'!'.repeat(78)}\n`,
    );
    project.provide('postgresUrl', '');
  } finally {
    await client.end().catch(() => {});
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
