import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { uuid7 } from '@orrery/domain';
import { ContractValidator, createTestDatabase, startTestApi, type TestDatabase } from '@orrery/testing';
import { DATASET, seedRunsDataset } from '../run-history/runs-dataset.fixture';

type Json = Record<string, unknown>;

const { flows: F, runs: R } = DATASET;

describe('/api/ui helpers on PostgreSQL, against the contract', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
    await seedRunsDataset(db.dataSource);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  async function call(path: string, body: unknown) {
    const response = await app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'POST',
        url: `/api${path}`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    const parsed: unknown = response.json();
    contract.assert({ method: 'POST', path, status: response.statusCode, body: parsed });
    return { status: response.statusCode, body: parsed as Json };
  }

  const issues = (body: Json): unknown[][] =>
    (body.exception_detail as Json[]).map((issue) => [issue.type, issue.loc]);

  describe('POST /ui/flows/count-deployments', () => {
    it('counts deployments for every requested flow, zeros included', async () => {
      const unknown = uuid7();
      expect(await call('/ui/flows/count-deployments', { flow_ids: [F.F1, F.F2, unknown] })).toEqual({
        status: 200,
        body: { [F.F1]: 2, [F.F2]: 0, [unknown]: 0 },
      });
      expect((await call('/ui/flows/count-deployments', { flow_ids: [] })).body).toEqual({});
    });

    it('rejects more than 200 ids, bad ids and a missing list with 422', async () => {
      const tooMany = await call('/ui/flows/count-deployments', {
        flow_ids: Array.from({ length: 201 }, () => uuid7()),
      });
      expect(tooMany.status).toBe(422);
      expect(issues(tooMany.body)).toEqual([['too_long', ['body', 'flow_ids']]]);
      const bad = await call('/ui/flows/count-deployments', { flow_ids: [F.F1, 'nope'] });
      expect(issues(bad.body)).toEqual([['uuid_parsing', ['body', 'flow_ids', 1]]]);
      expect(issues((await call('/ui/flows/count-deployments', {})).body)).toEqual([
        ['missing', ['body', 'flow_ids']],
      ]);
    });
  });

  describe('POST /ui/flows/next-runs', () => {
    it("gives each flow's earliest scheduled run, or null", async () => {
      const response = await call('/ui/flows/next-runs', { flow_ids: [F.F1, F.F2, F.F3] });
      expect(response).toEqual({
        status: 200,
        body: {
          [F.F1]: {
            id: R.S1,
            flow_id: F.F1,
            name: 's1',
            state_name: 'Scheduled',
            state_type: 'SCHEDULED',
            next_scheduled_start_time: '2099-01-01T00:00:00.000000Z',
          },
          [F.F2]: {
            id: R.R5,
            flow_id: F.F2,
            name: 'r5',
            state_name: 'Scheduled',
            state_type: 'SCHEDULED',
            next_scheduled_start_time: '2099-03-01T00:00:00.000000Z',
          },
          [F.F3]: null,
        },
      });
    });
  });

  describe('POST /ui/flow_runs/history', () => {
    it('returns one dot per run, expected start time descending by default', async () => {
      const response = await call('/ui/flow_runs/history', {
        flow_runs: { id: { any_: [R.R1, R.R2, R.R3] } },
      });
      expect(response).toEqual({
        status: 200,
        body: [
          {
            id: R.R3,
            state_type: 'FAILED',
            timestamp: '2026-01-01T00:31:00.000000Z',
            duration: 30,
            lateness: 60,
          },
          {
            id: R.R2,
            state_type: 'COMPLETED',
            timestamp: '2026-01-01T00:20:00.000000Z',
            duration: 120,
            lateness: 0,
          },
          {
            id: R.R1,
            state_type: 'COMPLETED',
            timestamp: '2026-01-01T00:15:00.000000Z',
            duration: 60,
            lateness: 300,
          },
        ],
      });
      const sorted = await call('/ui/flow_runs/history', {
        flows: { id: { any_: [F.F1] } },
        deployments: { id: { any_: [DATASET.deployments.D1] } },
        sort: 'START_TIME_ASC',
        limit: 1,
        offset: 1,
      });
      expect((sorted.body as unknown as Json[]).map((r) => r.id)).toEqual([R.R2]);
    });

    it('caps limit at 1000 as a body field and rejects bad sorts and offsets', async () => {
      expect((await call('/ui/flow_runs/history', { limit: 1000 })).status).toBe(200);
      const over = await call('/ui/flow_runs/history', { limit: 1001 });
      expect(over.status).toBe(422);
      expect(issues(over.body)).toEqual([['less_than_equal', ['body', 'limit']]]);
      const bad = await call('/ui/flow_runs/history', { sort: 'FASTEST', offset: -1 });
      expect(issues(bad.body)).toEqual([
        ['enum', ['body', 'sort']],
        ['greater_than_equal', ['body', 'offset']],
      ]);
    });
  });

  describe('POST /ui/flow_runs/count-task-runs', () => {
    it('counts task runs per flow run, not those standing for subflows, zeros included', async () => {
      expect(await call('/ui/flow_runs/count-task-runs', { flow_run_ids: [R.R1, R.R2, R.R3] })).toEqual({
        status: 200,
        body: { [R.R1]: 2, [R.R2]: 1, [R.R3]: 0 },
      });
      const tooMany = await call('/ui/flow_runs/count-task-runs', {
        flow_run_ids: Array.from({ length: 201 }, () => uuid7()),
      });
      expect(issues(tooMany.body)).toEqual([['too_long', ['body', 'flow_run_ids']]]);
    });
  });

  describe('POST /ui/task_runs/dashboard/counts', () => {
    it('splits terminal task runs into 20 buckets of the window, failed vs completed', async () => {
      const response = await call('/ui/task_runs/dashboard/counts', {
        task_runs: {
          start_time: { after_: '2026-01-01T00:00:30Z', before_: '2026-01-01T01:59:10Z' },
          // Replaced by "terminal": the RUNNING task run stays out either way.
          state: { type: { any_: ['RUNNING'] } },
        },
      });
      expect(response.status).toBe(200);
      // Window 00:00:00 → 01:59:59.999999, buckets of ~360 s: T1 (00:10:05) → 1, T3 (00:50) → 8, T2 (01:30) → 15.
      const expected = Array.from({ length: 20 }, () => ({ completed: 0, failed: 0 }));
      expected[1] = { completed: 1, failed: 0 };
      expected[8] = { completed: 1, failed: 0 };
      expected[15] = { completed: 0, failed: 1 };
      expect(response.body).toEqual(expected);
      const ofFlow = await call('/ui/task_runs/dashboard/counts', {
        task_runs: { start_time: { after_: '2026-01-01T00:00:30Z', before_: '2026-01-01T01:59:10Z' } },
        flows: { id: { any_: [F.F2] } },
        work_queues: null,
      });
      expect(ofFlow.body).toEqual(Array.from({ length: 20 }, () => ({ completed: 0, failed: 0 })));
    });

    it('requires task_runs and its start_time.after_', async () => {
      expect(issues((await call('/ui/task_runs/dashboard/counts', {})).body)).toEqual([
        ['missing', ['body', 'task_runs']],
      ]);
      expect(await call('/ui/task_runs/dashboard/counts', { task_runs: {} })).toEqual({
        status: 422,
        body: { detail: 'task_runs.start_time.after_ is required' },
      });
    });
  });

  describe('POST /ui/task_runs/count', () => {
    it('counts task runs per state type, every type present', async () => {
      expect(await call('/ui/task_runs/count', {})).toEqual({
        status: 200,
        body: {
          SCHEDULED: 0,
          PENDING: 0,
          RUNNING: 1,
          COMPLETED: 2,
          FAILED: 1,
          CANCELLED: 0,
          CRASHED: 0,
          PAUSED: 0,
          CANCELLING: 0,
        },
      });
      const ofRun = await call('/ui/task_runs/count', {
        flow_runs: { id: { any_: [R.R1] } },
        task_runs: { name: { any_: ['t1', 't2'] } },
      });
      expect(ofRun.body).toMatchObject({ COMPLETED: 1, FAILED: 1, RUNNING: 0 });
    });
  });
});
