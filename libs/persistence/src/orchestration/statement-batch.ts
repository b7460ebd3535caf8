import type { EntityManager } from 'typeorm';

interface PendingStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly rowKey: string | undefined;
}

/**
 * Writes of one transaction that nothing reads back before commit, sent as ONE statement: each
 * becomes a data-modifying CTE of `WITH w0 AS (…), w1 AS (…) SELECT 1`, its `$n` placeholders
 * renumbered. A state change's state insert, run update and outbox insert thus cost one round trip
 * instead of three. PostgreSQL runs every data-modifying CTE exactly once and checks foreign keys at
 * the end of the statement, so a run update may point at a state row inserted beside it.
 *
 * Two rules keep the result equal to running the statements one by one:
 * - whoever reads inside the transaction calls `flush` first (the CTEs share one snapshot, so a
 *   read could not see a pending write);
 * - a statement touching a row (its `rowKey`) that a pending statement already touches flushes the
 *   pending ones first, because one statement cannot modify the same row twice.
 * The SQL given must not contain `$<digits>` anywhere but in its placeholders.
 */
export class StatementBatch {
  private pending: PendingStatement[] = [];

  constructor(private readonly manager: EntityManager) {}

  get size(): number {
    return this.pending.length;
  }

  async add(sql: string, params: readonly unknown[], rowKey?: string): Promise<void> {
    if (rowKey !== undefined && this.pending.some((s) => s.rowKey === rowKey)) await this.flush();
    this.pending.push({ sql, params, rowKey });
  }

  /** Sends what is pending (nothing when nothing is). */
  async flush(): Promise<void> {
    const statements = this.pending;
    if (statements.length === 0) return;
    this.pending = [];
    const { sql, params } = combineStatements(statements);
    await this.manager.query(sql, params as unknown[]);
  }
}

/** One statement for many; exported for its unit test. */
export function combineStatements(statements: readonly { sql: string; params: readonly unknown[] }[]): {
  sql: string;
  params: readonly unknown[];
} {
  if (statements.length === 1) return statements[0]!;
  const params: unknown[] = [];
  const parts = statements.map((statement, index) => {
    const offset = params.length;
    params.push(...statement.params);
    const renumbered = statement.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    return `w${index} AS (${renumbered})`;
  });
  return { sql: `WITH ${parts.join(', ')} SELECT 1`, params };
}

/**
 * The SQL of one transaction, for code that mixes reads with batchable writes: `query` flushes
 * pending writes first, then reads; `write` defers to the batch (see StatementBatch for the rules).
 */
export class TransactionSql {
  readonly batch: StatementBatch;

  constructor(readonly manager: EntityManager) {
    this.batch = new StatementBatch(manager);
  }

  async query<T = unknown>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    await this.batch.flush();
    return (await this.manager.query(sql, params as unknown[])) as T[];
  }

  /**
   * Reads without flushing: only for a read that no pending write can change (other tables, or
   * columns no batched write touches), such as the related objects of a state event.
   */
  async queryAside<T = unknown>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.manager.query(sql, params as unknown[])) as T[];
  }

  write(sql: string, params: readonly unknown[], rowKey?: string): Promise<void> {
    return this.batch.add(sql, params, rowKey);
  }

  flush(): Promise<void> {
    return this.batch.flush();
  }
}
