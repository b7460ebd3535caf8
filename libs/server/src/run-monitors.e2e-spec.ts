import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  type OrreryProcess,
  type TestDatabase,
  waitFor,
  postgresRedisEnv,
  PrivateRedis,
  startOrreryServer,
} from '@orrery/testing';

type Json = Record<string, unknown>;

/**
 * The run monitors of issue 5 inside a real `orrery server start` process (built from dist/), on the
 * embedded default and on PostgreSQL + Redis, with short loops: a run past due becomes Late exactly
 * once (late-runs), a run paused past its timeout fails (pause-expirations), and a Cancelling run
 * past the cancelling timeout is forced to Cancelled (cancellation-cleanup).
 */
const FAST_LOOPS = {
  PREFECT_SERVER_SERVICES_LATE_RUNS_LOOP_SECONDS: '1',
  PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS: '15',
  PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_LOOP_SECONDS: '1',
  PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_LOOP_SECONDS: '1',
  PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_CANCELLING_TIMEOUT_SECONDS: '2',
};

function monitorScenarios(api: () => string): void {
  const call = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const response = await fetch(`${api()}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-prefect-api-version': '0.8.4' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Json;
  };
  const states = async (runId: unknown) =>
    (await call('GET', `/flow_run_states/?flow_run_id=${String(runId)}`)) as unknown as Json[];
  let flowId: string;
  beforeAll(async () => {
    flowId = String((await call('POST', '/flows/', { name: `monitors-${crypto.randomUUID()}` })).id);
  });

  it('marks a run 20 s past due Late exactly once', async () => {
    const due = new Date(Date.now() - 20_000).toISOString();
    const run = await call('POST', '/flow_runs/', {
      flow_id: flowId,
      state: { type: 'SCHEDULED', state_details: { scheduled_time: due } },
    });
    const onTime = await call('POST', '/flow_runs/', {
      flow_id: flowId,
      state: {
        type: 'SCHEDULED',
        state_details: { scheduled_time: new Date(Date.now() + 3_600_000).toISOString() },
      },
    });
    const becomesLate = (id: unknown) =>
      waitFor(async () => (await call('GET', `/flow_runs/${String(id)}`)).state_name === 'Late', {
        timeoutMs: 30_000,
        what: `run ${String(id)} to become Late`,
      });
    await becomesLate(run.id);
    // A later loop of the service (it marks a second overdue run) leaves the first one alone.
    const second = await call('POST', '/flow_runs/', {
      flow_id: flowId,
      state: { type: 'SCHEDULED', state_details: { scheduled_time: due } },
    });
    await becomesLate(second.id);
    expect((await states(run.id)).map((s) => s.name)).toEqual(['Scheduled', 'Late']);
    expect((await call('GET', `/flow_runs/${String(onTime.id)}`)).state_name).toBe('Scheduled');
  });

  it('fails a run paused past its timeout', async () => {
    const run = await call('POST', '/flow_runs/', { flow_id: flowId, state: { type: 'RUNNING' } });
    const paused = await call('POST', `/flow_runs/${String(run.id)}/set_state`, {
      state: {
        type: 'PAUSED',
        state_details: { pause_timeout: new Date(Date.now() + 1_000).toISOString(), pause_key: 'k' },
      },
    });
    expect(paused.status).toBe('ACCEPT');
    const failed = await waitFor(
      async () => {
        const current = await call('GET', `/flow_runs/${String(run.id)}`);
        return current.state_type === 'FAILED' ? current : undefined;
      },
      { timeoutMs: 30_000, what: 'the expired pause to fail the run' },
    );
    expect((failed.state as Json).message).toMatch(/paused/i);
  });

  it('forces a Cancelling run past the cancelling timeout to Cancelled', async () => {
    const run = await call('POST', '/flow_runs/', { flow_id: flowId, state: { type: 'RUNNING' } });
    await call('PATCH', `/flow_runs/${String(run.id)}`, { infrastructure_pid: 'host:4242' }).catch(
      () => null,
    );
    const cancelling = await call('POST', `/flow_runs/${String(run.id)}/set_state`, {
      state: { type: 'CANCELLING' },
    });
    expect(cancelling.status).toBe('ACCEPT');
    const cancelled = await waitFor(
      async () => {
        const current = await call('GET', `/flow_runs/${String(run.id)}`);
        return current.state_type === 'CANCELLED' ? current : undefined;
      },
      { timeoutMs: 40_000, what: 'the cancelling timeout to cancel the run' },
    );
    expect((cancelled.state as Json).message).toBe(
      'Flow run cancellation timed out; marked this flow run as Cancelled.',
    );
    expect((await states(run.id)).map((s) => s.type)).toEqual(['RUNNING', 'CANCELLING', 'CANCELLED']);
  });
}

describe('run monitors in a running server on the embedded default (PGlite)', () => {
  let home: string;
  let server: { process: OrreryProcess; url: string };
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'orrery-monitors-embedded-'));
    server = await startOrreryServer({ ...FAST_LOOPS, PREFECT_HOME: home });
  }, 90_000);
  afterAll(async () => {
    await server?.process.stop();
    rmSync(home, { recursive: true, force: true });
  });

  monitorScenarios(() => server.url);
});

describe('run monitors in a running server on PostgreSQL + Redis', () => {
  // BullMQ queues and streams have fixed names, so this suite runs a Redis of its own.
  let db: TestDatabase;
  let redis: PrivateRedis;
  let home: string;
  let server: { process: OrreryProcess; url: string };
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    redis = await PrivateRedis.start();
    home = mkdtempSync(join(tmpdir(), 'orrery-monitors-pg-'));
    server = await startOrreryServer({
      ...FAST_LOOPS,
      PREFECT_HOME: home,
      ...postgresRedisEnv(db.url, redis.url()),
    });
  }, 90_000);
  afterAll(async () => {
    await server?.process.stop();
    await redis?.dispose();
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  monitorScenarios(() => server.url);
});
