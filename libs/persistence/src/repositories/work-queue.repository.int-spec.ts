import { createTestDatabase, type LocalTestDatabase as TestDatabase } from '../test-database.fixture';
import { WorkPoolRepository } from './work-pool.repository';
import { type ResolvedWorkQueue, shiftPriorities, WorkQueueRepository } from './work-queue.repository';

describe('WorkQueueRepository on PostgreSQL', () => {
  let db: TestDatabase;
  let pools: WorkPoolRepository;
  let queues: WorkQueueRepository;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    pools = new WorkPoolRepository(db.dataSource);
    queues = new WorkQueueRepository(db.dataSource, pools);
  });
  afterAll(() => db.drop());

  const newPool = (name: string) =>
    db.dataSource.transaction((m) =>
      pools.create(m, {
        name,
        description: null,
        type: 'process',
        baseJobTemplate: {},
        isPaused: false,
        concurrencyLimit: null,
        storageConfiguration: {},
      }),
    );
  const resolve = (workPoolName: string | null, workQueueName: string | null) =>
    db.dataSource.transaction((m) => queues.resolve(m, { workPoolName, workQueueName }));

  it('creates a pool with its default queue, and refuses a taken name', async () => {
    const pool = await newPool('resolver-pool');
    expect(pool).toMatchObject({ name: 'resolver-pool', status: 'NOT_READY', activeSlots: null });
    const queue = await queues.getById(pool!.defaultQueueId!);
    expect(queue).toMatchObject({ name: 'default', priority: 1, workPoolName: 'resolver-pool' });
    expect(await newPool('resolver-pool')).toBeNull();
  });

  it('resolves pool + queue by creating the queue once, even when resolvers race', async () => {
    const results = await Promise.all([1, 2, 3].map(() => resolve('resolver-pool', 'gpu')));
    const ids = new Set(results.map((r) => (r as ResolvedWorkQueue).workQueueId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => (r as ResolvedWorkQueue).createdQueue !== null)).toHaveLength(1);
    expect(results[0]).toMatchObject({ workQueueName: 'gpu', workPoolName: 'resolver-pool' });
    expect((await queues.getById([...ids][0]!))?.priority).toBe(2);
  });

  it('resolves a pool alone to its default queue and a missing pool to missingPool', async () => {
    const pool = await pools.getByName('resolver-pool');
    expect(await resolve('resolver-pool', null)).toMatchObject({
      workQueueId: pool!.defaultQueueId,
      workQueueName: 'default',
      createdQueue: null,
    });
    expect(await resolve('nope', 'q')).toEqual({ missingPool: 'nope' });
    expect(await resolve(null, null)).toBeNull();
  });

  it('puts a queue-only name into default-agent-pool, created on first use', async () => {
    const first = (await resolve(null, 'legacy-q')) as ResolvedWorkQueue;
    expect(first).toMatchObject({ workPoolName: 'default-agent-pool', workQueueName: 'legacy-q' });
    expect(first.createdPool).toMatchObject({ name: 'default-agent-pool', type: 'prefect-agent' });
    // A new legacy queue takes priority 1 and pushes the pool's default queue down.
    expect((await queues.getById(first.workQueueId))?.priority).toBe(1);
    const defaultQueue = await queues.getById(first.createdPool!.defaultQueueId!);
    expect(defaultQueue?.priority).toBe(2);
    const again = (await resolve(null, 'legacy-q')) as ResolvedWorkQueue;
    expect(again).toMatchObject({ workQueueId: first.workQueueId, createdPool: null, createdQueue: null });
  });

  it('takes the first free priority, and shifts others for an explicit one', async () => {
    const pool = (await newPool('priority-pool'))!;
    const make = (name: string, priority: number | null) =>
      db.dataSource.transaction((m) =>
        queues.create(m, pool.id, {
          name,
          description: null,
          isPaused: false,
          concurrencyLimit: null,
          priority,
        }),
      );
    await make('b', null); // 2
    await make('c', 5);
    await make('d', null); // 3 (first gap)
    await make('e', 2); // shifts b to 3, d to 4
    const listed = await queues.listInPool(pool.id, { limit: 200, offset: 0 });
    expect(listed.map((q) => [q.name, q.priority])).toEqual([
      ['default', 1],
      ['e', 2],
      ['b', 3],
      ['d', 4],
      ['c', 5],
    ]);
  });
});

describe('shiftPriorities', () => {
  it('keeps the order of the others and changes as little as possible', () => {
    const queues = [
      { id: 'a', priority: 1 },
      { id: 'b', priority: 2 },
      { id: 'c', priority: 3 },
      { id: 'd', priority: 10 },
    ];
    expect(shiftPriorities(queues, new Map([['c', 1]]))).toEqual(
      new Map([
        ['c', 1],
        ['a', 2],
        ['b', 3],
      ]),
    );
    expect(shiftPriorities(queues, new Map([['a', 20]]))).toEqual(new Map([['a', 20]]));
  });
});
