import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type BusMessage, BusModule, MessageBus } from '@orrery/bus';
import { loadSettings, SettingsModule } from '@orrery/config';
import { Instant } from '@orrery/domain';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule } from '@orrery/outbox';
import { PersistenceModule } from '@orrery/persistence';
import { createTestDatabase, startTestApi, type TestDatabase, waitFor } from '@orrery/testing';
import { LateRunsModule } from './late-runs.module';

describe('late-runs on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
  });
  afterAll(() => db.drop());

  it('marks overdue Scheduled runs Late exactly once, and leaves every other run alone', async () => {
    // Runs are made through the real API, so their states are what a client would have written.
    const api = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 2 });
    const post = async (url: string, body: unknown) =>
      (
        await api
          .getHttpAdapter()
          .getInstance()
          .inject({ method: 'POST', url, payload: body as object })
      ).json<{ id: string }>();
    const ago = (seconds: number) => Instant.now().minusSeconds(seconds).toISOString();
    const flow = await post('/api/flows/', { name: 'late' });
    const scheduled = (at: string, name?: string) =>
      post('/api/flow_runs/', {
        flow_id: flow.id,
        state: { type: 'SCHEDULED', name, state_details: { scheduled_time: at } },
      });
    const overdue = await scheduled(ago(60));
    const withinGrace = await scheduled(ago(5));
    const awaitingRetry = await scheduled(ago(60), 'AwaitingRetry');
    const running = await post('/api/flow_runs/', { flow_id: flow.id, state: { type: 'RUNNING' } });
    await api.close();

    @Module({
      imports: [
        SettingsModule.forRoot(
          loadSettings({ PREFECT_HOME: '/tmp', PREFECT_SERVER_SERVICES_LATE_RUNS_LOOP_SECONDS: '0.2' }),
        ),
        PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 3 }),
        BusModule.forRoot({ driver: 'memory' }),
        JobsModule.forRoot({ driver: 'in-process' }),
        OutboxModule.forRoot(),
        LateRunsModule,
      ],
    })
    class Root {}
    const app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
    const events: string[] = [];
    const consumer = app.get(MessageBus).consume<{ event: string; resource: Record<string, string> }>({
      kind: 'single',
      topic: 'events',
      group: 'test',
      handle: (m: BusMessage<{ event: string; resource: Record<string, string> }>) => {
        events.push(`${m.data.event} ${m.data.resource['prefect.resource.id']}`);
      },
    });
    try {
      const stateOf = async (id: string) =>
        (
          (await db.dataSource.query(`SELECT state_type, state_name FROM flow_run WHERE id = $1`, [id])) as {
            state_type: string;
            state_name: string;
          }[]
        )[0];
      await waitFor(async () => (await stateOf(overdue.id))?.state_name === 'Late', {
        what: 'the overdue run to be Late',
      });
      // Let a few more ticks pass: the run must not be marked again.
      const ticksLater = Date.now() + 1000;
      await waitFor(() => Date.now() > ticksLater, { what: 'a few more ticks', intervalMs: 100 });
      const lateStates = (await db.dataSource.query(
        `SELECT count(*)::int AS n FROM flow_run_state WHERE flow_run_id = $1 AND name = 'Late'`,
        [overdue.id],
      )) as { n: number }[];
      expect(lateStates[0]!.n).toBe(1);
      expect(await stateOf(overdue.id)).toEqual({ state_type: 'SCHEDULED', state_name: 'Late' });
      expect(await stateOf(withinGrace.id)).toEqual({ state_type: 'SCHEDULED', state_name: 'Scheduled' });
      expect(await stateOf(awaitingRetry.id)).toEqual({
        state_type: 'SCHEDULED',
        state_name: 'AwaitingRetry',
      });
      expect(await stateOf(running.id)).toEqual({ state_type: 'RUNNING', state_name: 'Running' });
      await waitFor(() => events.includes(`prefect.flow-run.Late prefect.flow-run.${overdue.id}`), {
        what: 'the prefect.flow-run.Late event',
      });
      expect(events.filter((e) => e.startsWith('prefect.flow-run.Late'))).toHaveLength(1);
    } finally {
      await consumer.stop();
      await app.close();
    }
  });
});
