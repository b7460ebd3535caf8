import { randomUUID } from 'node:crypto';
import { summarizePlan } from '../filters/flow-run-list.explain';
import { createTestDatabase, type LocalTestDatabase } from '../test-database.fixture';
import { TASK_RUN_RECORD_SQL } from './task-run-recorder.repository';

/**
 * The recorder's batch must not grow with the task_run table: its natural-key remap probes
 * uq_task_run__flow_run_id_task_key_dynamic_key once per incoming run. (A plain join let the planner
 * hash-join a sequential scan of task_run into every batch.) Plans, not timings, are asserted.
 */
describe('task-run recorder batch plan over 9 000 task runs', () => {
  let db: LocalTestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    await db.dataSource.query(`INSERT INTO flow (name) VALUES ('plan')`);
    await db.dataSource.query(
      `INSERT INTO flow_run (name, flow_id) SELECT 'r' || i, (SELECT id FROM flow) FROM generate_series(1, 3000) i`,
    );
    await db.dataSource.query(
      `INSERT INTO task_run (flow_run_id, name, task_key, dynamic_key)
       SELECT fr.id, 't', 'task-' || k, '0' FROM flow_run fr, generate_series(0, 2) k`,
    );
    await db.dataSource.query('ANALYZE');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('remaps by index probes, never by a sequential scan of task_run', async () => {
    const flowRuns = (await db.dataSource.query(`SELECT id FROM flow_run LIMIT 10`)) as { id: string }[];
    const now = new Date().toISOString();
    const runs = flowRuns.flatMap(({ id: flowRunId }) =>
      [0, 1].map((k) => ({
        id: randomUUID(),
        flow_run_id: flowRunId,
        name: 't',
        task_key: `task-${k}`,
        dynamic_key: '0',
        state_id: randomUUID(),
        state_type: 'COMPLETED',
        state_name: 'Completed',
        state_timestamp: now,
      })),
    );
    const states = runs.map((r) => ({
      id: r.state_id,
      task_run_id: r.id,
      type: 'COMPLETED',
      name: 'Completed',
      timestamp: now,
    }));
    const [row] = (await db.dataSource.query(`EXPLAIN (FORMAT JSON) ${TASK_RUN_RECORD_SQL}`, [
      JSON.stringify(runs),
      JSON.stringify(states),
    ])) as { 'QUERY PLAN': unknown }[];
    const plan = row!['QUERY PLAN'];
    const nodes = summarizePlan(typeof plan === 'string' ? plan : JSON.stringify(plan));
    expect(nodes.filter((n) => n.nodeType === 'Seq Scan' && n.relation === 'task_run')).toEqual([]);
    expect(nodes.map((n) => n.index)).toContain('uq_task_run__flow_run_id_task_key_dynamic_key');
  });
});
