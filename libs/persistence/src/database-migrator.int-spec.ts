import { createTestDatabase, type LocalTestDatabase } from './test-database.fixture';
import { Client } from 'pg';
import { DatabaseMigrator, MIGRATION_LOCK_KEY } from './database-migrator';

describe('DatabaseMigrator locking on PostgreSQL', () => {
  let db: LocalTestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('waits for the advisory lock another session holds, says so, then migrates', async () => {
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
      const progress: string[] = [];
      let reportWaiting: () => void = () => undefined;
      const waiting = new Promise<void>((resolve) => (reportWaiting = resolve));
      const migrator = new DatabaseMigrator(db.dataSource, {
        onProgress: (line) => {
          progress.push(line);
          if (line.startsWith('waiting for another process')) reportWaiting();
        },
      });

      const upgrade = migrator.upgrade();
      await waiting;
      // Still blocked: nothing may have been applied while the other session holds the lock.
      expect(progress.filter((line) => line.startsWith('applying'))).toEqual([]);
      await holder.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);

      expect((await upgrade).length).toBeGreaterThan(0);
      expect(progress.some((line) => line.startsWith('applied 1795300000000-core-schema in '))).toBe(true);
    } finally {
      await holder.end();
    }
  });

  it('releases the lock when done, and applies the statement timeout it was given', async () => {
    // 1 ms is too short for pg_sleep(0.05): a migration session with that timeout must fail...
    const slow = new DatabaseMigrator(db.dataSource, { statementTimeoutSeconds: 0.001 }, [
      class SlowMigration1795399999999 {
        name = 'SlowMigration1795399999999';
        async up(runner: { query(sql: string): Promise<unknown> }): Promise<void> {
          await runner.query('SELECT pg_sleep(0.05)');
        }
        async down(): Promise<void> {}
      },
    ]);
    await expect(slow.upgrade()).rejects.toThrow(/statement timeout/);

    // ...and the lock is free again afterwards (pg_try_advisory_lock from another session succeeds).
    const probe = new Client({ connectionString: db.url });
    await probe.connect();
    try {
      const { rows } = await probe.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) AS locked`,
      );
      expect(rows[0].locked).toBe(true);
      await probe.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    } finally {
      await probe.end();
    }
    expect(await new DatabaseMigrator(db.dataSource).status()).toMatchObject({ pending: [], unknown: [] });
  });
});
