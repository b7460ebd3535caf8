import type { DataSource } from 'typeorm';
import { createDataSource } from './create-data-source';
import { streamRows } from './row-stream';
import {
  createPgliteTestDatabase,
  createTestDatabase,
  type LocalTestDatabase,
} from './test-database.fixture';

describe('streamRows on PostgreSQL', () => {
  let db: LocalTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    // One connection: a stream that did not give it back would leave every later query waiting.
    dataSource = createDataSource({ kind: 'postgres', url: db.url, poolSize: 1 });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const SERIES = 'SELECT g AS n, repeat($2, g) AS text FROM generate_series(1, $1::int) AS g ORDER BY g';

  it('visits every row in order, as a prepared statement, and gives the connection back', async () => {
    const seen: number[] = [];
    await streamRows<{ n: number; text: string }>(dataSource, SERIES, [2000, 'ab'], (row) => {
      expect(row.text).toHaveLength(2 * row.n);
      seen.push(row.n);
    });
    expect(seen).toEqual(Array.from({ length: 2000 }, (_, k) => k + 1));
    const named = (await dataSource.query(
      `SELECT statement FROM pg_prepared_statements WHERE statement = '${SERIES.replace(/'/g, "''")}'`,
    )) as unknown[];
    expect(named).toHaveLength(1);
  });

  it('rejects with the error a visitor throws, after reading the rest, and the connection still serves', async () => {
    let visits = 0;
    const failure = new Error('visitor failed');
    await expect(
      streamRows<{ n: number }>(dataSource, SERIES, [50, 'x'], (row) => {
        visits += 1;
        if (row.n === 3) throw failure;
      }),
    ).rejects.toBe(failure);
    expect(visits).toBe(3);
    expect(await dataSource.query('SELECT $1::int AS one', [1])).toEqual([{ one: 1 }]);
  });

  it('rejects when the statement fails part-way, and the connection still serves', async () => {
    const seen: number[] = [];
    await expect(
      streamRows<{ q: number }>(
        dataSource,
        'SELECT 10 / ($1::int - g) AS q FROM generate_series(1, 5) AS g',
        [3],
        (row) => seen.push(row.q),
      ),
    ).rejects.toMatchObject({ code: '22012' });
    expect(seen).toEqual([5, 10]);
    expect(await dataSource.query('SELECT $1::int AS one', [1])).toEqual([{ one: 1 }]);
  });

  it('prepares the statement again when a migration changed its result columns', async () => {
    await dataSource.query('CREATE TABLE streamed_widget (id int PRIMARY KEY, name text)');
    await dataSource.query(`INSERT INTO streamed_widget VALUES (1, 'a'), (2, 'b')`);
    const read = 'SELECT streamed_widget.* FROM streamed_widget WHERE id >= $1 ORDER BY id';
    const rows = async () => {
      const seen: unknown[] = [];
      await streamRows(dataSource, read, [1], (row) => seen.push(row));
      return seen;
    };
    expect(await rows()).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
    // Another process migrates: the statement this connection prepared now has a stale result type.
    await db.dataSource.query('ALTER TABLE streamed_widget ADD COLUMN colour text');
    expect(await rows()).toEqual([
      { id: 1, name: 'a', colour: null },
      { id: 2, name: 'b', colour: null },
    ]);
  });
});

describe('streamRows on PGlite', () => {
  let db: LocalTestDatabase;

  beforeAll(async () => {
    db = await createPgliteTestDatabase();
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('visits the whole result row by row, in order, and rejects with a visitor’s error', async () => {
    const seen: number[] = [];
    await streamRows<{ n: number }>(
      db.dataSource,
      'SELECT g AS n FROM generate_series(1, $1::int) AS g ORDER BY g',
      [300],
      (row) => seen.push(row.n),
    );
    expect(seen).toEqual(Array.from({ length: 300 }, (_, k) => k + 1));
    const failure = new Error('visitor failed');
    await expect(
      streamRows(db.dataSource, 'SELECT $1::int AS n', [1], () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });
});
