import type { DataSource } from 'typeorm';
import { createDataSource } from './create-data-source';
import { CUSTOM_PLAN } from './prepared-statements';
import { createTestDatabase, type LocalTestDatabase } from './test-database.fixture';

/** The named statements this session holds, by statement text. */
async function prepared(dataSource: DataSource): Promise<string[]> {
  // Without parameters, so this query is never prepared itself.
  const rows = (await dataSource.query(
    `SELECT statement FROM pg_prepared_statements WHERE name LIKE 'orrery%' ORDER BY prepare_time, statement`,
  )) as { statement: string }[];
  return rows.map((r) => r.statement);
}

describe('named prepared statements on PostgreSQL', () => {
  let db: LocalTestDatabase;
  const opened: DataSource[] = [];

  // One connection, so every statement lands in the session the assertions inspect.
  async function open(statementCacheSize?: number): Promise<DataSource> {
    const dataSource = createDataSource({
      kind: 'postgres',
      url: db.url,
      poolSize: 1,
      ...(statementCacheSize === undefined ? {} : { statementCacheSize }),
    });
    await dataSource.initialize();
    opened.push(dataSource);
    return dataSource;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await Promise.all(opened.map((d) => d.destroy()));
    await db?.drop();
  });

  it('prepares a parameterised statement once per connection and answers as an unnamed one would', async () => {
    const dataSource = await open();
    for (const n of [1, 2, 3]) {
      expect(await dataSource.query('SELECT $1::int + 1 AS next', [n])).toEqual([{ next: n + 1 }]);
    }
    expect(await prepared(dataSource)).toEqual(['SELECT $1::int + 1 AS next']);
  });

  it('leaves statements without parameters unnamed (BEGIN, COMMIT, DDL)', async () => {
    const dataSource = await open();
    await dataSource.transaction(async (manager) => {
      await manager.query('SELECT 1 AS one');
    });
    expect(await prepared(dataSource)).toEqual([]);
  });

  it('sends a statement marked CUSTOM_PLAN unnamed, so each execution is planned for its values', async () => {
    const dataSource = await open();
    for (const n of [1, 2, 3, 4, 5, 6, 7]) {
      expect(await dataSource.query(`${CUSTOM_PLAN}SELECT $1::int * 2 AS twice`, [n])).toEqual([
        { twice: n * 2 },
      ]);
    }
    expect(await prepared(dataSource)).toEqual([]);
  });

  it('keeps at most the cache size, deallocating the least recently used on the server', async () => {
    const dataSource = await open(2);
    await dataSource.query('SELECT $1::int AS a', [1]);
    await dataSource.query('SELECT $1::int AS b', [1]);
    await dataSource.query('SELECT $1::int AS a', [2]); // now b is the least recently used
    await dataSource.query('SELECT $1::int AS c', [1]);
    expect((await prepared(dataSource)).sort()).toEqual(['SELECT $1::int AS a', 'SELECT $1::int AS c']);
    // An evicted statement comes back under a new name and still answers.
    expect(await dataSource.query('SELECT $1::int AS b', [7])).toEqual([{ b: 7 }]);
    expect((await prepared(dataSource)).sort()).toEqual(['SELECT $1::int AS b', 'SELECT $1::int AS c']);
  });

  it('reports errors as before and keeps the connection usable', async () => {
    const dataSource = await open();
    await expect(dataSource.query('SELECT $1::int AS n', ['not a number'])).rejects.toThrow(
      /invalid input syntax for type integer/,
    );
    await expect(dataSource.query('SELECT nope FROM $1', ['x'])).rejects.toThrow(/syntax error/);
    expect(await dataSource.query('SELECT $1::int AS n', [5])).toEqual([{ n: 5 }]);
  });

  it('prepares a statement again when a migration changed its result columns (rolling upgrades)', async () => {
    const dataSource = await open();
    await dataSource.query('CREATE TABLE widget (id int PRIMARY KEY, name text)');
    await dataSource.query(`INSERT INTO widget VALUES (1, 'a')`);
    const read = 'SELECT widget.* FROM widget WHERE id = $1';
    expect(await dataSource.query(read, [1])).toEqual([{ id: 1, name: 'a' }]);

    // Another process migrates: the prepared statement's result type is now stale.
    await db.dataSource.query('ALTER TABLE widget ADD COLUMN colour text');
    // Outside a transaction, the failed execution changed nothing and runs again, prepared afresh.
    expect(await dataSource.query(read, [1])).toEqual([{ id: 1, name: 'a', colour: null }]);

    await db.dataSource.query('ALTER TABLE widget ADD COLUMN size int');
    // Inside a transaction the error aborts it, once; the statement is prepared afresh after.
    await expect(dataSource.transaction((manager) => manager.query(read, [1]))).rejects.toThrow(
      /cached plan must not change result type/,
    );
    expect(await dataSource.transaction((manager) => manager.query(read, [1]))).toEqual([
      { id: 1, name: 'a', colour: null, size: null },
    ]);
  });

  it('sends every statement unnamed when the cache size is 0 (PgBouncer in transaction mode)', async () => {
    const dataSource = await open(0);
    await dataSource.query('SELECT $1::int AS n', [1]);
    await dataSource.query('SELECT $1::int AS n', [2]);
    expect(await prepared(dataSource)).toEqual([]);
  });
});
