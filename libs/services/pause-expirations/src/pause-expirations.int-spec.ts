import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BusModule } from '@orrery/bus';
import { loadSettings, SettingsModule } from '@orrery/config';
import { Instant } from '@orrery/domain';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule } from '@orrery/outbox';
import { PersistenceModule } from '@orrery/persistence';
import { createTestDatabase, startTestApi, type TestDatabase, waitFor } from '@orrery/testing';
import { EXPIRED_PAUSE_MESSAGE } from './pause-expirations.service';
import { PauseExpirationsModule } from './pause-expirations.module';

describe('pause-expirations on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
  });
  afterAll(() => db.drop());

  it('fails runs paused past their timeout and leaves the others paused', async () => {
    const api = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 2 });
    const post = async (url: string, body: unknown) =>
      (
        await api
          .getHttpAdapter()
          .getInstance()
          .inject({ method: 'POST', url, payload: body as object })
      ).json<{
        id: string;
        status?: string;
      }>();
    const flow = await post('/api/flows/', { name: 'paused' });
    const pausedUntil = async (timeout: Instant) => {
      const run = await post('/api/flow_runs/', { flow_id: flow.id, state: { type: 'RUNNING' } });
      const result = await post(`/api/flow_runs/${run.id}/set_state`, {
        state: { type: 'PAUSED', state_details: { pause_timeout: timeout.toISOString(), pause_key: 'k' } },
      });
      expect(result.status).toBe('ACCEPT');
      return run.id;
    };
    const expired = await pausedUntil(Instant.now().plusSeconds(1));
    const stillPaused = await pausedUntil(Instant.now().plusSeconds(3600));
    await api.close();

    @Module({
      imports: [
        SettingsModule.forRoot(
          loadSettings({
            PREFECT_HOME: '/tmp',
            PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_LOOP_SECONDS: '0.2',
          }),
        ),
        PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 3 }),
        BusModule.forRoot({ driver: 'memory' }),
        JobsModule.forRoot({ driver: 'in-process' }),
        OutboxModule.forRoot(),
        PauseExpirationsModule,
      ],
    })
    class Root {}
    const app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
    try {
      const state = async (id: string) =>
        (
          (await db.dataSource.query(
            `SELECT fr.state_type, s.message FROM flow_run fr JOIN flow_run_state s ON s.id = fr.state_id WHERE fr.id = $1`,
            [id],
          )) as { state_type: string; message: string | null }[]
        )[0];
      await waitFor(async () => (await state(expired))?.state_type === 'FAILED', {
        timeoutMs: 10_000,
        what: 'the expired pause to fail',
      });
      expect(await state(expired)).toEqual({ state_type: 'FAILED', message: EXPIRED_PAUSE_MESSAGE });
      expect((await state(stillPaused))?.state_type).toBe('PAUSED');
    } finally {
      await app.close();
    }
  });
});
