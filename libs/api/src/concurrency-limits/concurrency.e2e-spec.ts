import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ContractValidator,
  createTestDatabase,
  freePort,
  OrreryProcess,
  PrivateRedis,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';

type Json = Record<string, unknown>;

/** Short enough for a test to wait out (the setting's minimum), long enough for the scenarios. */
const LEASE_SECONDS = 30;

interface Topology {
  /** Base URL of the API (`…/api`). */
  readonly url: string;
  stop(): Promise<void>;
}

/** The embedded default: one `orrery server start` (PGlite, in-process bus, jobs and leases). */
async function embedded(): Promise<Topology> {
  const home = mkdtempSync(join(tmpdir(), 'orrery-concurrency-e2e-'));
  const port = await freePort();
  const server = OrreryProcess.start(['server', 'start'], {
    PREFECT_HOME: home,
    PREFECT_SERVER_API_PORT: String(port),
    PREFECT_SERVER_SERVICES_REPOSSESSOR_LOOP_SECONDS: '0.5',
    PREFECT_SERVER_CONCURRENCY_INITIAL_DEPLOYMENT_LEASE_DURATION: String(LEASE_SECONDS),
  });
  await server.waitForOutput(/orrery: ready/, 90_000);
  expect(server.output()).toContain('orrery: concurrency leases in-process');
  return {
    url: `http://127.0.0.1:${port}/api`,
    stop: async () => {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * HA shape: an API process (`--no-services`) and a services process on one PostgreSQL and one Redis,
 * leases in Redis — the API takes leases, the services process's repossessor reclaims them.
 */
async function postgresAndRedis(): Promise<Topology> {
  // Stream names and lease keys are fixed (`events`, `prefect:concurrency:…`): this suite runs a
  // Redis of its own.
  const redis = await PrivateRedis.start();
  const redisUrl = redis.url();
  const db: TestDatabase = await createTestDatabase({ migrate: true });
  const home = mkdtempSync(join(tmpdir(), 'orrery-concurrency-e2e-'));
  const port = await freePort();
  const env = {
    PREFECT_HOME: home,
    PREFECT_API_DATABASE_CONNECTION_URL: db.url,
    PREFECT_API_DATABASE_MIGRATE_ON_START: 'false',
    PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
    PREFECT_REDIS_MESSAGING_URL: redisUrl,
    PREFECT_SERVER_DOCKET_URL: redisUrl,
    PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE: 'prefect_redis.lease_storage',
    PREFECT_SERVER_SERVICES_REPOSSESSOR_LOOP_SECONDS: '1',
    PREFECT_SERVER_CONCURRENCY_INITIAL_DEPLOYMENT_LEASE_DURATION: String(LEASE_SECONDS),
  };
  const api = OrreryProcess.start(['server', 'start', '--no-services', '--port', String(port)], env);
  const services = OrreryProcess.start(['server', 'services', 'start'], env);
  await Promise.all([
    api.waitForOutput(/orrery: ready/, 90_000),
    services.waitForOutput(/orrery: ready/, 90_000),
  ]);
  expect(services.output()).toContain('orrery: service repossessor starting');
  expect(api.output()).toContain('orrery: concurrency leases Redis');
  return {
    url: `http://127.0.0.1:${port}/api`,
    stop: async () => {
      await Promise.all([api.stop(), services.stop()]);
      await redis.dispose();
      await db.drop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

describe.each([
  ['the embedded default (PGlite, in-process leases)', embedded],
  ['PostgreSQL + Redis (API and services processes, Redis leases)', postgresAndRedis],
] as const)('concurrency end to end on %s', (_name, start) => {
  const contract = new ContractValidator();
  let topology: Topology;
  let flowId: string;

  beforeAll(async () => {
    topology = await start();
    flowId = (await call('POST', '/flows/', '/flows/', { name: 'concurrency-e2e' })).body.id as string;
  }, 180_000);
  afterAll(() => topology?.stop(), 60_000);

  /** Calls the API (real HTTP) and checks the response against the contract. */
  async function call(method: string, url: string, path: string, body?: unknown) {
    const response = await fetch(`${topology.url}${url}`, {
      method,
      // A current SDK: deployment leases are renewed at RUNNING and by the engine (≥ 3.4.11).
      headers: {
        'content-type': 'application/json',
        'x-prefect-api-version': '0.8.4',
        'user-agent': 'prefect/3.8.4 (API 0.8.4)',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed: unknown = text === '' ? null : JSON.parse(text);
    contract.assert({ method, path, status: response.status, body: parsed });
    return {
      status: response.status,
      body: parsed as Json & Json[],
      retryAfter: response.headers.get('retry-after'),
    };
  }

  async function deployment(name: string, fields: Json): Promise<string> {
    const created = await call('POST', '/deployments/', '/deployments/', {
      flow_id: flowId,
      name,
      parameter_openapi_schema: { type: 'object', properties: {} },
      ...fields,
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  async function deploymentRun(deploymentId: string): Promise<string> {
    const run = await call(
      'POST',
      `/deployments/${deploymentId}/create_flow_run`,
      '/deployments/{id}/create_flow_run',
      { state: { type: 'SCHEDULED' } },
    );
    expect(run).toMatchObject({ status: 201 });
    return run.body.id as string;
  }

  const setFlowRunState = (id: string, state: Json) =>
    call('POST', `/flow_runs/${id}/set_state`, '/flow_runs/{id}/set_state', { state });

  async function deploymentSlots(deploymentId: string): Promise<number> {
    const read = await call('GET', `/deployments/${deploymentId}`, '/deployments/{id}');
    return (read.body.global_concurrency_limit as Json).active_slots as number;
  }

  it('ENQUEUE: the second run waits in AwaitingConcurrencySlot until the first finishes, then proceeds', async () => {
    const id = await deployment('enqueue', {
      concurrency_limit: 1,
      concurrency_options: { collision_strategy: 'ENQUEUE' },
    });
    const first = await deploymentRun(id);
    const second = await deploymentRun(id);
    const claimed = await setFlowRunState(first, { type: 'PENDING' });
    expect(claimed.body).toMatchObject({ status: 'ACCEPT' });
    const leaseId = ((claimed.body.state as Json).state_details as Json)
      .deployment_concurrency_lease_id as string;
    expect(leaseId).toEqual(expect.any(String));
    // the worker's Submitting step keeps the lease on the state
    const submitting = await setFlowRunState(first, { type: 'PENDING', name: 'Submitting' });
    expect(submitting.body).toMatchObject({
      status: 'ACCEPT',
      state: { name: 'Submitting', state_details: { deployment_concurrency_lease_id: leaseId } },
    });
    const held = await setFlowRunState(second, { type: 'PENDING' });
    expect(held.body).toMatchObject({
      status: 'REJECT',
      state: { type: 'SCHEDULED', name: 'AwaitingConcurrencySlot' },
    });
    expect(await deploymentSlots(id)).toBe(1);
    // still held on a retry while the first run is busy; the engine keeps its lease alive
    expect((await setFlowRunState(first, { type: 'RUNNING' })).body).toMatchObject({
      status: 'ACCEPT',
      state: { state_details: { deployment_concurrency_lease_id: leaseId } },
    });
    const renewed = await call(
      'POST',
      `/v2/concurrency_limits/leases/${leaseId}/renew`,
      '/v2/concurrency_limits/leases/{lease_id}/renew',
      { lease_duration: 300 },
    );
    expect(renewed.status).toBe(204);
    expect((await setFlowRunState(second, { type: 'PENDING' })).body).toMatchObject({ status: 'REJECT' });
    expect((await setFlowRunState(first, { type: 'COMPLETED' })).body).toMatchObject({ status: 'ACCEPT' });
    expect(await deploymentSlots(id)).toBe(0);
    // the released lease is gone: the engine's next renewal learns it with a 410
    expect(
      (
        await call(
          'POST',
          `/v2/concurrency_limits/leases/${leaseId}/renew`,
          '/v2/concurrency_limits/leases/{lease_id}/renew',
          { lease_duration: 300 },
        )
      ).status,
    ).toBe(410);
    const proceeds = await setFlowRunState(second, { type: 'PENDING' });
    expect(proceeds.body).toMatchObject({ status: 'ACCEPT', state: { type: 'PENDING' } });
    expect(((proceeds.body.state as Json).state_details as Json).deployment_concurrency_lease_id).toEqual(
      expect.any(String),
    );
    expect(await deploymentSlots(id)).toBe(1);
    expect((await setFlowRunState(second, { type: 'CANCELLED' })).body).toMatchObject({ status: 'ACCEPT' });
    expect(await deploymentSlots(id)).toBe(0);
  });

  it('CANCEL_NEW: the second run is cancelled while the first holds the slot', async () => {
    const id = await deployment('cancel-new', {
      concurrency_limit: 1,
      concurrency_options: { collision_strategy: 'CANCEL_NEW' },
    });
    const first = await deploymentRun(id);
    const second = await deploymentRun(id);
    expect((await setFlowRunState(first, { type: 'PENDING' })).body).toMatchObject({ status: 'ACCEPT' });
    const cancelled = await setFlowRunState(second, { type: 'PENDING' });
    expect(cancelled.body).toMatchObject({
      status: 'REJECT',
      state: { type: 'CANCELLED', message: 'Deployment concurrency limit reached.' },
    });
    const read = await call('GET', `/flow_runs/${second}`, '/flow_runs/{id}');
    expect(read.body).toMatchObject({ state_type: 'CANCELLED' });
    expect((await setFlowRunState(first, { type: 'CANCELLED' })).body).toMatchObject({ status: 'ACCEPT' });
    expect(await deploymentSlots(id)).toBe(0);
  });

  it('tag concurrency: with a v1 limit of 1 on a tag, a second task run gets WAIT until the first ends', async () => {
    const limit = await call('POST', '/concurrency_limits/', '/concurrency_limits/', {
      tag: 'e2e-db',
      concurrency_limit: 1,
    });
    expect(limit.status).toBe(201);
    const task = async (key: string) =>
      (
        await call('POST', '/task_runs/', '/task_runs/', {
          name: key,
          task_key: key,
          dynamic_key: '0',
          tags: ['e2e-db'],
        })
      ).body.id as string;
    const setTaskState = (id: string, state: Json) =>
      call('POST', `/task_runs/${id}/set_state`, '/task_runs/{id}/set_state', { state });
    const first = await task('first');
    const second = await task('second');
    expect((await setTaskState(first, { type: 'RUNNING' })).body).toMatchObject({ status: 'ACCEPT' });
    const tagRead = await call('GET', '/concurrency_limits/tag/e2e-db', '/concurrency_limits/tag/{tag}');
    expect(tagRead.body).toMatchObject({ active_slots: [first] });
    const waiting = await setTaskState(second, { type: 'RUNNING' });
    expect(waiting.body).toMatchObject({ status: 'WAIT', details: { type: 'wait_details' } });
    expect(((waiting.body.details as Json).delay_seconds as number) >= 0).toBe(true);
    expect((await setTaskState(first, { type: 'COMPLETED' })).body).toMatchObject({ status: 'ACCEPT' });
    expect((await setTaskState(second, { type: 'RUNNING' })).body).toMatchObject({ status: 'ACCEPT' });
    expect(
      (await call('GET', '/concurrency_limits/tag/e2e-db', '/concurrency_limits/tag/{tag}')).body,
    ).toMatchObject({ active_slots: [second] });
  });

  it('a full v2 limit answers 423 with Retry-After', async () => {
    await call('POST', '/v2/concurrency_limits/', '/v2/concurrency_limits/', {
      name: 'e2e-global',
      limit: 1,
    });
    const increment = () =>
      call('POST', '/v2/concurrency_limits/increment', '/v2/concurrency_limits/increment', {
        names: ['e2e-global'],
        slots: 1,
      });
    expect((await increment()).status).toBe(200);
    const locked = await increment();
    expect(locked.status).toBe(423);
    expect(Number(locked.retryAfter)).toBeGreaterThan(0);
    expect(Number(locked.retryAfter)).toBeLessThanOrEqual(2.6);
  });

  it(
    'an expired lease is reclaimed by the repossessor: the crashed run’s deployment slot comes back',
    async () => {
      const id = await deployment('crashed-worker', { concurrency_limit: 1 });
      const claimed = await deploymentRun(id);
      const claim = await setFlowRunState(claimed, { type: 'PENDING' });
      expect(claim.body).toMatchObject({ status: 'ACCEPT' });
      expect(await deploymentSlots(id)).toBe(1);
      // Nobody renews the lease (the worker "crashed"); a second run stays enqueued meanwhile.
      const next = await deploymentRun(id);
      expect((await setFlowRunState(next, { type: 'PENDING' })).body).toMatchObject({ status: 'REJECT' });
      await waitFor(async () => (await deploymentSlots(id)) === 0, {
        timeoutMs: (LEASE_SECONDS + 45) * 1000,
        intervalMs: 500,
        what: 'the repossessor to reclaim the expired deployment lease',
      });
      expect((await setFlowRunState(next, { type: 'PENDING' })).body).toMatchObject({ status: 'ACCEPT' });
    },
    (LEASE_SECONDS + 60) * 1000,
  );
});
