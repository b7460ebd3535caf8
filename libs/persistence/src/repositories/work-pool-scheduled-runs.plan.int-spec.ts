import { Instant } from '@orrery/domain';
import { summarizePlan } from '../filters/flow-run-list.explain';
import { createTestDatabase, type LocalTestDatabase } from '../test-database.fixture';
import { WorkPoolRepository } from './work-pool.repository';
import {
  scheduledRunsStatement,
  WorkPoolScheduledRunsRepository,
} from './work-pool-scheduled-runs.repository';

/**
 * The worker poll must stay on indexes at scale: 20 000 runs over 4 queues of one pool plus
 * another pool, 1 in 50 SCHEDULED. Plans, not timings, are asserted.
 */
describe('worker poll plan over 20 000 runs', () => {
  let db: LocalTestDatabase;
  let poolId: string;
  let queueIds: string[];

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    const pools = new WorkPoolRepository(db.dataSource);
    const create = (name: string) =>
      db.dataSource.transaction((m) =>
        pools.create(m, {
          name,
          description: null,
          type: 'process',
          baseJobTemplate: {},
          isPaused: false,
          concurrencyLimit: 5000,
          storageConfiguration: {},
        }),
      );
    const pool = (await create('plan-pool'))!;
    await create('other-pool');
    poolId = pool.id;
    await db.dataSource.query(
      `INSERT INTO work_queue (name, priority, work_pool_id, concurrency_limit)
       SELECT 'q' || i, i + 1, $1, CASE WHEN i = 1 THEN 10 END FROM generate_series(1, 3) AS i`,
      [poolId],
    );
    queueIds = (
      (await db.dataSource.query(`SELECT id FROM work_queue WHERE work_pool_id = $1`, [poolId])) as {
        id: string;
      }[]
    ).map((r) => r.id);
    await db.dataSource.query(
      `INSERT INTO flow (id, name) VALUES ('20000000-0000-4000-8000-000000000001', 'poll')`,
    );
    await db.dataSource.query(
      `INSERT INTO flow_run (name, flow_id, state_type, work_queue_id, next_scheduled_start_time)
       SELECT 'run-' || i, '20000000-0000-4000-8000-000000000001',
              CASE WHEN i % 50 = 0 THEN 'SCHEDULED' WHEN i % 7 = 0 THEN 'RUNNING' ELSE 'COMPLETED' END::state_type,
              (SELECT id FROM work_queue ORDER BY id OFFSET i % 6 LIMIT 1),
              now() - make_interval(secs => i)
       FROM generate_series(1, 20000) AS i`,
    );
    await db.dataSource.query('ANALYZE flow_run');
    await db.dataSource.query('ANALYZE work_queue');
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('reads flow_run only through indexes and still returns the runs', async () => {
    const query = {
      workPoolId: poolId,
      workQueueIds: queueIds,
      scheduledBefore: Instant.now().plusSeconds(10),
      scheduledAfter: null,
      limit: 200,
    };
    const { sql, params } = scheduledRunsStatement(query);
    const rows = (await db.dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)) as Array<{
      'QUERY PLAN': unknown;
    }>;
    const plan = rows[0]!['QUERY PLAN'];
    const nodes = summarizePlan(typeof plan === 'string' ? plan : JSON.stringify(plan));
    const onFlowRun = nodes.filter((n) => n.relation === 'flow_run');
    expect(onFlowRun.length).toBeGreaterThan(0);
    expect(onFlowRun.filter((n) => n.nodeType === 'Seq Scan')).toEqual([]);
    // Each queue's candidates come from the partial index of SCHEDULED runs in poll order.
    expect(onFlowRun.map((n) => n.index)).toContain('ix_flow_run__work_queue_id_scheduled_next_start');
    const picked = await new WorkPoolScheduledRunsRepository(db.dataSource).select(query);
    // The capped queue (limit 10) is full of RUNNING runs; the others fill the page.
    expect(picked).toHaveLength(200);
    const [{ id: capped }] = (await db.dataSource.query(`SELECT id FROM work_queue WHERE name = 'q1'`)) as [
      { id: string },
    ];
    expect(picked.filter((run) => run.workQueueId === capped)).toEqual([]);
  });
});
