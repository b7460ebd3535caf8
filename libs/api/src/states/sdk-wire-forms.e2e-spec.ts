import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  createTestDatabase,
  type OrreryProcess,
  postgresRedisEnv,
  PrivateRedis,
  startOrreryServer,
  type TestDatabase,
} from '@orrery/testing';

/*
 * Two requests the real Prefect 3.8 SDK sends, replayed byte for byte on both engines (issue 13):
 *
 * - `pause_flow_run()` (prefect/flow_runs.py → `Paused(timeout_seconds=…)` → client
 *   `set_flow_run_state`, which posts `state_create.model_dump(mode="json")` with `force`): the SDK
 *   serialises `state_details.pause_timeout` as Unix seconds, a float. Upstream answers 201 ACCEPT.
 * - `serve(schedules=[Cron(...)])` (prefect/runner → client `create_deployment`, whose body is
 *   `DeploymentCreate.model_dump(mode="json", exclude=…)`): a cron schedule with `"timezone": null`,
 *   which upstream stores and returns as null (schemas/schedules.py CronSchedule.validate_timezone →
 *   `default_timezone` returns None without an anchor date); the runner compares what it reads back.
 */

type Json = Record<string, unknown>;

async function call(
  api: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-prefect-api-version': '0.8.4' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as Json };
}

/** `StateDetails().model_dump(mode="json")` of the client schema (client/schemas/objects.py), all fields. */
function stateDetails(overrides: Json): Json {
  return {
    flow_run_id: null,
    task_run_id: null,
    child_flow_run_id: null,
    scheduled_time: null,
    cache_key: null,
    cache_expiration: null,
    deferred: null,
    untrackable_result: false,
    pause_timeout: null,
    pause_reschedule: false,
    pause_key: null,
    run_input_keyset: null,
    refresh_cache: null,
    retriable: null,
    transition_id: null,
    task_parameters_id: null,
    traceparent: null,
    deployment_concurrency_lease_id: null,
    ...overrides,
  };
}

function sdkWireForms(server: () => string): void {
  it('pause_flow_run(): state_details.pause_timeout as an epoch float is accepted and stored as a datetime', async () => {
    const api = server();
    const flow = await call(api, 'POST', '/flows/', { name: `pause-${randomUUID()}`, tags: [], labels: {} });
    expect(flow.status).toBe(201);
    const run = await call(api, 'POST', '/flow_runs/', {
      flow_id: flow.body.id,
      name: null,
      state: { type: 'PENDING', name: 'Pending', message: null, data: null, state_details: stateDetails({}) },
    });
    expect(run.status).toBe(201);
    const runId = run.body.id as string;
    const running = await call(api, 'POST', `/flow_runs/${runId}/set_state`, {
      state: {
        type: 'RUNNING',
        name: 'Running',
        message: null,
        state_details: stateDetails({ flow_run_id: runId, transition_id: randomUUID() }),
        data: null,
      },
      force: false,
    });
    expect(running.status).toBe(201);
    expect(running.body.status).toBe('ACCEPT');

    // Paused(timeout_seconds=3600): the SDK's float, microseconds and all (1796592552.126133 in the issue).
    const whole = Math.floor(Date.now() / 1000) + 3600;
    const pauseTimeout = Number(`${whole}.126133`);
    const paused = await call(api, 'POST', `/flow_runs/${runId}/set_state`, {
      state: {
        type: 'PAUSED',
        name: 'Paused',
        message: null,
        state_details: stateDetails({
          flow_run_id: runId,
          pause_timeout: pauseTimeout,
          pause_reschedule: false,
          pause_key: '1',
          transition_id: randomUUID(),
        }),
        data: null,
      },
      force: false,
    });
    expect(paused.status).toBe(201);
    expect(paused.body.status).toBe('ACCEPT');
    const expected = `${new Date(whole * 1000).toISOString().slice(0, 19)}.126133Z`;
    const state = paused.body.state as { type: string; state_details: Json };
    expect(state.type).toBe('PAUSED');
    expect(state.state_details.pause_timeout).toBe(expected);
    const stored = await call(api, 'GET', `/flow_runs/${runId}`);
    expect((stored.body.state as { state_details: Json }).state_details.pause_timeout).toBe(expected);
  });

  it('serve(schedules=[Cron(...)]): a cron schedule sent with timezone null is read back null', async () => {
    const api = server();
    const flow = await call(api, 'POST', '/flows/', { name: `serve-${randomUUID()}`, tags: [], labels: {} });
    // client create_deployment's payload for a served flow (paused=False; work pool/queue names and
    // None-valued newer fields excluded, as the client does).
    const created = await call(api, 'POST', '/deployments/', {
      name: 'served',
      flow_id: flow.body.id,
      paused: false,
      schedules: [
        {
          schedule: { cron: '0 9 * * *', timezone: null, day_or: true },
          active: true,
          max_scheduled_runs: null,
          parameters: {},
          slug: null,
          replaces: null,
        },
      ],
      concurrency_limit: null,
      concurrency_options: null,
      parameter_openapi_schema: { title: 'Parameters', type: 'object', properties: {} },
      parameters: {},
      tags: [],
      labels: {},
      storage_document_id: null,
      infrastructure_document_id: null,
      description: null,
      path: '.',
      entrypoint: 'flows.py:served',
      job_variables: {},
      version: 'abc123',
    });
    expect(created.status).toBe(201);
    const read = await call(api, 'GET', `/deployments/${created.body.id as string}`);
    expect(read.status).toBe(200);
    const schedules = read.body.schedules as { schedule: Json }[];
    expect(schedules.map((s) => s.schedule)).toEqual([{ cron: '0 9 * * *', timezone: null, day_or: true }]);
    const listed = await call(api, 'GET', `/deployments/${created.body.id as string}/schedules`);
    expect((listed.body as unknown as { schedule: Json }[])[0]?.schedule.timezone).toBeNull();
  });
}

describe('the SDK’s pause and serve() bodies on the embedded default (PGlite)', () => {
  let home: string;
  let server: { process: OrreryProcess; url: string };
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'orrery-wire-embedded-'));
    // A fresh PGlite home runs initdb and every migration: slow on a loaded machine.
    server = await startOrreryServer({ PREFECT_HOME: home }, [], 150_000);
  }, 180_000);
  afterAll(async () => {
    await server?.process.stop();
    rmSync(home, { recursive: true, force: true });
  });

  sdkWireForms(() => server.url);
});

describe('the SDK’s pause and serve() bodies on PostgreSQL + Redis', () => {
  let db: TestDatabase;
  let redis: PrivateRedis;
  let home: string;
  let server: { process: OrreryProcess; url: string };
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    redis = await PrivateRedis.start();
    home = mkdtempSync(join(tmpdir(), 'orrery-wire-pg-'));
    server = await startOrreryServer(
      { PREFECT_HOME: home, ...postgresRedisEnv(db.url, redis.url()) },
      [],
      150_000,
    );
  }, 180_000);
  afterAll(async () => {
    await server?.process.stop();
    await redis?.dispose();
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  sdkWireForms(() => server.url);
});
