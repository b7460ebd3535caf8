import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ContractValidator, createTestDatabase, startTestApi, type TestDatabase } from '@orrery/testing';
import { DATASET, seedRunsDataset } from './runs-dataset.fixture';

type Json = Record<string, unknown>;

const { flows: F, deployments: D, runs: R } = DATASET;
const WINDOW = {
  history_start: '2026-01-01T00:00:00Z',
  history_end: '2026-01-01T03:00:00Z',
  history_interval_seconds: 3600,
};

describe('run history and lateness on PostgreSQL, against the contract', () => {
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

  const state = (state_type: string, state_name: string, count_runs: number, run: number, late: number) => ({
    state_type,
    state_name,
    count_runs,
    sum_estimated_run_time: run,
    sum_estimated_lateness: late,
  });

  describe('POST /flow_runs/history', () => {
    it('counts runs per interval and state by expected start time, every interval present', async () => {
      const response = await call('/flow_runs/history', WINDOW);
      expect(response.status).toBe(200);
      expect(response.body).toEqual([
        {
          interval_start: '2026-01-01T00:00:00.000000Z',
          interval_end: '2026-01-01T01:00:00.000000Z',
          states: [state('COMPLETED', 'Completed', 2, 180, 300), state('FAILED', 'Failed', 1, 30, 60)],
        },
        {
          interval_start: '2026-01-01T01:00:00.000000Z',
          interval_end: '2026-01-01T02:00:00.000000Z',
          states: [],
        },
        {
          interval_start: '2026-01-01T02:00:00.000000Z',
          interval_end: '2026-01-01T03:00:00.000000Z',
          states: [state('COMPLETED', 'Cached', 1, 10, 30)],
        },
      ]);
    });

    it('applies the run, flow and deployment filters', async () => {
      const byDeployment = await call('/flow_runs/history', {
        ...WINDOW,
        deployments: { id: { any_: [D.D1] } },
      });
      expect((byDeployment.body as unknown as Json[]).map((i) => i.states)).toEqual([
        [state('COMPLETED', 'Completed', 2, 180, 300)],
        [],
        [],
      ]);
      const byFlow = await call('/flow_runs/history', { ...WINDOW, flows: { name: { any_: ['hist-b'] } } });
      expect((byFlow.body as unknown as Json[]).map((i) => i.states)).toEqual([
        [],
        [],
        [state('COMPLETED', 'Cached', 1, 10, 30)],
      ]);
      const byState = await call('/flow_runs/history', {
        ...WINDOW,
        flow_runs: { state: { type: { any_: ['FAILED'] } } },
        work_queues: null,
      });
      expect((byState.body as unknown as Json[]).map((i) => i.states)).toEqual([
        [state('FAILED', 'Failed', 1, 30, 60)],
        [],
        [],
      ]);
    });

    it('reads the queue filter from `work_queues` and the pool filter from `work_pools`', async () => {
      await db.dataSource.query(
        `WITH pool AS (INSERT INTO work_pool (name, type) VALUES ('hist-pool', 'process') RETURNING id),
           queue AS (INSERT INTO work_queue (name, priority, work_pool_id) SELECT 'hist-queue', 1, id FROM pool RETURNING id)
         UPDATE flow_run SET work_queue_id = (SELECT id FROM queue) WHERE id = $1`,
        [R.R3],
      );
      const byQueue = await call('/flow_runs/history', {
        ...WINDOW,
        work_queues: { name: { any_: ['hist-queue'] } },
      });
      expect((byQueue.body as unknown as Json[]).map((i) => i.states)).toEqual([
        [state('FAILED', 'Failed', 1, 30, 60)],
        [],
        [],
      ]);
      const byPool = await call('/flow_runs/history', {
        ...WINDOW,
        work_pools: { name: { any_: ['elsewhere'] } },
      });
      expect((byPool.body as unknown as Json[]).map((i) => i.states)).toEqual([[], [], []]);
    });

    it('draws at most 500 intervals and none for an empty window', async () => {
      const fine = await call('/flow_runs/history', { ...WINDOW, history_interval_seconds: 1 });
      expect(fine.body).toHaveLength(500);
      expect((fine.body as unknown as Json[])[499]).toMatchObject({
        interval_start: '2026-01-01T00:08:19.000000Z',
        interval_end: '2026-01-01T00:08:20.000000Z',
      });
      const empty = await call('/flow_runs/history', { ...WINDOW, history_end: WINDOW.history_start });
      expect(empty.body).toEqual([]);
      // Fractional intervals are fine above one second.
      const odd = await call('/flow_runs/history', { ...WINDOW, history_interval_seconds: 4000.5 });
      expect((odd.body as unknown as Json[]).map((i) => i.interval_end)).toEqual([
        '2026-01-01T01:06:40.500000Z',
        '2026-01-01T02:13:21.000000Z',
        '2026-01-01T03:20:01.500000Z',
      ]);
    });

    it('rejects an interval under one second and missing or malformed fields with 422', async () => {
      expect(await call('/flow_runs/history', { ...WINDOW, history_interval_seconds: 0.5 })).toEqual({
        status: 422,
        body: { detail: 'History interval must not be less than 1 second.' },
      });
      const missing = await call('/flow_runs/history', {
        history_end: 'soon',
        history_interval_seconds: 'x',
      });
      expect(missing.status).toBe(422);
      expect((missing.body.exception_detail as Json[]).map((i) => [i.type, i.loc])).toEqual([
        ['missing', ['body', 'history_start']],
        ['datetime_from_date_parsing', ['body', 'history_end']],
        ['time_delta_parsing', ['body', 'history_interval_seconds']],
      ]);
      // A timedelta, as pydantic reads one: an ISO 8601 duration, not a numeric string.
      expect(await call('/flow_runs/history', { ...WINDOW, history_interval_seconds: 'PT1H' })).toEqual(
        await call('/flow_runs/history', WINDOW),
      );
      const numericText = await call('/flow_runs/history', { ...WINDOW, history_interval_seconds: '3600' });
      expect((numericText.body.exception_detail as Json[]).map((i) => i.type)).toEqual([
        'time_delta_parsing',
      ]);
      const badFilter = await call('/flow_runs/history', { ...WINDOW, flow_runs: { nope: 1 } });
      expect(badFilter.body.exception_detail).toEqual([
        expect.objectContaining({ type: 'extra_forbidden', loc: ['body', 'flow_runs', 'nope'] }),
      ]);
    });
  });

  describe('POST /task_runs/history', () => {
    it('counts task runs per interval and state', async () => {
      const response = await call('/task_runs/history', WINDOW);
      expect(response.status).toBe(200);
      expect((response.body as unknown as Json[]).map((i) => i.states)).toEqual([
        [state('COMPLETED', 'Completed', 2, 6, 5)],
        [state('FAILED', 'Failed', 1, 1, 0)],
        [],
      ]);
      const ofOtherRun = await call('/task_runs/history', { ...WINDOW, flow_runs: { id: { any_: [R.R2] } } });
      expect((ofOtherRun.body as unknown as Json[]).map((i) => i.states)).toEqual([[], [], []]);
      const interval = await call('/task_runs/history', { ...WINDOW, history_interval_seconds: 0 });
      expect(interval.status).toBe(422);
    });
  });

  describe('POST /flow_runs/lateness', () => {
    it('averages the lateness of the matching runs in seconds, null when none match', async () => {
      // R1 300 s, R2 0 s, R3 60 s, R6 0 s; S1/S2 are due in 2099 (0 s).
      expect(await call('/flow_runs/lateness', { flow_runs: { id: { any_: [R.R1, R.R2, R.R3] } } })).toEqual({
        status: 200,
        body: 120,
      });
      expect((await call('/flow_runs/lateness', { flows: { id: { any_: [F.F1] } } })).body).toBe(60);
      expect((await call('/flow_runs/lateness', { flows: { id: { any_: [F.F3] } } })).body).toBeNull();
    });

    it('counts an overdue run that has not started as late until now', async () => {
      await db.dataSource.query(
        `INSERT INTO flow_run (id, flow_id, name, state_type, state_name, expected_start_time)
         VALUES ('01930000-0000-7000-8000-0000000000e1', $1, 'overdue', 'SCHEDULED', 'Late', now() - interval '100 seconds')`,
        [F.F3],
      );
      const lateness = (await call('/flow_runs/lateness', { flows: { id: { any_: [F.F3] } } }))
        .body as unknown as number;
      expect(lateness).toBeGreaterThanOrEqual(100);
      expect(lateness).toBeLessThan(160);
    });
  });
});
