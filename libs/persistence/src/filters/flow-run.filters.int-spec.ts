import {
  type FlowRunCriteria,
  type FlowRunFilter,
  type FlowRunSort,
  Instant,
  type StateType,
} from '@orrery/domain';
import { createTestDatabase, type LocalTestDatabase } from '../test-database.fixture';
import { at, idOf, labelOf, seedFiltersDataset } from './filters-dataset.fixture';
import { compileFlowRunWhere, flowRunCountQuery, flowRunListQuery } from './flow-run-list.query';
import { arrayLiteral } from './sql-clause';

const ids = (...labels: string[]): string[] => labels.map(idOf);
const t = (hours: number): Instant => Instant.parse(at(hours));
const states = (...types: StateType[]): StateType[] => types;

describe('flow-run filters on PostgreSQL', () => {
  let db: LocalTestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    await seedFiltersDataset(db.dataSource);
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function list(
    criteria: FlowRunCriteria,
    sort: FlowRunSort = 'ID_DESC',
    limit = 200,
    offset = 0,
  ): Promise<string[]> {
    const { sql, params } = flowRunListQuery({ ...criteria, sort, limit, offset });
    const rows: Array<{ id: string }> = await db.dataSource.query(sql, params);
    return rows.map((r) => labelOf(r.id));
  }
  /** The matching runs as a sorted set of labels. */
  const runs = async (flow_runs: FlowRunFilter): Promise<string[]> => (await list({ flow_runs })).sort();
  const matching = async (criteria: FlowRunCriteria): Promise<string[]> => (await list(criteria)).sort();

  it('an absent or empty filter matches everything', async () => {
    expect(await list({})).toEqual(['R6', 'R5', 'R4', 'R3', 'R2', 'R1']);
    expect(await runs({})).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6']);
    expect(await runs({ operator: 'or_' })).toHaveLength(6);
  });

  it('id: any_ (empty matches nothing) and not_any_ (empty ignored)', async () => {
    expect(await runs({ id: { any_: ids('R1', 'R3') } })).toEqual(['R1', 'R3']);
    expect(await runs({ id: { any_: [] } })).toEqual([]);
    expect(await runs({ id: { not_any_: [] } })).toHaveLength(6);
    expect(await runs({ id: { not_any_: ids('R1') } })).toEqual(['R2', 'R3', 'R4', 'R5', 'R6']);
  });

  it('name: any_ exact, like_ case-insensitive with % and _ taken literally', async () => {
    expect(await runs({ name: { any_: ['brave-otter'] } })).toEqual(['R1']);
    expect(await runs({ name: { like_: 'OTTER' } })).toEqual(['R1']);
    expect(await runs({ name: { like_: '_' } })).toEqual(['R6']);
    expect(await runs({ name: { like_: '%' } })).toEqual(['R6']);
    expect(await runs({ name: { like_: '' } })).toHaveLength(6);
  });

  it('tags: all_, any_ (overlap), is_null_ (= []) and their operator', async () => {
    expect(await runs({ tags: { all_: ['prod', 'etl'] } })).toEqual(['R1']);
    expect(await runs({ tags: { all_: [] } })).toHaveLength(6);
    expect(await runs({ tags: { any_: ['etl', 'ml'] } })).toEqual(['R1', 'R3', 'R6']);
    expect(await runs({ tags: { any_: [] } })).toEqual([]);
    expect(await runs({ tags: { is_null_: true } })).toEqual(['R4', 'R5']);
    expect(await runs({ tags: { is_null_: false } })).toEqual(['R1', 'R2', 'R3', 'R6']);
    expect(await runs({ tags: { operator: 'or_', all_: ['ml'], is_null_: true } })).toEqual([
      'R3',
      'R4',
      'R5',
    ]);
  });

  it('deployment_id, work_queue_name, flow_version, idempotency_key', async () => {
    expect(await runs({ deployment_id: { any_: ids('D2') } })).toEqual(['R3']);
    expect(await runs({ deployment_id: { is_null_: true } })).toEqual(['R4', 'R5']);
    expect(await runs({ deployment_id: { operator: 'or_', any_: ids('D2'), is_null_: true } })).toEqual([
      'R3',
      'R4',
      'R5',
    ]);
    expect(await runs({ work_queue_name: { any_: ['High-Priority'] } })).toEqual(['R6']);
    expect(await runs({ work_queue_name: { is_null_: true } })).toEqual(['R4', 'R5']);
    expect(await runs({ flow_version: { any_: ['1.0', '1.1'] } })).toEqual(['R1', 'R2']);
    expect(await runs({ idempotency_key: { any_: ['k1'] } })).toEqual(['R1']);
    // As SQL NOT IN: runs without a key never match an exclusion.
    expect(await runs({ idempotency_key: { not_any_: ['k1'] } })).toEqual(['R3']);
  });

  it('state: type and name, any_ and not_any_, with an operator; empty sub-criteria are dropped', async () => {
    expect(await runs({ state: { type: { any_: states('COMPLETED', 'FAILED') } } })).toEqual([
      'R1',
      'R2',
      'R5',
    ]);
    expect(await runs({ state: { type: { not_any_: states('COMPLETED') } } })).toEqual([
      'R2',
      'R3',
      'R4',
      'R6',
    ]);
    expect(await runs({ state: { type: { any_: [] } } })).toEqual([]);
    expect(await runs({ state: { name: { any_: ['Late'] } } })).toEqual(['R4']);
    expect(await runs({ state: { name: { not_any_: ['Completed', 'Late'] } } })).toEqual(['R2', 'R3', 'R6']);
    expect(
      await runs({ state: { operator: 'or_', type: { any_: states('RUNNING') }, name: { any_: ['Late'] } } }),
    ).toEqual(['R3', 'R4']);
    expect(await runs({ state: { operator: 'or_', type: {}, name: { any_: ['Late'] } } })).toEqual(['R4']);
  });

  it('times: start_time on coalesce(start_time, expected_start_time), inclusive bounds, is_null_ on start_time', async () => {
    expect(await runs({ start_time: { after_: t(5) } })).toEqual(['R3', 'R4', 'R6']);
    expect(await runs({ start_time: { before_: t(3) } })).toEqual(['R1', 'R2', 'R5']);
    expect(await runs({ start_time: { after_: t(3), before_: t(6) } })).toEqual(['R2', 'R3', 'R6']);
    expect(await runs({ start_time: { is_null_: true } })).toEqual(['R2', 'R4']);
    expect(await runs({ start_time: { after_: Instant.parse('2025-01-01 05:00:00') } })).toEqual([
      'R3',
      'R4',
      'R6',
    ]);
    expect(await runs({ end_time: { before_: t(2) } })).toEqual(['R1', 'R5']);
    expect(await runs({ end_time: { is_null_: false } })).toEqual(['R1', 'R5', 'R6']);
    expect(await runs({ expected_start_time: { after_: t(4), before_: t(6) } })).toEqual(['R3', 'R6']);
    expect(await runs({ next_scheduled_start_time: { before_: t(20) } })).toEqual(['R4']);
    expect(await runs({ next_scheduled_start_time: { after_: t(11) } })).toEqual([]);
  });

  it('parent_flow_run_id finds subflows; parent_task_run_id matches the column', async () => {
    expect(await runs({ parent_flow_run_id: { any_: ids('R1') } })).toEqual(['R5']);
    expect(await runs({ parent_flow_run_id: { any_: ids('R3') } })).toEqual([]);
    expect(await runs({ parent_flow_run_id: { any_: [] } })).toEqual([]);
    expect(await runs({ parent_task_run_id: { any_: ids('TR2') } })).toEqual(['R5']);
    expect(await runs({ parent_task_run_id: { is_null_: false } })).toEqual(['R5']);
    expect(await runs({ parent_task_run_id: { is_null_: true } })).toEqual(['R1', 'R2', 'R3', 'R4', 'R6']);
  });

  it('created_by: id_ and type_ on the JSON, is_null_, operator', async () => {
    expect(await runs({ created_by: { id_: ids('D1') } })).toEqual(['R1']);
    expect(await runs({ created_by: { type_: ['AUTOMATION'] } })).toEqual(['R3']);
    expect(await runs({ created_by: { is_null_: true } })).toEqual(['R2', 'R4', 'R5', 'R6']);
    expect(await runs({ created_by: { operator: 'or_', type_: ['DEPLOYMENT'], id_: ids('A1') } })).toEqual([
      'R1',
      'R3',
    ]);
  });

  it('combines criteria with and_ by default, or_ when asked; a present empty criterion swallows an or_', async () => {
    expect(
      await runs({ tags: { any_: ['prod', 'etl'] }, state: { type: { not_any_: states('COMPLETED') } } }),
    ).toEqual(['R2', 'R6']);
    expect(
      await runs({ operator: 'or_', state: { type: { any_: states('RUNNING') } }, tags: { all_: ['etl'] } }),
    ).toEqual(['R1', 'R3', 'R6']);
    expect(await runs({ operator: 'or_', id: {}, name: { any_: ['nope'] } })).toHaveLength(6);
    expect(await runs({ operator: 'or_', id: { any_: [] }, name: { any_: ['calm-heron'] } })).toEqual(['R2']);
  });

  it('cross-object: flows, deployments, work pools, work queues and task runs through EXISTS', async () => {
    expect(await matching({ flows: { name: { any_: ['ml_train'] } } })).toEqual(['R3', 'R4']);
    expect(await matching({ flows: { tags: { all_: ['prod'] } } })).toEqual(['R1', 'R2', 'R5', 'R6']);
    expect(await matching({ flows: { deployment: { is_null_: true } } })).toEqual(['R5']);
    expect(await matching({ flows: { name: { like_: '%' } } })).toEqual(['R5']);
    // A present deployments filter needs a deployment, even when empty (as Prefect's EXISTS does).
    expect(await matching({ deployments: {} })).toEqual(['R1', 'R2', 'R3', 'R6']);
    expect(await matching({ deployments: { paused: { eq_: true } } })).toEqual(['R3']);
    expect(await matching({ deployments: { name: { like_: 'NIGHT' } } })).toEqual(['R1', 'R2', 'R6']);
    expect(await matching({ work_pools: { name: { any_: ['k8s-pool'] } } })).toEqual(['R1', 'R2', 'R6']);
    expect(await matching({ work_pools: { type: { any_: ['process'] } } })).toEqual(['R3']);
    expect(await matching({ work_pool_queues: { name: { startswith_: ['high'] } } })).toEqual(['R6']);
    expect(await matching({ work_pool_queues: { name: { any_: ['default'] } } })).toEqual(['R1', 'R2', 'R3']);
    expect(await matching({ task_runs: {} })).toEqual(['R1', 'R3']);
    expect(await matching({ task_runs: { tags: { all_: ['io'] } } })).toEqual(['R1', 'R3']);
    expect(await matching({ task_runs: { subflow_runs: { exists_: true } } })).toEqual(['R1']);
    expect(
      await matching({
        flows: { name: { any_: ['etl-pipeline'] } },
        work_pool_queues: { name: { any_: ['default'] } },
        flow_runs: { state: { type: { any_: states('FAILED') } } },
      }),
    ).toEqual(['R2']);
    expect(await matching({ flows: { id: { any_: [] } } })).toEqual([]);
  });

  it.each<[FlowRunSort, string[]]>([
    ['ID_DESC', ['R6', 'R5', 'R4', 'R3', 'R2', 'R1']],
    ['START_TIME_ASC', ['R1', 'R5', 'R2', 'R3', 'R6', 'R4']],
    ['START_TIME_DESC', ['R4', 'R6', 'R3', 'R2', 'R5', 'R1']],
    ['EXPECTED_START_TIME_ASC', ['R1', 'R5', 'R2', 'R3', 'R6', 'R4']],
    ['EXPECTED_START_TIME_DESC', ['R4', 'R6', 'R3', 'R2', 'R5', 'R1']],
    ['NAME_ASC', ['R1', 'R2', 'R3', 'R4', 'R5', 'R6']],
    ['NAME_DESC', ['R6', 'R5', 'R4', 'R3', 'R2', 'R1']],
    ['NEXT_SCHEDULED_START_TIME_ASC', ['R4', 'R1', 'R2', 'R3', 'R5', 'R6']],
    ['END_TIME_DESC', ['R4', 'R3', 'R2', 'R6', 'R1', 'R5']],
  ])('sort %s', async (sort, expected) => {
    expect(await list({}, sort)).toEqual(expected);
  });

  it('limit and offset window the sorted rows; count applies the same filters', async () => {
    expect(await list({}, 'ID_DESC', 2, 1)).toEqual(['R5', 'R4']);
    expect(await list({}, 'ID_DESC', 0, 0)).toEqual([]);
    expect(await list({}, 'ID_DESC', 200, 6)).toEqual([]);
    const { sql, params } = flowRunCountQuery({
      flow_runs: { state: { type: { any_: states('COMPLETED') } } },
    });
    expect(await db.dataSource.query(sql, params)).toEqual([{ count: 2 }]);
  });

  it('binds lists as array literals that PostgreSQL reads back exactly', async () => {
    const values = ['a', 'b c', 'say "hi"', 'back\\slash', 'NULL', '{x,y}', '', 'ünï'];
    expect(await db.dataSource.query('SELECT $1::text[] AS a', [arrayLiteral(values)])).toEqual([
      { a: values },
    ]);
    expect(await runs({ name: { any_: values }, tags: { any_: values } })).toEqual([]);
  });

  it('numbers parameters after a given offset, so the WHERE embeds in a larger statement', async () => {
    const where = compileFlowRunWhere({ flow_runs: { name: { any_: ['calm-heron'] } } }, 1);
    expect(where.sql).toContain('$2');
    expect(where.sql).not.toContain('$1');
    const rows: Array<{ id: string }> = await db.dataSource.query(
      `SELECT id FROM flow_run WHERE flow_id = $1 AND ${where.sql}`,
      [idOf('F1'), ...where.params],
    );
    expect(rows.map((r) => labelOf(r.id))).toEqual(['R2']);
  });
});
