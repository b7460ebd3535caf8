import { createTestDatabase, type LocalTestDatabase as TestDatabase } from '../test-database.fixture';
import { countRunsPerState } from './runs-per-state';

/** Seeds `flow_run` with the given number of runs per state type (one flow). */
async function seed(db: TestDatabase, perState: Record<string, number>): Promise<void> {
  const [{ id: flowId }] = (await db.dataSource.query(
    `INSERT INTO flow (id, name) VALUES (gen_random_uuid(), 'runs-per-state-' || gen_random_uuid()) RETURNING id`,
  )) as { id: string }[];
  for (const [type, n] of Object.entries(perState)) {
    await db.dataSource.query(
      `INSERT INTO flow_run (id, name, flow_id, state_type, state_name, state_timestamp, expected_start_time)
       SELECT gen_random_uuid(), 'seeded-' || g, $1, $2::state_type, 'Seeded', now(), now()
       FROM generate_series(1, $3) g`,
      [flowId, type, n],
    );
  }
}

describe('countRunsPerState on PostgreSQL', () => {
  let db: TestDatabase;
  const seeded = { COMPLETED: 3000, FAILED: 1000, RUNNING: 7, SCHEDULED: 11 };
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    await seed(db, seeded);
    await db.dataSource.query('ANALYZE flow_run');
  });
  afterAll(() => db.drop());

  it('counts every state type exactly on a small table, 0 for the empty ones', async () => {
    const { counts, estimated } = await countRunsPerState(db.dataSource, 'flow_run');
    expect(estimated).toBe(false);
    expect(Object.fromEntries(counts)).toEqual({
      SCHEDULED: 11,
      PENDING: 0,
      RUNNING: 7,
      COMPLETED: 3000,
      FAILED: 1000,
      CANCELLED: 0,
      CRASHED: 0,
      PAUSED: 0,
      CANCELLING: 0,
    });
    expect((await countRunsPerState(db.dataSource, 'task_run')).counts.get('COMPLETED')).toBe(0);
  });

  it('above the threshold counts active states exactly and estimates terminal ones from the statistics', async () => {
    // One more run after ANALYZE: an exact count sees it, the statistics do not.
    await seed(db, { RUNNING: 1, COMPLETED: 1 });
    const { counts, estimated } = await countRunsPerState(db.dataSource, 'flow_run', 1);
    expect(estimated).toBe(true);
    expect(counts.get('RUNNING')).toBe(8);
    expect(counts.get('SCHEDULED')).toBe(11);
    // ANALYZE samples every row of a table this small, so the frequencies are exact fractions of
    // the rows then; the row estimate scales them to the table's pages now.
    expect(Math.abs(counts.get('COMPLETED')! - 3000)).toBeLessThanOrEqual(30);
    expect(Math.abs(counts.get('FAILED')! - 1000)).toBeLessThanOrEqual(10);
    expect(counts.get('CRASHED')).toBe(0);
  });
});
