import { type FlowRunCriteria, type FlowRunSort, Instant } from '@orrery/domain';
import { createTestDatabase, type LocalTestDatabase } from '../test-database.fixture';
import { explainFlowRunListQuery, summarizePlan } from './flow-run-list.explain';

/**
 * The run list must stay on indexes at scale: 10 000 flow runs, then the plans of the default list
 * and of the UI's state-type + tags + start-time-range filter. Plans, not timings, are asserted
 * (timings belong to the benchmarks, which print `explainFlowRunListQuery`'s text).
 */
describe('flow-run list plans over 10 000 runs', () => {
  let db: LocalTestDatabase;
  const T0 = Date.UTC(2025, 0, 1);

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    await db.dataSource.query(
      `INSERT INTO flow (id, name) VALUES ('10000000-0000-4000-8000-000000000001', 'bulk')`,
    );
    // Runs one minute apart over ~7 days, cycling through every state type; a third tagged prod.
    await db.dataSource.query(
      `INSERT INTO flow_run (name, flow_id, state_type, state_name, tags, expected_start_time, start_time, end_time)
       SELECT 'run-' || i,
              '10000000-0000-4000-8000-000000000001',
              (enum_range(NULL::state_type))[1 + i % 9],
              'state-' || (i % 9),
              CASE i % 3 WHEN 0 THEN '["prod", "etl"]'::jsonb WHEN 1 THEN '["dev"]'::jsonb ELSE '[]'::jsonb END,
              $1::timestamptz + make_interval(mins => i),
              CASE WHEN i % 4 = 0 THEN NULL ELSE $1::timestamptz + make_interval(mins => i, secs => 30) END,
              CASE WHEN i % 2 = 0 THEN $1::timestamptz + make_interval(mins => i + 5) END
       FROM generate_series(1, 10000) AS i`,
      [new Date(T0).toISOString()],
    );
    await db.dataSource.query('ANALYZE flow_run');
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function plan(
    criteria: FlowRunCriteria,
    sort: FlowRunSort = 'ID_DESC',
  ): Promise<ReturnType<typeof summarizePlan>> {
    const text = await explainFlowRunListQuery(db.dataSource, { ...criteria, sort, limit: 200, offset: 0 });
    return summarizePlan(text);
  }
  const onFlowRun = (nodes: ReturnType<typeof summarizePlan>): ReturnType<typeof summarizePlan> =>
    nodes.filter(
      (n) =>
        n.relation === 'flow_run' || (n.index ?? '').startsWith('ix_flow_run') || n.index === 'pk_flow_run',
    );

  it('has the 10 000 rows', async () => {
    expect(await db.dataSource.query('SELECT count(*)::int AS n FROM flow_run')).toEqual([{ n: 10000 }]);
  });

  it('the default list (ID_DESC, limit 200) walks pk_flow_run backwards', async () => {
    const nodes = await plan({});
    expect(nodes.some((n) => n.nodeType === 'Seq Scan' && n.relation === 'flow_run')).toBe(false);
    expect(onFlowRun(nodes)).toContainEqual(expect.objectContaining({ index: 'pk_flow_run' }));
  });

  it('state type + tags + start-time range uses an index, never a sequential scan of flow_run', async () => {
    const criteria: FlowRunCriteria = {
      flow_runs: {
        state: { type: { any_: ['COMPLETED', 'FAILED'] } },
        tags: { all_: ['prod'] },
        start_time: {
          after_: Instant.fromEpochMillis(T0 + 3 * 24 * 3_600_000),
          before_: Instant.fromEpochMillis(T0 + 4 * 24 * 3_600_000),
        },
      },
    };
    for (const sort of ['ID_DESC', 'START_TIME_DESC'] as const) {
      const nodes = await plan(criteria, sort);
      expect(nodes.some((n) => n.nodeType === 'Seq Scan' && n.relation === 'flow_run')).toBe(false);
      const indexes = onFlowRun(nodes)
        .map((n) => n.index)
        .filter((i): i is string => i !== null);
      expect(indexes.length).toBeGreaterThan(0);
      expect(
        indexes.some(
          (i) =>
            i.startsWith('ix_flow_run__coalesce_start_expected_desc_id') || i === 'ix_flow_run__state_type',
        ),
      ).toBe(true);
    }
  });

  it('explain text is printable JSON (for the benchmark)', async () => {
    const text = await explainFlowRunListQuery(
      db.dataSource,
      { flow_runs: { name: { like_: 'run-99' } }, sort: 'START_TIME_DESC', limit: 200, offset: 0 },
      { analyze: true },
    );
    const nodes = summarizePlan(text);
    expect(nodes.length).toBeGreaterThan(0);
    expect(text).toContain('"Actual Rows"');
  });
});
