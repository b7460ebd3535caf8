import { Instant, type StateType } from '@orrery/domain';
import { DatabaseMigrator } from '../database-migrator';
import { createPgliteTestDatabase, type LocalTestDatabase } from '../test-database.fixture';
import { at, idOf, labelOf, seedFiltersDataset } from './filters-dataset.fixture';
import { flowRunListQuery } from './flow-run-list.query';
import { blockDocumentListQuery, logListQuery, taskRunListQuery, workerListQuery } from './list.queries';
import type { SqlFragment } from './sql-parameters';

// The same statements must run on embedded PGlite (decision 3): one of each operator and cast
// kind (uuid[]/text[]/enum[] ANY, jsonb @> and ?|, timestamptz bounds, EXISTS, the text search).
describe('filter statements on PGlite', () => {
  let db: LocalTestDatabase;
  const states = (...types: StateType[]): StateType[] => types;

  beforeAll(async () => {
    const flags = `${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`;
    if (!flags.includes('--experimental-vm-modules')) {
      throw new Error(
        'PGlite under Jest needs NODE_OPTIONS=--experimental-vm-modules (see libs/persistence/README.md)',
      );
    }
    db = await createPgliteTestDatabase();
    await new DatabaseMigrator(db.dataSource).upgrade();
    await seedFiltersDataset(db.dataSource);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  async function labels(query: SqlFragment): Promise<string[]> {
    const rows: Array<{ id: string }> = await db.dataSource.query(query.sql, query.params);
    return rows.map((r) => labelOf(r.id));
  }
  const W = { limit: 200, offset: 0 };

  it('flow runs: every leaf kind and cross-object EXISTS', async () => {
    const runs = (criteria: Parameters<typeof flowRunListQuery>[0]): Promise<string[]> =>
      labels(flowRunListQuery(criteria));
    expect(
      await runs({
        flow_runs: {
          state: { type: { any_: states('COMPLETED', 'FAILED', 'CANCELLED') } },
          tags: { any_: ['prod', 'etl'] },
          start_time: { after_: Instant.parse(at(0)), before_: Instant.parse(at(6)) },
          id: { not_any_: [idOf('R2')] },
        },
        work_pools: { name: { any_: ['k8s-pool'] } },
        sort: 'START_TIME_DESC',
        ...W,
      }),
    ).toEqual(['R6', 'R1']);
    expect(await runs({ flow_runs: { tags: { all_: ['prod', 'etl'] } }, sort: 'ID_DESC', ...W })).toEqual([
      'R1',
    ]);
    expect(
      await runs({
        flow_runs: { created_by: { type_: ['AUTOMATION'] }, name: { like_: 'LYNX' } },
        sort: 'ID_DESC',
        ...W,
      }),
    ).toEqual(['R3']);
    expect(
      await runs({ flow_runs: { parent_flow_run_id: { any_: [idOf('R1')] } }, sort: 'ID_DESC', ...W }),
    ).toEqual(['R5']);
  });

  it('task runs, workers, logs and block documents', async () => {
    expect(
      await labels(
        taskRunListQuery({ task_runs: { subflow_runs: { exists_: false } }, sort: 'NAME_ASC', ...W }),
      ),
    ).toEqual(['TR4', 'TR1', 'TR3']);
    expect(
      await labels(workerListQuery(idOf('P1'), { workers: { status: { any_: ['ONLINE'] } }, ...W })),
    ).toEqual(['W1']);
    expect(
      await labels(
        logListQuery({ logs: { text: { query: 'prefect -task_runs' } }, sort: 'TIMESTAMP_ASC', ...W }),
      ),
    ).toEqual(['L2']);
    expect(await labels(blockDocumentListQuery({ sort: 'NAME_ASC', ...W }))).toEqual(['BD3', 'BD1']);
  });
});
