import { type PoolClient, Query } from 'pg';
import type { DataSource } from 'typeorm';
import { databaseKindOf } from './create-data-source';
import { isStalePlan } from './prepared-statements';

/** What the preparing client (prepared-statements.ts) adds to pg's: statement names by text. */
interface NamingClient {
  nameOf?(text: string): string;
  forget?(text: string): void;
}

/**
 * Runs a read and hands `visit` each row as the driver decodes it, in order; resolves once every
 * row has been visited. For a result of megabytes: gathered into one array, every row stays alive
 * until the last arrives, long enough for V8's young-generation collector to copy and promote
 * them all; visited one by one, each can be dropped at once. On PostgreSQL the statement is
 * prepared under a name like every other (prepared-statements.ts). PGlite answers in process with
 * the whole result, which is then visited row by row.
 */
export async function streamRows<Row>(
  dataSource: DataSource,
  sql: string,
  parameters: readonly unknown[],
  visit: (row: Row) => void,
): Promise<void> {
  if (databaseKindOf(dataSource) !== 'postgres') {
    for (const row of (await dataSource.query(sql, [...parameters])) as Row[]) visit(row);
    return;
  }
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient & NamingClient;
    let visited = 0;
    const run = () =>
      new Promise<void>((resolve, reject) => {
        // A visitor that throws must not break the driver's parsing: the rest is read and dropped.
        let failure: { error: unknown } | null = null;
        const query = new Query({ text: sql, values: [...parameters], name: client.nameOf?.(sql) });
        query.on('row', (row: Row) => {
          visited += 1;
          if (failure !== null) return;
          try {
            visit(row);
          } catch (error) {
            failure = { error };
          }
        });
        query.once('end', () => (failure === null ? resolve() : reject(failure.error)));
        query.once('error', reject);
        void client.query(query);
      });
    try {
      await run();
    } catch (error) {
      // A migration changed the statement's result columns since this connection prepared it.
      if (!isStalePlan(error) || visited > 0 || client.forget === undefined) throw error;
      client.forget(sql);
      await run();
    }
  } finally {
    await runner.release();
  }
}
