import { Client } from 'pg';

/** asyncpg's default `statement_cache_size`, which Prefect's settings mirror. */
export const DEFAULT_STATEMENT_CACHE_SIZE = 100;

/**
 * Marks a statement to be planned for its actual parameters at every execution: the preparing
 * client sends a statement that starts with this comment unnamed. For statements whose best plan
 * depends on the values — time windows and filters a request chooses — where PostgreSQL's generic
 * plan (chosen after five executions of a named statement) can be a hundred times slower
 * (`events/count-by` over a day: 1.1 s generic, 0.25 s custom). See ADR 0004.
 */
export const CUSTOM_PLAN = '/* orrery:custom-plan */ ';

/** The part of pg's Connection this file touches (not in @types/pg). */
interface ParsedStatements {
  parsedStatements: Record<string, string | undefined>;
}

/**
 * PostgreSQL refuses to run a prepared statement whose result columns changed since it was
 * prepared (a migration added a column behind a `SELECT t.*`), until it is prepared again.
 */
export function isStalePlan(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    code === '0A000' &&
    typeof message === 'string' &&
    message.includes('cached plan must not change result type')
  );
}

/**
 * pg's own `query`, called with this file's arguments (its overloads cannot express them). Looked
 * up at each call: OpenTelemetry's pg instrumentation may wrap it after this module loads.
 */
function baseQuery(client: Client, args: unknown[]): unknown {
  return (Client.prototype.query as (this: Client, ...a: unknown[]) => unknown).apply(client, args);
}

/**
 * A pg Client class whose connections prepare every parameterised statement under a name, so
 * PostgreSQL parses, analyses and plans each statement text once per connection instead of at
 * every execution. On the lifecycle benchmark, parsing, analysis and planning were about 45 % of
 * the PostgreSQL backends' CPU, against 10 % for execution.
 *
 * Each connection keeps at most `cacheSize` statements, least recently used first out: an evicted
 * statement is forgotten by pg and `DEALLOCATE`d on the server (queued on the same connection, so
 * it runs before anything sent after it). Names are never reused, so a statement still queued
 * under an evicted name re-parses itself harmlessly. Statements without parameters (BEGIN, COMMIT,
 * DDL) and those marked CUSTOM_PLAN go unnamed. A statement whose result columns a migration changed is prepared again
 * (see `isStalePlan`): at once outside a transaction, after failing it once inside one.
 *
 * Like asyncpg (upstream's driver), this is incompatible with PgBouncer in transaction mode, whose
 * settings advice applies unchanged: a statement cache size of 0 turns it off (createDataSource
 * then uses pg's own Client).
 */
export function preparingClientClass(cacheSize: number): typeof Client {
  class PreparingClient extends Client {
    /** Statement text → name, least recently used first. */
    readonly statementNames = new Map<string, string>();
    /** Names are per session (connection), so a counter keeps them unique. */
    statementCount = 0;

    nameOf(text: string): string {
      const known = this.statementNames.get(text);
      if (known !== undefined) {
        this.statementNames.delete(text);
        this.statementNames.set(text, known);
        return known;
      }
      if (this.statementNames.size >= cacheSize) this.evictOldest();
      this.statementCount += 1;
      const name = `orrery_${this.statementCount.toString(36)}`;
      this.statementNames.set(text, name);
      return name;
    }

    /** Forgets a statement, here and on the server: its next execution prepares it afresh. */
    forget(text: string): void {
      const name = this.statementNames.get(text);
      if (name === undefined) return;
      this.statementNames.delete(text);
      delete (this.connection as unknown as ParsedStatements).parsedStatements[name];
      // Inside a failed transaction this fails too; the server frees it with the connection.
      (baseQuery(this, [`DEALLOCATE ${name}`]) as Promise<unknown>).catch(() => undefined);
    }

    /** Whether the connection was outside any transaction when its last statement was sent. */
    get idle(): boolean {
      return (this as unknown as { _txStatus?: string | null })._txStatus === 'I';
    }

    private evictOldest(): void {
      const oldest = this.statementNames.keys().next().value;
      if (oldest !== undefined) this.forget(oldest);
    }
  }

  // pg's overloads of `query` cannot be re-declared by a subclass: the override goes on the prototype.
  Object.defineProperty(PreparingClient.prototype, 'query', {
    configurable: true,
    writable: true,
    value: function query(this: PreparingClient, ...args: unknown[]): unknown {
      const [text, values, callback] = args;
      if (
        typeof text !== 'string' ||
        !Array.isArray(values) ||
        values.length === 0 ||
        text.startsWith(CUSTOM_PLAN)
      ) {
        return baseQuery(this, args);
      }
      if (callback !== undefined)
        return baseQuery(this, [{ name: this.nameOf(text), text, values }, callback]);
      const execute = () => baseQuery(this, [{ name: this.nameOf(text), text, values }]) as Promise<unknown>;
      // Sampled before sending: an autocommit statement that failed changed nothing and may run again.
      const autocommit = this.idle;
      return execute().catch((error: unknown) => {
        if (!isStalePlan(error)) throw error;
        this.forget(text);
        if (autocommit) return execute();
        throw error;
      });
    },
  });
  return PreparingClient;
}
