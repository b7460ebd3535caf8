import { type DataSource, type EntityManager } from 'typeorm';
import { createPgliteTestDatabase, type LocalTestDatabase } from './test-database.fixture';

// Embedded PGlite is one session for the whole process; these tests pin that transactions on it still
// behave like transactions on separate PostgreSQL connections (see pglite-session.ts). PGlite takes
// seconds to start and allows one instance per process, so the file shares one.
describe('transactions on the one PGlite session', () => {
  let db: LocalTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createPgliteTestDatabase();
    dataSource = db.dataSource;
    await dataSource.query(`CREATE TABLE session_counter (id int PRIMARY KEY, n int NOT NULL)`);
    await dataSource.query(`CREATE TABLE session_row (name text PRIMARY KEY)`);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  beforeEach(async () => {
    await dataSource.query(`DELETE FROM session_row`);
    await dataSource.query(`DELETE FROM session_counter`);
    await dataSource.query(`INSERT INTO session_counter VALUES (1, 0)`);
  });

  /** Resolves after a few turns of the event loop, so concurrent work gets to run in between. */
  const yieldTurns = async (turns = 5) => {
    for (let i = 0; i < turns; i += 1) await new Promise((resolve) => setImmediate(resolve));
  };

  const rows = async () =>
    ((await dataSource.query(`SELECT name FROM session_row ORDER BY name`)) as { name: string }[]).map(
      (row) => row.name,
    );

  it('a rolled-back transaction does not undo another transaction’s committed writes', async () => {
    const committing = dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO session_row VALUES ('kept')`);
      await yieldTurns();
    });
    const failing = dataSource.transaction(async (manager) => {
      await yieldTurns();
      await manager.query(`INSERT INTO session_row VALUES ('undone')`);
      throw new Error('fail this one');
    });
    await committing;
    await expect(failing).rejects.toThrow('fail this one');
    expect(await rows()).toEqual(['kept']);
  });

  it('concurrent read-modify-write transactions do not lose updates', async () => {
    const increment = () =>
      dataSource.transaction(async (manager) => {
        const [{ n }] = (await manager.query(`SELECT n FROM session_counter WHERE id = 1 FOR UPDATE`)) as {
          n: number;
        }[];
        await yieldTurns(2);
        await manager.query(`UPDATE session_counter SET n = $1 WHERE id = 1`, [n + 1]);
      });
    await Promise.all(Array.from({ length: 20 }, increment));
    const [{ n }] = (await dataSource.query(`SELECT n FROM session_counter WHERE id = 1`)) as { n: number }[];
    expect(n).toBe(20);
  });

  it('a statement outside any transaction does not see or join another transaction’s uncommitted work', async () => {
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO session_row VALUES ('pending')`);
      inserted();
      await yieldTurns(10);
      throw new Error('roll back');
    });
    await insertedSignal;
    const seen = await rows(); // waits for the transaction to end, as on a separate connection
    await expect(transaction).rejects.toThrow('roll back');
    expect(seen).toEqual([]);
    await dataSource.query(`INSERT INTO session_row VALUES ('autocommit')`);
    expect(await rows()).toEqual(['autocommit']);
  });

  it('a repository used from inside a transaction runs in it instead of deadlocking', async () => {
    const seenInside = await dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO session_row VALUES ('inside')`);
      return rows(); // the global data source, not `manager`
    });
    expect(seenInside).toEqual(['inside']);
  });

  it('a transaction opened from inside another becomes a savepoint of it', async () => {
    await dataSource.transaction(async (outer: EntityManager) => {
      await outer.query(`INSERT INTO session_row VALUES ('outer')`);
      await expect(
        dataSource.transaction(async (inner) => {
          await inner.query(`INSERT INTO session_row VALUES ('inner-undone')`);
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await dataSource.transaction((inner) => inner.query(`INSERT INTO session_row VALUES ('inner-kept')`));
    });
    expect(await rows()).toEqual(['inner-kept', 'outer']);
  });

  it('transactions started from the async context of one that has ended stay separate', async () => {
    let committed!: () => void;
    const afterCommit = new Promise<void>((resolve) => (committed = resolve));
    let later!: Promise<PromiseSettledResult<unknown>[]>;
    await dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO session_row VALUES ('first')`);
      await manager.query(`DELETE FROM session_row`);
      // Work this transaction schedules but which runs only after it has committed.
      later = afterCommit.then(() =>
        Promise.allSettled([
          dataSource.transaction(async (manager) => {
            await manager.query(`INSERT INTO session_row VALUES ('failed')`);
            await yieldTurns(10);
            throw new Error('this one fails');
          }),
          yieldTurns(3).then(() =>
            dataSource.transaction((manager) => manager.query(`INSERT INTO session_row VALUES ('separate')`)),
          ),
        ]),
      );
    });
    committed();
    const [failed, separate] = await later;
    expect(failed.status).toBe('rejected');
    expect(separate.status).toBe('fulfilled');
    expect(await rows()).toEqual(['separate']);
  });

  it('a query runner released with its transaction open rolls it back and frees the session', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`INSERT INTO session_row VALUES ('abandoned')`);
    await runner.release();
    await dataSource.query(`INSERT INTO session_row VALUES ('after')`);
    expect(await rows()).toEqual(['after']);
  });
});
