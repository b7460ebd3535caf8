import {
  MIGRATIONS,
  MIGRATIONS_TABLE_NAME,
  type MigrationClass,
  migrationFileStem,
} from '@orrery/migrations';
import { type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { databaseKindOf } from './create-data-source';

/**
 * Session-level advisory lock held by every schema operation on PostgreSQL: the bytes of "ORRERY"
 * followed by 0x0001 (0x4F52524552590001). Fixed forever: two Orrery versions must agree on it.
 */
export const MIGRATION_LOCK_KEY = '5715721334774366209';

export interface DatabaseMigratorOptions {
  /** Receives one line per step ("applying 1795300000000-core-schema …"), for the CLI to print. */
  onProgress?: (message: string) => void;
  /** statement_timeout for the migration session, in seconds; 0 (the default) means none. */
  statementTimeoutSeconds?: number;
}

export interface MigrationStatus {
  /** File stems of applied migrations, in the order they were applied. */
  applied: string[];
  /** File stems of known migrations not applied yet, in the order they would be applied. */
  pending: string[];
  /** Names recorded in the database that this build does not know (a newer Orrery migrated it). */
  unknown: string[];
}

export type DowngradeTarget = { to: string } | { steps: number };

interface KnownMigration {
  className: string;
  stem: string;
  timestamp: number;
  instance: MigrationInterface;
}

/**
 * Applies and reverts the migrations of @orrery/migrations, one transaction per migration.
 *
 * Every operation holds pg_advisory_lock(MIGRATION_LOCK_KEY) on one dedicated connection for its
 * whole duration and decides what to do only after the lock is held, so any number of replicas may
 * run `database upgrade` (or migrate on start) at once: the first applies, the rest find nothing
 * pending. PGlite is one process with one connection, so the lock is skipped there.
 */
export class DatabaseMigrator {
  private readonly migrations: KnownMigration[];
  private readonly onProgress: (message: string) => void;
  private readonly statementTimeoutMs: number;

  constructor(
    private readonly dataSource: DataSource,
    options: DatabaseMigratorOptions = {},
    migrations: readonly MigrationClass[] = MIGRATIONS,
  ) {
    this.onProgress = options.onProgress ?? (() => undefined);
    this.statementTimeoutMs = Math.round((options.statementTimeoutSeconds ?? 0) * 1000);
    this.migrations = migrations.map((migrationClass) => {
      const instance = new migrationClass();
      const className = instance.name ?? migrationClass.name;
      const stem = migrationFileStem(className);
      return { className, stem, timestamp: Number(stem.slice(0, 13)), instance };
    });
  }

  /** Applies pending migrations up to and including `to` (default: all of them). Returns their stems. */
  async upgrade(options: { to?: string } = {}): Promise<string[]> {
    return this.withLock((runner) => this.applyPending(runner, options.to));
  }

  /** Reverts the last `steps` migrations, or every migration applied after `to` ('base': all). */
  async downgrade(target: DowngradeTarget): Promise<string[]> {
    return this.withLock(async (runner) => {
      const applied = await this.appliedNames(runner);
      let count: number;
      if ('steps' in target) {
        if (!Number.isInteger(target.steps) || target.steps < 0) {
          throw new RangeError(`steps must be a non-negative integer, got ${target.steps}`);
        }
        count = Math.min(target.steps, applied.length);
      } else if (target.to === 'base') {
        count = applied.length;
      } else {
        const keep = this.find(target.to);
        const index = applied.indexOf(keep.className);
        if (index < 0) {
          throw new Error(`cannot downgrade to ${keep.stem}: it is not applied`);
        }
        count = applied.length - index - 1;
      }
      const reverted: string[] = [];
      for (const className of applied.slice(applied.length - count).reverse()) {
        const migration = this.migrations.find((m) => m.className === className);
        if (migration === undefined) {
          throw new Error(
            `cannot revert ${className}: this build does not know that migration (a newer Orrery applied it)`,
          );
        }
        await this.inTransaction(
          runner,
          `reverting ${migration.stem}`,
          `reverted ${migration.stem}`,
          async () => {
            await migration.instance.down(runner);
            await runner.query(`DELETE FROM ${MIGRATIONS_TABLE_NAME} WHERE name = $1`, [className]);
          },
        );
        reverted.push(migration.stem);
      }
      if (reverted.length === 0) this.onProgress('nothing to downgrade');
      return reverted;
    });
  }

  /** Drops every table and enum type of the current schema (the migrations table too), then upgrades to head. */
  async reset(): Promise<string[]> {
    return this.withLock(async (runner) => {
      const tables: { name: string }[] = await runner.query(
        `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`,
      );
      const enums: { name: string }[] = await runner.query(
        `SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE t.typtype = 'e' AND n.nspname = current_schema() ORDER BY t.typname`,
      );
      const what = `${tables.length} tables and ${enums.length} enum types`;
      await this.inTransaction(runner, `dropping ${what}`, `dropped ${what}`, async () => {
        if (tables.length > 0) {
          await runner.query(`DROP TABLE ${tables.map((t) => quoteIdentifier(t.name)).join(', ')} CASCADE`);
        }
        if (enums.length > 0) {
          await runner.query(`DROP TYPE ${enums.map((t) => quoteIdentifier(t.name)).join(', ')} CASCADE`);
        }
      });
      return this.applyPending(runner, undefined);
    });
  }

  async status(): Promise<MigrationStatus> {
    return this.withLock(async (runner) => {
      const applied = await this.appliedNames(runner);
      const appliedSet = new Set(applied);
      const known = new Map(this.migrations.map((m) => [m.className, m.stem]));
      return {
        applied: applied.filter((name) => known.has(name)).map((name) => known.get(name) as string),
        pending: this.migrations.filter((m) => !appliedSet.has(m.className)).map((m) => m.stem),
        unknown: applied.filter((name) => !known.has(name)),
      };
    });
  }

  private async applyPending(runner: QueryRunner, to: string | undefined): Promise<string[]> {
    const last =
      to === undefined || to === 'head' ? this.migrations.length - 1 : this.migrations.indexOf(this.find(to));
    const applied = new Set(await this.appliedNames(runner));
    const pending = this.migrations.slice(0, last + 1).filter((m) => !applied.has(m.className));
    for (const migration of pending) {
      await this.inTransaction(
        runner,
        `applying ${migration.stem}`,
        `applied ${migration.stem}`,
        async () => {
          await migration.instance.up(runner);
          await runner.query(`INSERT INTO ${MIGRATIONS_TABLE_NAME} ("timestamp", name) VALUES ($1, $2)`, [
            migration.timestamp,
            migration.className,
          ]);
        },
      );
    }
    this.onProgress(
      pending.length === 0 ? 'database schema is up to date' : `applied ${pending.length} migration(s)`,
    );
    return pending.map((m) => m.stem);
  }

  private find(name: string): KnownMigration {
    const migration = this.migrations.find((m) => m.stem === name || m.className === name);
    if (migration === undefined) {
      throw new Error(
        `unknown migration ${JSON.stringify(name)}; known: ${this.migrations.map((m) => m.stem).join(', ')}`,
      );
    }
    return migration;
  }

  private async appliedNames(runner: QueryRunner): Promise<string[]> {
    // Same layout as TypeORM's own migrations table, so `typeorm migration:show` agrees with us.
    await runner.query(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE_NAME} (
         id SERIAL NOT NULL, "timestamp" bigint NOT NULL, name character varying NOT NULL,
         CONSTRAINT pk_${MIGRATIONS_TABLE_NAME} PRIMARY KEY (id))`,
    );
    const rows: { name: string }[] = await runner.query(
      `SELECT name FROM ${MIGRATIONS_TABLE_NAME} ORDER BY id`,
    );
    return rows.map((row) => row.name);
  }

  private async inTransaction(
    runner: QueryRunner,
    label: string,
    doneLabel: string,
    work: () => Promise<void>,
  ): Promise<void> {
    this.onProgress(`${label} …`);
    const started = Date.now();
    await runner.startTransaction();
    try {
      await work();
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction();
      throw new Error(`${label} failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    this.onProgress(`${doneLabel} in ${Date.now() - started} ms`);
  }

  private async withLock<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    if (!this.dataSource.isInitialized) {
      await this.dataSource.initialize();
    }
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const locking = databaseKindOf(this.dataSource) === 'postgres';
    let result: T;
    try {
      if (locking) {
        // Waiting for another replica's migration is expected to take a while: the pool's own
        // statement timeout (meant for API queries) must not cut the wait short.
        await runner.query(`SET statement_timeout = 0`);
        const [{ locked }]: { locked: boolean }[] = await runner.query(
          `SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) AS locked`,
        );
        if (!locked) {
          this.onProgress('waiting for another process to finish migrating (advisory lock) …');
          await runner.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
        }
      }
      await runner.query(`SET statement_timeout = ${this.statementTimeoutMs}`);
      result = await work(runner);
    } catch (error) {
      // A cleanup failure must not hide the original error; if the connection is broken, its
      // session (and so the advisory lock) is gone anyway.
      await this.unlockAndRelease(runner, locking).catch(() => undefined);
      throw error;
    }
    await this.unlockAndRelease(runner, locking);
    return result;
  }

  /** Leaves the pooled session as it was found: default statement timeout, lock released. */
  private async unlockAndRelease(runner: QueryRunner, locking: boolean): Promise<void> {
    try {
      await runner.query(`RESET statement_timeout`);
      if (locking) {
        await runner.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
      }
    } finally {
      await runner.release();
    }
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
