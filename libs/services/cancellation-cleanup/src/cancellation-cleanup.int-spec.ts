import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BusModule } from '@orrery/bus';
import { loadSettings, SettingsModule } from '@orrery/config';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule } from '@orrery/outbox';
import { PersistenceModule } from '@orrery/persistence';
import { createTestDatabase, startTestApi, type TestDatabase, waitFor } from '@orrery/testing';
import { CancellationCleanupModule } from './cancellation-cleanup.module';
import { CANCELLING_TIMED_OUT_MESSAGE, PARENT_CANCELLED_MESSAGE } from './cancellation-cleanup.service';

describe('cancellation-cleanup on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
  });
  afterAll(() => db.drop());

  it('cancels the children of cancelled runs and times out stuck cancellations', async () => {
    const api = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 2 });
    const post = async (url: string, body: unknown) => {
      const response = await api
        .getHttpAdapter()
        .getInstance()
        .inject({ method: 'POST', url, payload: body as object });
      return response.json<{ id: string; status?: string }>();
    };
    const setState = async (id: string, state: object, force = false) => {
      const result = await post(`/api/flow_runs/${id}/set_state`, { state, force });
      expect(result.status).toBe('ACCEPT');
    };
    const flow = await post('/api/flows/', { name: 'cancelled' });
    // A parent with a running task, and a subflow (no deployment) run from another of its tasks.
    const parent = await post('/api/flow_runs/', { flow_id: flow.id, state: { type: 'RUNNING' } });
    const task = await post('/api/task_runs/', {
      flow_run_id: parent.id,
      task_key: 't',
      dynamic_key: '0',
      state: { type: 'RUNNING' },
    });
    const tracker = await post('/api/task_runs/', {
      flow_run_id: parent.id,
      task_key: 'sub',
      dynamic_key: '0',
    });
    const subflow = await post('/api/flow_runs/', {
      flow_id: flow.id,
      parent_task_run_id: tracker.id,
      state: { type: 'RUNNING' },
    });
    await setState(parent.id, { type: 'CANCELLED' }, true);
    // A run whose worker never confirms its cancellation.
    const stuck = await post('/api/flow_runs/', { flow_id: flow.id, state: { type: 'RUNNING' } });
    await setState(stuck.id, { type: 'CANCELLING' });
    await api.close();

    @Module({
      imports: [
        SettingsModule.forRoot(
          loadSettings({
            PREFECT_HOME: '/tmp',
            PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_LOOP_SECONDS: '0.3',
            PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_CANCELLING_TIMEOUT_SECONDS: '1',
          }),
        ),
        PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 3 }),
        BusModule.forRoot({ driver: 'memory' }),
        JobsModule.forRoot({ driver: 'in-process' }),
        OutboxModule.forRoot(),
        CancellationCleanupModule,
      ],
    })
    class Root {}
    const app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
    const current = async (table: 'flow_run' | 'task_run', id: string) =>
      (
        (await db.dataSource.query(
          `SELECT r.state_type, s.message FROM ${table} r JOIN ${table}_state s ON s.id = r.state_id WHERE r.id = $1`,
          [id],
        )) as { state_type: string; message: string | null }[]
      )[0];
    try {
      await waitFor(
        async () =>
          (await current('task_run', task.id))?.state_type === 'CANCELLED' &&
          (await current('flow_run', subflow.id))?.state_type === 'CANCELLED' &&
          (await current('flow_run', stuck.id))?.state_type === 'CANCELLED',
        { timeoutMs: 15_000, intervalMs: 200, what: 'the clean-up' },
      );
      expect(await current('task_run', task.id)).toEqual({
        state_type: 'CANCELLED',
        message: PARENT_CANCELLED_MESSAGE,
      });
      expect(await current('flow_run', subflow.id)).toEqual({
        state_type: 'CANCELLED',
        message: PARENT_CANCELLED_MESSAGE,
      });
      expect(await current('flow_run', stuck.id)).toEqual({
        state_type: 'CANCELLED',
        message: CANCELLING_TIMED_OUT_MESSAGE,
      });
    } finally {
      await app.close();
    }
  });
});
