import { Instant, type StateType } from '@orrery/domain';
import { createTestDatabase, type LocalTestDatabase } from '../test-database.fixture';
import { at, idOf, labelOf, seedFiltersDataset } from './filters-dataset.fixture';
import {
  artifactCollectionListQuery,
  artifactCountQuery,
  artifactListQuery,
  automationCountQuery,
  automationListQuery,
  blockDocumentCountQuery,
  blockDocumentListQuery,
  blockSchemaListQuery,
  blockTypeListQuery,
  deploymentCountQuery,
  deploymentListQuery,
  flowCountQuery,
  flowListQuery,
  logListQuery,
  taskRunCountQuery,
  taskRunListQuery,
  variableCountQuery,
  variableListQuery,
  workerListQuery,
  workPoolCountQuery,
  workPoolListQuery,
  workQueueInPoolListQuery,
  workQueueListQuery,
} from './list.queries';
import type { SqlFragment } from './sql-parameters';

const ids = (...labels: string[]): string[] => labels.map(idOf);
const t = (hours: number): Instant => Instant.parse(at(hours));
const states = (...types: StateType[]): StateType[] => types;
const W = { limit: 200, offset: 0 };

describe('flow, task-run, deployment, log, artifact, variable, work-pool and block filters on PostgreSQL', () => {
  let db: LocalTestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    await seedFiltersDataset(db.dataSource);
  });

  afterAll(async () => {
    await db?.drop();
  });

  /** Labels of the returned rows, in order. */
  async function labels(query: SqlFragment): Promise<string[]> {
    const rows: Array<{ id: string }> = await db.dataSource.query(query.sql, query.params);
    return rows.map((r) => labelOf(r.id));
  }
  async function counted(query: SqlFragment): Promise<number> {
    const rows: Array<{ count: number }> = await db.dataSource.query(query.sql, query.params);
    return rows[0]!.count;
  }

  describe('flows', () => {
    it('own filter: deployment{is_null_}, tags, name like_ (literal _ and %)', async () => {
      const flows = (f: Parameters<typeof flowListQuery>[0]['flows']): Promise<string[]> =>
        labels(flowListQuery({ flows: f, sort: 'NAME_ASC', ...W }));
      expect(await flows(undefined)).toEqual(['F1', 'F2', 'F3']);
      expect(await flows({ deployment: { is_null_: false } })).toEqual(['F1', 'F2']);
      expect(await flows({ deployment: { is_null_: true } })).toEqual(['F3']);
      expect(await flows({ tags: { is_null_: true } })).toEqual(['F2']);
      expect(await flows({ tags: { all_: ['prod'] } })).toEqual(['F1', 'F3']);
      expect(await flows({ name: { like_: '_' } })).toEqual(['F2']);
      expect(await flows({ name: { like_: 'REPORT%' } })).toEqual(['F3']);
      expect(await flows({ operator: 'or_', name: { any_: ['ml_train'] }, tags: { all_: ['etl'] } })).toEqual(
        ['F1', 'F2'],
      );
      expect(await flows({ id: { not_any_: ids('F1') } })).toEqual(['F2', 'F3']);
    });

    it('cross-object: deployments, work pools, flow runs and task runs', async () => {
      const flows = (
        c: Omit<Parameters<typeof flowListQuery>[0], 'sort' | 'limit' | 'offset'>,
      ): Promise<string[]> => labels(flowListQuery({ ...c, sort: 'NAME_ASC', ...W }));
      expect(await flows({ deployments: { paused: { eq_: false } } })).toEqual(['F1']);
      expect(await flows({ work_pools: { type: { any_: ['process'] } } })).toEqual(['F2']);
      expect(await flows({ flow_runs: { state: { type: { any_: states('CANCELLED') } } } })).toEqual(['F1']);
      expect(await flows({ flow_runs: { tags: { is_null_: true } } })).toEqual(['F2', 'F3']);
      expect(await flows({ task_runs: { tags: { all_: ['gpu'] } } })).toEqual(['F2']);
      expect(await counted(flowCountQuery({ flow_runs: {} }))).toBe(3);
    });

    it('sorts', async () => {
      expect(await labels(flowListQuery({ sort: 'CREATED_DESC', ...W }))).toEqual(['F3', 'F2', 'F1']);
      expect(await labels(flowListQuery({ sort: 'NAME_DESC', ...W }))).toEqual(['F3', 'F2', 'F1']);
    });
  });

  describe('task runs', () => {
    const tasks = (
      c: Omit<Parameters<typeof taskRunListQuery>[0], 'sort' | 'limit' | 'offset'>,
    ): Promise<string[]> => labels(taskRunListQuery({ ...c, sort: 'ID_DESC', ...W })).then((l) => l.sort());

    it('flow_run_id: is_null_ defaults to false (Prefect), explicit true, any_', async () => {
      expect(await tasks({})).toEqual(['TR1', 'TR2', 'TR3', 'TR4']);
      expect(await tasks({ task_runs: { flow_run_id: {} } })).toEqual(['TR1', 'TR2', 'TR3']);
      expect(await tasks({ task_runs: { flow_run_id: { is_null_: true } } })).toEqual(['TR4']);
      expect(await tasks({ task_runs: { flow_run_id: { any_: ids('R3') } } })).toEqual(['TR3']);
      expect(await tasks({ task_runs: { flow_run_id: { any_: ids('R3'), is_null_: null } } })).toEqual([
        'TR3',
      ]);
      expect(await tasks({ task_runs: { flow_run_id: { any_: [] } } })).toEqual([]);
    });

    it('subflow_runs, state, tags, times, name', async () => {
      expect(await tasks({ task_runs: { subflow_runs: { exists_: true } } })).toEqual(['TR2']);
      expect(await tasks({ task_runs: { subflow_runs: { exists_: false } } })).toEqual(['TR1', 'TR3', 'TR4']);
      expect(await tasks({ task_runs: { state: { type: { any_: states('RUNNING', 'PENDING') } } } })).toEqual(
        ['TR3', 'TR4'],
      );
      expect(await tasks({ task_runs: { state: { name: { any_: ['Completed'] } } } })).toEqual([
        'TR1',
        'TR2',
      ]);
      expect(await tasks({ task_runs: { tags: { all_: ['io'] } } })).toEqual(['TR1', 'TR3']);
      expect(await tasks({ task_runs: { tags: { is_null_: true } } })).toEqual(['TR2', 'TR4']);
      expect(await tasks({ task_runs: { start_time: { after_: t(1.25) } } })).toEqual(['TR2', 'TR3']);
      expect(await tasks({ task_runs: { start_time: { is_null_: true } } })).toEqual(['TR4']);
      expect(await tasks({ task_runs: { end_time: { before_: t(1.5) } } })).toEqual(['TR1']);
      expect(await tasks({ task_runs: { expected_start_time: { after_: t(2) } } })).toEqual(['TR3']);
      expect(await tasks({ task_runs: { name: { like_: 'TRAIN' } } })).toEqual(['TR3']);
    });

    it('cross-object through the flow run (including the id-only shortcut)', async () => {
      expect(await tasks({ flow_runs: { id: { any_: ids('R1') } } })).toEqual(['TR1', 'TR2']);
      expect(await tasks({ flow_runs: {} })).toEqual(['TR1', 'TR2', 'TR3']);
      expect(
        await tasks({ flow_runs: { id: { any_: ids('R1') } }, flows: { name: { any_: ['ml_train'] } } }),
      ).toEqual([]);
      expect(await tasks({ flows: { name: { any_: ['etl-pipeline'] } } })).toEqual(['TR1', 'TR2']);
      expect(await tasks({ deployments: { name: { any_: ['adhoc'] } } })).toEqual(['TR3']);
      expect(await tasks({ work_pools: { name: { any_: ['k8s-pool'] } } })).toEqual(['TR1', 'TR2']);
      expect(await tasks({ work_pool_queues: { name: { any_: ['default'] } } })).toEqual([
        'TR1',
        'TR2',
        'TR3',
      ]);
      expect(
        await counted(taskRunCountQuery({ flow_runs: { state: { type: { any_: states('RUNNING') } } } })),
      ).toBe(1);
    });

    it('sorts', async () => {
      const sorted = (sort: Parameters<typeof taskRunListQuery>[0]['sort']): Promise<string[]> =>
        labels(taskRunListQuery({ sort, ...W }));
      expect(await sorted('ID_DESC')).toEqual(['TR4', 'TR3', 'TR2', 'TR1']);
      expect(await sorted('NAME_ASC')).toEqual(['TR4', 'TR1', 'TR2', 'TR3']);
      expect(await sorted('END_TIME_DESC')).toEqual(['TR4', 'TR3', 'TR2', 'TR1']);
      expect(await sorted('EXPECTED_START_TIME_ASC')).toEqual(['TR1', 'TR2', 'TR3', 'TR4']);
    });
  });

  describe('deployments', () => {
    const deployments = (
      c: Omit<Parameters<typeof deploymentListQuery>[0], 'sort' | 'limit' | 'offset'>,
    ): Promise<string[]> => labels(deploymentListQuery({ ...c, sort: 'NAME_ASC', ...W }));

    it('own filter', async () => {
      expect(await deployments({})).toEqual(['D2', 'D1']);
      expect(await deployments({ deployments: { flow_or_deployment_name: { like_: 'ML_' } } })).toEqual([
        'D2',
      ]);
      expect(await deployments({ deployments: { flow_or_deployment_name: { like_: 'night' } } })).toEqual([
        'D1',
      ]);
      expect(await deployments({ deployments: { tags: { any_: ['prod'] } } })).toEqual(['D1']);
      expect(await deployments({ deployments: { tags: { is_null_: true } } })).toEqual(['D2']);
      expect(await deployments({ deployments: { paused: { eq_: true } } })).toEqual(['D2']);
      expect(await deployments({ deployments: { work_queue_name: { any_: ['default'] } } })).toEqual([
        'D2',
        'D1',
      ]);
      expect(await deployments({ deployments: { id: { not_any_: ids('D1') } } })).toEqual(['D2']);
      // Deprecated and ignored by Prefect.
      expect(await deployments({ deployments: { concurrency_limit: { ge_: 5 } } })).toEqual(['D2', 'D1']);
    });

    it('cross-object: flows, runs (one run must match both run filters), pools and queues', async () => {
      expect(await deployments({ flows: { name: { any_: ['ml_train'] } } })).toEqual(['D2']);
      expect(await deployments({ flow_runs: { state: { type: { any_: states('FAILED') } } } })).toEqual([
        'D1',
      ]);
      expect(await deployments({ task_runs: { tags: { all_: ['gpu'] } } })).toEqual(['D2']);
      expect(
        await deployments({
          flow_runs: { state: { type: { any_: states('COMPLETED') } } },
          task_runs: { tags: { all_: ['gpu'] } },
        }),
      ).toEqual([]);
      expect(await deployments({ work_pools: { name: { any_: ['proc-pool'] } } })).toEqual(['D2']);
      expect(await deployments({ work_pool_queues: { name: { startswith_: ['DEF'] } } })).toEqual([
        'D2',
        'D1',
      ]);
      expect(
        await deployments({
          work_pool_queues: { name: { any_: ['default'] } },
          work_pools: { name: { any_: ['k8s-pool'] } },
        }),
      ).toEqual(['D1']);
      expect(await counted(deploymentCountQuery({ work_pools: {} }))).toBe(2);
    });

    it('sorts', async () => {
      const sorted = (sort: Parameters<typeof deploymentListQuery>[0]['sort']): Promise<string[]> =>
        labels(deploymentListQuery({ sort, ...W }));
      expect(await sorted('CREATED_DESC')).toEqual(['D2', 'D1']);
      expect(await sorted('UPDATED_DESC')).toEqual(['D1', 'D2']);
      expect(await sorted('NAME_DESC')).toEqual(['D1', 'D2']);
    });
  });

  describe('logs', () => {
    const logs = (f: Parameters<typeof logListQuery>[0]['logs']): Promise<string[]> =>
      labels(logListQuery({ logs: f, sort: 'TIMESTAMP_ASC', ...W }));

    it('level, timestamp, run ids and sorts', async () => {
      expect(await logs(undefined)).toEqual(['L1', 'L2', 'L3', 'L4']);
      expect(await labels(logListQuery({ sort: 'TIMESTAMP_DESC', ...W }))).toEqual(['L4', 'L3', 'L2', 'L1']);
      expect(await logs({ level: { ge_: 30 } })).toEqual(['L2', 'L4']);
      expect(await logs({ level: { ge_: 20, le_: 30 } })).toEqual(['L1', 'L4']);
      expect(await logs({ timestamp: { after_: t(5) } })).toEqual(['L3', 'L4']);
      expect(await logs({ timestamp: { before_: t(1.11) } })).toEqual(['L1']);
      expect(await logs({ flow_run_id: { any_: ids('R3') } })).toEqual(['L3', 'L4']);
      expect(await logs({ task_run_id: { is_null_: true } })).toEqual(['L2', 'L4']);
      expect(await logs({ task_run_id: { any_: ids('TR1') } })).toEqual(['L1']);
      expect(await labels(logListQuery({ sort: 'TIMESTAMP_ASC', limit: 2, offset: 1 }))).toEqual([
        'L2',
        'L3',
      ]);
    });

    it.each<[string, string[]]>([
      ['timeout', ['L2']],
      ['TIMEOUT epoch', ['L2', 'L4']],
      ['-debug', ['L1', 'L2', 'L4']],
      ['prefect -task_runs', ['L2']],
      ['!prefect', ['L4']],
      ['+gpu +memory', ['L3']],
      ['+gpu +epoch', []],
      ['"slow epoch"', ['L4']],
      ['"epoch slow"', []],
      ['80%', ['L3']],
      ['%', ['L3']],
      ['trainer', ['L4']],
      ['db -"after 30s"', ['L1']],
      ['   ', ['L1', 'L2', 'L3', 'L4']],
    ])('text query %j', async (query, expected) => {
      expect(await logs({ text: { query } })).toEqual(expected);
    });

    it('text groups join an or_ LogFilter as alternatives of their own', async () => {
      expect(await logs({ operator: 'or_', level: { ge_: 40 }, text: { query: 'gpu' } })).toEqual([
        'L2',
        'L3',
      ]);
      expect(await logs({ operator: 'or_', flow_run_id: { any_: [] }, text: { query: '' } })).toEqual([]);
    });
  });

  describe('artifacts', () => {
    const artifacts = (
      c: Omit<Parameters<typeof artifactListQuery>[0], 'sort' | 'limit' | 'offset'>,
    ): Promise<string[]> => labels(artifactListQuery({ ...c, sort: 'ID_DESC', ...W }));

    it('own filter, cross-object filters, sorts and count', async () => {
      expect(await artifacts({})).toEqual(['A3', 'A2', 'A1']);
      expect(await artifacts({ artifacts: { key: { exists_: true } } })).toEqual(['A3', 'A1']);
      expect(await artifacts({ artifacts: { key: { exists_: false } } })).toEqual(['A2']);
      expect(await artifacts({ artifacts: { key: { like_: 'REP' } } })).toEqual(['A3', 'A1']);
      expect(
        await artifacts({ artifacts: { key: { any_: ['report'] }, flow_run_id: { any_: ids('R6') } } }),
      ).toEqual(['A3']);
      expect(await artifacts({ artifacts: { type: { not_any_: ['markdown'] } } })).toEqual(['A2']);
      expect(await artifacts({ artifacts: { task_run_id: { any_: ids('TR1') } } })).toEqual(['A1']);
      expect(await artifacts({ artifacts: { id: { any_: ids('A2') } } })).toEqual(['A2']);
      expect(await artifacts({ flows: { name: { any_: ['etl-pipeline'] } } })).toEqual(['A3', 'A1']);
      expect(await artifacts({ flow_runs: { state: { type: { any_: states('CANCELLED') } } } })).toEqual([
        'A3',
      ]);
      expect(await artifacts({ deployments: { name: { any_: ['adhoc'] } } })).toEqual(['A2']);
      expect(await artifacts({ task_runs: { name: { any_: ['extract-1'] } } })).toEqual(['A1']);
      expect(await labels(artifactListQuery({ sort: 'KEY_ASC', ...W }))).toEqual(['A1', 'A3', 'A2']);
      expect(await labels(artifactListQuery({ sort: 'CREATED_DESC', ...W }))).toEqual(['A3', 'A2', 'A1']);
      expect(await counted(artifactCountQuery({ artifacts: { type: { any_: ['markdown'] } } }))).toBe(2);
    });

    it('latest artifacts (artifact_collection)', async () => {
      const latest = (
        c: Omit<Parameters<typeof artifactCollectionListQuery>[0], 'sort' | 'limit' | 'offset'>,
      ): Promise<string[]> => labels(artifactCollectionListQuery({ ...c, sort: 'ID_DESC', ...W }));
      expect(await latest({})).toEqual(['AC1']);
      expect(await latest({ artifacts: { latest_id: { any_: ids('A3') } } })).toEqual(['AC1']);
      expect(await latest({ artifacts: { latest_id: { any_: ids('A1') } } })).toEqual([]);
      expect(await latest({ artifacts: { key: { exists_: true } } })).toEqual(['AC1']);
      expect(await latest({ flow_runs: { state: { type: { any_: states('COMPLETED') } } } })).toEqual([]);
      expect(await latest({ flow_runs: { state: { type: { any_: states('CANCELLED') } } } })).toEqual([
        'AC1',
      ]);
    });
  });

  it('variables: name like_, tags, id, sorts, count', async () => {
    const vars = (
      f: Parameters<typeof variableListQuery>[0]['variables'],
      sort: Parameters<typeof variableListQuery>[0]['sort'] = 'NAME_ASC',
    ): Promise<string[]> => labels(variableListQuery({ variables: f, sort, ...W }));
    expect(await vars(undefined)).toEqual(['V1', 'V2']);
    expect(await vars(undefined, 'NAME_DESC')).toEqual(['V2', 'V1']);
    expect(await vars(undefined, 'CREATED_DESC')).toEqual(['V2', 'V1']);
    expect(await vars(undefined, 'UPDATED_DESC')).toEqual(['V1', 'V2']);
    expect(await vars({ name: { like_: '_' } })).toEqual(['V1']);
    expect(await vars({ tags: { all_: ['prod'] } })).toEqual(['V1']);
    expect(await vars({ tags: { is_null_: true } })).toEqual(['V2']);
    expect(await vars({ id: { any_: ids('V2') } })).toEqual(['V2']);
    expect(await counted(variableCountQuery({ variables: { name: { any_: ['retries', 'nope'] } } }))).toBe(1);
  });

  it('work pools, queues (within a pool by priority; legacy by name) and workers', async () => {
    expect(await labels(workPoolListQuery({ ...W }))).toEqual(['P1', 'P2']);
    expect(await labels(workPoolListQuery({ work_pools: { type: { any_: ['kubernetes'] } }, ...W }))).toEqual(
      ['P1'],
    );
    expect(await labels(workPoolListQuery({ work_pools: { id: { any_: [] } }, ...W }))).toEqual([]);
    expect(await counted(workPoolCountQuery({ work_pools: { name: { any_: ['proc-pool'] } } }))).toBe(1);

    expect(await labels(workQueueInPoolListQuery(idOf('P1'), { ...W }))).toEqual(['Q1', 'Q2']);
    expect(
      await labels(
        workQueueInPoolListQuery(idOf('P1'), { work_queues: { name: { startswith_: ['HIGH', 'x'] } }, ...W }),
      ),
    ).toEqual(['Q2']);
    expect(
      await labels(
        workQueueInPoolListQuery(idOf('P1'), { work_queues: { name: { startswith_: [] } }, ...W }),
      ),
    ).toEqual(['Q1', 'Q2']);
    expect(await labels(workQueueListQuery({ work_queues: { name: { any_: ['default'] } }, ...W }))).toEqual([
      'Q1',
      'Q3',
    ]);
    expect(
      await labels(
        workQueueListQuery({
          work_queues: { operator: 'or_', id: { any_: ids('Q2') }, name: { any_: ['nope'] } },
          ...W,
        }),
      ),
    ).toEqual(['Q2']);

    expect(await labels(workerListQuery(idOf('P1'), { ...W }))).toEqual(['W1', 'W2']);
    expect(
      await labels(workerListQuery(idOf('P1'), { workers: { status: { any_: ['OFFLINE'] } }, ...W })),
    ).toEqual(['W2']);
    expect(
      await labels(workerListQuery(idOf('P1'), { workers: { status: { not_any_: ['OFFLINE'] } }, ...W })),
    ).toEqual(['W1']);
    expect(
      await labels(
        workerListQuery(idOf('P1'), { workers: { last_heartbeat_time: { after_: t(0.5) } }, ...W }),
      ),
    ).toEqual(['W1']);
    expect(await labels(workerListQuery(idOf('P2'), { ...W }))).toEqual([]);
  });

  describe('blocks', () => {
    const documents = (
      c: Omit<Parameters<typeof blockDocumentListQuery>[0], 'sort' | 'limit' | 'offset'>,
      sort: Parameters<typeof blockDocumentListQuery>[0]['sort'] = 'NAME_ASC',
    ): Promise<string[]> => labels(blockDocumentListQuery({ ...c, sort, ...W }));

    it('block documents: anonymous ones hidden unless asked for', async () => {
      expect(await documents({})).toEqual(['BD3', 'BD1']);
      expect(await documents({ block_documents: {} })).toEqual(['BD3', 'BD1']);
      expect(await documents({ block_documents: { name: { any_: ['anonymous-xyz'] } } })).toEqual([]);
      expect(await documents({ block_documents: { is_anonymous: null } })).toEqual(['BD2', 'BD3', 'BD1']);
      expect(await documents({ block_documents: { is_anonymous: {} } })).toEqual(['BD2', 'BD3', 'BD1']);
      expect(await documents({ block_documents: { is_anonymous: { eq_: true } } })).toEqual(['BD2']);
      expect(await documents({ block_documents: { name: { like_: 'CREDS' } } })).toEqual(['BD1']);
      expect(await documents({ block_documents: { block_type_id: { any_: ids('BT1') } } })).toEqual(['BD1']);
      expect(await documents({ block_types: { slug: { any_: ['secret'] } } })).toEqual(['BD3']);
      expect(await documents({ block_schemas: { block_capabilities: { all_: ['write-path'] } } })).toEqual([
        'BD3',
      ]);
      expect(await documents({ block_documents: { is_anonymous: null } }, 'BLOCK_TYPE_AND_NAME_ASC')).toEqual(
        ['BD2', 'BD1', 'BD3'],
      );
      expect(await documents({}, 'NAME_DESC')).toEqual(['BD1', 'BD3']);
      expect(await counted(blockDocumentCountQuery({}))).toBe(2);
    });

    it('block types and block schemas', async () => {
      expect(await labels(blockTypeListQuery({ ...W }))).toEqual(['BT1', 'BT2']);
      expect(await labels(blockTypeListQuery({ block_types: { name: { like_: 'secr' } }, ...W }))).toEqual([
        'BT2',
      ]);
      expect(await labels(blockTypeListQuery({ block_types: { slug: { any_: [] } }, ...W }))).toEqual([]);
      expect(
        await labels(
          blockTypeListQuery({ block_schemas: { block_capabilities: { all_: ['read-path'] } }, ...W }),
        ),
      ).toEqual(['BT2']);
      expect(await labels(blockSchemaListQuery({ ...W }))).toEqual(['BS2', 'BS1']);
      expect(
        await labels(blockSchemaListQuery({ block_schemas: { version: { any_: ['1.0'] } }, ...W })),
      ).toEqual(['BS1']);
      expect(
        await labels(blockSchemaListQuery({ block_schemas: { block_type_id: { any_: ids('BT2') } }, ...W })),
      ).toEqual(['BS2']);
      expect(
        await labels(blockSchemaListQuery({ block_schemas: { block_capabilities: { all_: [] } }, ...W })),
      ).toEqual(['BS2', 'BS1']);
    });
  });

  it('automations: name, created before_, tags, sorts', async () => {
    await db.dataSource.query(
      `INSERT INTO automation (name, tags, trigger, actions, created, updated) VALUES
         ('alpha', '["ops"]', '{}', '[]', $1, $2), ('beta', '[]', '{}', '[]', $2, $1)`,
      [at(1), at(2)],
    );
    const names = async (q: SqlFragment): Promise<string[]> =>
      ((await db.dataSource.query(q.sql, q.params)) as Array<{ name: string }>).map((r) => r.name);
    expect(await names(automationListQuery({ sort: 'NAME_ASC', ...W }))).toEqual(['alpha', 'beta']);
    expect(await names(automationListQuery({ sort: 'CREATED_DESC', ...W }))).toEqual(['beta', 'alpha']);
    expect(await names(automationListQuery({ sort: 'UPDATED_DESC', ...W }))).toEqual(['alpha', 'beta']);
    expect(
      await names(
        automationListQuery({ automations: { created: { before_: t(1) } }, sort: 'NAME_ASC', ...W }),
      ),
    ).toEqual(['alpha']);
    expect(
      await names(automationListQuery({ automations: { tags: { any_: ['ops'] } }, sort: 'NAME_ASC', ...W })),
    ).toEqual(['alpha']);
    expect(await counted(automationCountQuery({ automations: { name: { any_: ['beta'] } } }))).toBe(1);
  });
});
