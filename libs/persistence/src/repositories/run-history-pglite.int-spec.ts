import { Instant } from '@orrery/domain';
import { DatabaseMigrator } from '../database-migrator';
import { createPgliteTestDatabase, type LocalTestDatabase } from '../test-database.fixture';
import { FlowRunInputRepository } from './flow-run-input.repository';
import { LogRepository } from './log.repository';
import { RunHistoryRepository } from './run-history.repository';
import { UiFlowRunsRepository } from './ui-flow-runs.repository';
import { UiFlowsRepository } from './ui-flows.repository';
import { UiTaskRunsRepository } from './ui-task-runs.repository';

const FLOW = '01930000-0000-7000-8000-0000000000f1';
const RUN = '01930000-0000-7000-8000-000000000001';
const TASK = '01930000-0000-7000-8000-0000000000c1';

// The embedded server runs these read models on PGlite (decision 3): every statement once, with
// the casts and constructs it relies on (multi-row INSERT … RETURNING, generate_series with
// make_interval, LATERAL over unnest, FILTER, array-literal binds).
describe('log, input, history and UI statements on PGlite', () => {
  let db: LocalTestDatabase;

  beforeAll(async () => {
    const flags = `${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`;
    if (!flags.includes('--experimental-vm-modules')) {
      throw new Error(
        'PGlite under Jest needs NODE_OPTIONS=--experimental-vm-modules (see libs/persistence/README.md)',
      );
    }
    db = await createPgliteTestDatabase();
    await new DatabaseMigrator(db.dataSource).upgrade();
    await db.dataSource.query(`INSERT INTO flow (id, name) VALUES ($1, 'f')`, [FLOW]);
    await db.dataSource.query(
      `INSERT INTO flow_run (id, flow_id, name, state_type, state_name, expected_start_time, start_time,
         total_run_time, next_scheduled_start_time)
       VALUES ($1, $2, 'r', 'COMPLETED', 'Completed', '2026-01-01T00:10:00Z', '2026-01-01T00:11:00Z',
         interval '30 seconds', NULL),
         ('01930000-0000-7000-8000-000000000002', $2, 's', 'SCHEDULED', 'Scheduled', '2099-01-01T00:00:00Z',
         NULL, interval '0', '2099-01-01T00:00:00Z')`,
      [RUN, FLOW],
    );
    await db.dataSource.query(
      `INSERT INTO task_run (id, flow_run_id, name, task_key, dynamic_key, state_type, state_name,
         expected_start_time, start_time, total_run_time)
       VALUES ($1, $2, 't', 't', '0', 'FAILED', 'Failed', '2026-01-01T00:12:00Z', '2026-01-01T00:12:00Z', interval '2 seconds')`,
      [TASK, RUN],
    );
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('writes, lists and pages logs', async () => {
    const logs = new LogRepository(db.dataSource);
    const at = Instant.parse('2026-01-01T00:00:00.000001Z');
    const written = await logs.createMany(
      [0, 1, 2].map((i) => ({
        name: 'n',
        level: 20 + i,
        message: `m${i}`,
        timestamp: at,
        flow_run_id: RUN,
        task_run_id: i === 1 ? TASK : null,
      })),
      { returnRows: true },
    );
    expect(written.map((l) => l.message)).toEqual(['m0', 'm1', 'm2']);
    const listed = await logs.list({
      logs: { level: { ge_: 21 }, text: { query: 'm' } },
      sort: 'TIMESTAMP_DESC',
      limit: 10,
      offset: 0,
    });
    expect(listed.map((l) => l.level).sort()).toEqual([21, 22]);
    const first = await logs.pageOfRun(RUN, null, 2);
    const second = await logs.pageOfRun(RUN, first.next, 2);
    expect([...first.logs, ...second.logs].map((l) => l.message).sort()).toEqual(['m0', 'm1', 'm2']);
    expect(await logs.flowRunName(RUN)).toBe('r');
  });

  it('creates, filters, reads and deletes flow run inputs', async () => {
    const inputs = new FlowRunInputRepository(db.dataSource);
    expect(await inputs.create({ flowRunId: RUN, key: 'k-1', value: 'v', sender: null })).toBe('created');
    expect(await inputs.create({ flowRunId: RUN, key: 'k-1', value: 'v', sender: null })).toBe(
      'duplicate-key',
    );
    expect(await inputs.create({ flowRunId: TASK, key: 'k-1', value: 'v', sender: null })).toBe(
      'flow-run-not-found',
    );
    expect((await inputs.filter(RUN, { prefix: 'k-', limit: 5, excludeKeys: [] })).map((i) => i.key)).toEqual(
      ['k-1'],
    );
    expect((await inputs.read(RUN, 'k-1'))?.value).toBe('v');
    expect(await inputs.delete(RUN, 'k-1')).toBe(true);
    expect(await inputs.delete(RUN, 'k-1')).toBe(false);
  });

  it('computes history and lateness', async () => {
    const history = new RunHistoryRepository(db.dataSource);
    const window = {
      start: Instant.parse('2026-01-01T00:00:00Z'),
      end: Instant.parse('2026-01-01T01:00:00Z'),
      intervalSeconds: 1800,
    };
    const flows = await history.flowRunHistory({ flows: { id: { any_: [FLOW] } } }, window);
    expect(flows.map((i) => i.states)).toEqual([
      [
        {
          state_type: 'COMPLETED',
          state_name: 'Completed',
          count_runs: 1,
          sum_estimated_run_time: 30,
          sum_estimated_lateness: 60,
        },
      ],
      [],
    ]);
    const tasks = await history.taskRunHistory({ flow_runs: { id: { any_: [RUN] } } }, window);
    expect(tasks[0]!.states).toEqual([
      {
        state_type: 'FAILED',
        state_name: 'Failed',
        count_runs: 1,
        sum_estimated_run_time: 2,
        sum_estimated_lateness: 0,
      },
    ]);
    expect(await history.averageFlowRunLateness({ flow_runs: { id: { any_: [RUN] } } })).toBe(60);
  });

  it('answers the UI helpers', async () => {
    const flows = new UiFlowsRepository(db.dataSource);
    expect([...(await flows.countDeployments([FLOW])).entries()]).toEqual([]);
    expect((await flows.nextRuns([FLOW])).get(FLOW)?.name).toBe('s');
    const runs = new UiFlowRunsRepository(db.dataSource);
    const dots = await runs.history({
      flow_runs: { id: { any_: [RUN] } },
      sort: 'EXPECTED_START_TIME_DESC',
      limit: 5,
      offset: 0,
    });
    expect(dots.map((d) => [d.duration, d.lateness])).toEqual([[30, 60]]);
    expect((await runs.countTaskRuns([RUN])).get(RUN)).toBe(1);
    const tasks = new UiTaskRunsRepository(db.dataSource);
    const buckets = await tasks.dashboardCounts(
      { task_runs: { state: { type: { any_: ['FAILED', 'COMPLETED'] } } } },
      { start: Instant.parse('2026-01-01T00:00:00Z'), end: Instant.parse('2026-01-01T00:19:59.999999Z') },
    );
    expect(buckets[12]).toEqual({ completed: 0, failed: 1 });
    expect((await tasks.countByState({})).FAILED).toBe(1);
  });
});
