import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { type PGlite, type Results } from '@electric-sql/pglite';
import { type DataSource, EntityManager } from 'typeorm';
import { getPGliteInstance } from 'typeorm-pglite';
import { PGliteInstance } from 'typeorm-pglite/dist/pglite-instance';

/**
 * Embedded PGlite is ONE database session for the whole process, while TypeORM believes it has a pool
 * of connections: every QueryRunner, and so every `transaction()`, talks to the same session. Without
 * care, two concurrent transactions interleave on it: one's COMMIT commits the other's half-done work,
 * one's ROLLBACK undoes the other's writes, and FOR UPDATE / SKIP LOCKED / advisory locks lock nothing
 * because there is nobody else to lock against.
 *
 * This module gives TypeORM a pool whose connections are handles onto that one session, and a lock
 * over the session:
 *
 * - a handle that starts a transaction holds the lock until it commits or rolls back (or is released,
 *   which rolls back what it left open); every other statement waits for it, so a transaction sees the
 *   isolation a PostgreSQL connection would give it;
 * - a statement outside any transaction takes the lock for itself only;
 * - a statement issued from inside a transaction's async context through another manager (a
 *   repository injected at start-up, say) cannot wait for the transaction it is part of — that would
 *   deadlock — so it runs inside it; a second transaction opened that way becomes a savepoint of the
 *   first. The context is carried by AsyncLocalStorage, entered by `EntityManager.transaction` on PGlite
 *   data sources (see `installPgliteTransactionContext`).
 *
 * On PostgreSQL none of this is used: each QueryRunner has a connection of its own.
 */

interface TransactionContext {
  /** The handle that owns the transaction this async context belongs to, once it has started. */
  owner: SessionHandle | null;
}

const transactionContext = new AsyncLocalStorage<TransactionContext>();

/** How long a statement may wait for the session before a warning names the statement holding it. */
const SLOW_WAIT_WARNING_MS = 30_000;

const BEGIN = /^\s*(START\s+TRANSACTION|BEGIN)\b/i;
const COMMIT = /^\s*(COMMIT|END)\s*;?\s*$/i;
const ROLLBACK = /^\s*ROLLBACK\s*;?\s*$/i;
const SET_TRANSACTION = /^\s*SET\s+TRANSACTION\b/i;

interface Waiter {
  handle: SessionHandle;
  grant: () => void;
}

/** The lock over the one PGlite session: held by at most one handle, handed over in arrival order. */
class SessionLock {
  private holder: SessionHandle | null = null;
  private readonly waiters: Waiter[] = [];

  get current(): SessionHandle | null {
    return this.holder;
  }

  async acquire(handle: SessionHandle, statement: string): Promise<void> {
    if (this.holder === null) {
      this.holder = handle;
      return;
    }
    if (this.holder === handle) return;
    const granted = new Promise<void>((grant) => this.waiters.push({ handle, grant }));
    const warning = setTimeout(() => {
      console.warn(
        `PGlite: a statement has waited ${SLOW_WAIT_WARNING_MS / 1000} s for the embedded database ` +
          `session (${preview(statement)}); it is held by a transaction whose last statement was ` +
          `${preview(this.holder?.lastStatement ?? '')}`,
      );
    }, SLOW_WAIT_WARNING_MS);
    warning.unref();
    try {
      await granted;
    } finally {
      clearTimeout(warning);
    }
  }

  release(handle: SessionHandle): void {
    if (this.holder !== handle) return;
    const next = this.waiters.shift();
    this.holder = next?.handle ?? null;
    next?.grant();
  }
}

const lock = new SessionLock();

function preview(sql: string): string {
  const line = sql.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

async function run(sql: string, parameters: unknown[] | undefined): Promise<Results> {
  const pglite: PGlite = await getPGliteInstance();
  if (parameters !== undefined && parameters.length > 0) return pglite.query(sql, parameters);
  // exec answers one result per statement; TypeORM expects the last one for multi-statement strings.
  const results = await pglite.exec(sql);
  return results[results.length - 1] ?? { rows: [], fields: [] };
}

/** One TypeORM "connection": a view of the shared session that knows whether it owns a transaction. */
class SessionHandle extends EventEmitter {
  lastStatement = '';
  inTransaction = false;
  /** Set while this handle's transaction is a savepoint inside another handle's transaction. */
  private nestedDepth = 0;
  private static savepoints = 0;
  private savepointNames: string[] = [];

  async query(sql: string, parameters?: unknown[]): Promise<Results> {
    this.lastStatement = sql;
    if (this.inTransaction) return this.inOwnTransaction(sql, parameters);
    if (this.nestedDepth > 0) return this.inEnclosingTransaction(sql, parameters);
    const context = transactionContext.getStore();
    const enclosing = context?.owner ?? null;
    if (enclosing !== null && enclosing !== this && lock.current === enclosing) {
      return this.inEnclosingTransaction(sql, parameters);
    }
    await lock.acquire(this, sql);
    if (BEGIN.test(sql)) {
      try {
        const result = await run(sql, parameters);
        this.inTransaction = true;
        // The context's first transaction, or a later one once the earlier has ended.
        if (context !== undefined && !context.owner?.inTransaction) context.owner = this;
        return result;
      } catch (error) {
        lock.release(this);
        throw error;
      }
    }
    try {
      return await run(sql, parameters);
    } finally {
      lock.release(this);
    }
  }

  /** TypeORM's release callback: a transaction left open by an abandoned runner is rolled back. */
  async done(): Promise<void> {
    if (this.inTransaction) {
      this.inTransaction = false;
      try {
        await run('ROLLBACK', undefined);
      } finally {
        lock.release(this);
      }
    }
    this.nestedDepth = 0;
    this.savepointNames = [];
  }

  private async inOwnTransaction(sql: string, parameters: unknown[] | undefined): Promise<Results> {
    if (!COMMIT.test(sql) && !ROLLBACK.test(sql)) return run(sql, parameters);
    try {
      return await run(sql, parameters);
    } finally {
      this.inTransaction = false;
      lock.release(this);
    }
  }

  /** Statements of a handle used from inside another handle's transaction: part of that transaction. */
  private async inEnclosingTransaction(sql: string, parameters: unknown[] | undefined): Promise<Results> {
    // The enclosing transaction has its isolation level already; a savepoint cannot change it.
    if (SET_TRANSACTION.test(sql)) return { rows: [], fields: [] };
    if (BEGIN.test(sql)) {
      const name = `orrery_nested_${++SessionHandle.savepoints}`;
      const result = await run(`SAVEPOINT ${name}`, undefined);
      this.savepointNames.push(name);
      this.nestedDepth += 1;
      return result;
    }
    if (this.nestedDepth > 0 && (COMMIT.test(sql) || ROLLBACK.test(sql))) {
      const name = this.savepointNames.pop() as string;
      this.nestedDepth -= 1;
      const statement = COMMIT.test(sql)
        ? `RELEASE SAVEPOINT ${name}`
        : `ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`;
      return run(statement, undefined);
    }
    return run(sql, parameters);
  }
}

/** The `Pool` TypeORM's postgres driver instantiates: every `connect` gets a fresh session handle. */
export class PgliteSessionPool extends EventEmitter {
  connect(callback: (error: Error | null, client: SessionHandle | null, release: () => void) => void): void {
    getPGliteInstance().then(
      () => {
        const handle = new SessionHandle();
        callback(null, handle, () => void handle.done());
      },
      (error: Error) => callback(error, null, () => undefined),
    );
  }

  end(callback: (error: Error | null) => void): void {
    PGliteInstance.close().then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }
}

const pgliteDataSources = new WeakSet<DataSource>();
let installed = false;

/**
 * Marks a data source as PGlite-backed and, once per process, makes `EntityManager.transaction` on such
 * data sources run its callback in a transaction context (see the module comment). PostgreSQL data
 * sources in the same process are untouched.
 */
export function installPgliteTransactionContext(dataSource: DataSource): void {
  pgliteDataSources.add(dataSource);
  if (installed) return;
  installed = true;
  const original = EntityManager.prototype.transaction;
  const patched = function (this: EntityManager, ...args: unknown[]): Promise<unknown> {
    const call = () => (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    if (!pgliteDataSources.has(this.connection)) return call();
    // Inside a live transaction: nested (a savepoint of it). Otherwise a context of its own, even when
    // this async chain descends from a transaction that has ended (work started after its commit).
    if (transactionContext.getStore()?.owner?.inTransaction) return call();
    return transactionContext.run({ owner: null }, call);
  };
  EntityManager.prototype.transaction = patched as typeof EntityManager.prototype.transaction;
}

/** Runs `work` while holding the session, for code that talks to PGlite directly (LISTEN, say). */
export async function withPgliteSession<T>(work: (pglite: PGlite) => Promise<T>): Promise<T> {
  const handle = new SessionHandle();
  await lock.acquire(handle, 'direct PGlite use');
  try {
    return await work(await getPGliteInstance());
  } finally {
    lock.release(handle);
  }
}
