import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ContractValidator,
  contractDirectory,
  createTestDatabase,
  freePort,
  lazy,
  OrreryProcess,
  PrivateRedis,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import { WebSocket } from 'ws';

type Json = Record<string, unknown>;

interface TranscriptEntry {
  seq: number;
  method?: string;
  path: string;
  req_body?: unknown;
}

/** The worker's requests in the process-worker transcript (spec-api-orchestration §6.2). */
const TRANSCRIPT: TranscriptEntry[] = lazy(() =>
  readFileSync(join(contractDirectory(), 'transcripts', 'process-worker-deployment.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TranscriptEntry),
);

/** The body the SDK sent to `method path` (the n-th such request), with recorded ids swapped for ours. */
function recorded(method: string, path: RegExp, ids: Record<string, string>, nth = 0): Json {
  const entry = TRANSCRIPT.filter((e) => e.method === method && path.test(e.path))[nth];
  if (entry === undefined) throw new Error(`no ${method} ${String(path)} in the transcript`);
  let text = JSON.stringify(entry.req_body);
  for (const [from, to] of Object.entries(ids)) text = text.split(from).join(to);
  return JSON.parse(text) as Json;
}

/** Ids the transcript was recorded with. */
const RECORDED = {
  flow: 'e5f7219a-cb68-4420-9fa1-70aa1ec86106',
  deployment: '31aa98c2-cd46-4e3f-b6df-2b4eb6b1531e',
  run: '14a964db-2133-40c2-9a54-b7be818a5ae4',
  pool: 'd568722d-dc36-427b-a1d1-6560b3f448d2',
};

/** `str(datetime)` as the worker sends it: a space separator and `+00:00`. */
const pythonTime = (at: Date) => at.toISOString().replace('T', ' ').replace('Z', '+00:00');

/** Short foreman intervals so a silent worker is noticed within seconds. */
const FOREMAN_ENV = {
  PREFECT_SERVER_SERVICES_FOREMAN_LOOP_SECONDS: '1',
  PREFECT_SERVER_SERVICES_FOREMAN_DEPLOYMENT_LAST_POLLED_TIMEOUT_SECONDS: '3',
  PREFECT_SERVER_SERVICES_FOREMAN_WORK_QUEUE_LAST_POLLED_TIMEOUT_SECONDS: '3',
  PREFECT_SERVER_SERVICES_EVENT_PERSISTER_FLUSH_INTERVAL: '0.5',
  // Nothing else should write runs or states behind the test's back.
  PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED: 'false',
  PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED: 'false',
};

interface Mode {
  readonly name: string;
  readonly setUp: (home: string) => Promise<{ env: Record<string, string>; tearDown: () => Promise<void> }>;
}

const MODES: Mode[] = [
  {
    name: 'the embedded default (PGlite, in-process bus and jobs)',
    setUp: () => Promise.resolve({ env: {}, tearDown: () => Promise.resolve() }),
  },
  {
    name: 'PostgreSQL + Redis',
    setUp: async () => {
      const db: TestDatabase = await createTestDatabase({ migrate: true });
      // Stream and group names are fixed (`events`, `event-persister`), so this suite runs a Redis
      // of its own.
      const server = await PrivateRedis.start();
      const redis = server.url();
      return {
        env: {
          PREFECT_API_DATABASE_CONNECTION_URL: db.url,
          PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
          PREFECT_MESSAGING_CACHE: 'prefect_redis.messaging',
          PREFECT_REDIS_MESSAGING_URL: redis,
          PREFECT_SERVER_DOCKET_URL: redis,
        },
        tearDown: async () => {
          await server.dispose();
          await db.drop();
        },
      };
    },
  },
];

/*
 * A worker's REST protocol replayed against a real `orrery server start` (all services on, from
 * dist/), in both deployment shapes: the worker websocket is refused with 404, the pool is created
 * and made READY by the first heartbeat, a deployment's scheduled run is polled, two workers race
 * for it and the loser gets ABORT, the winner submits, records its pid, runs and completes it;
 * workers are listed and deleted. Then the foreman notices a worker that stops heartbeating.
 */
describe.each(MODES)('worker protocol end to end on $name', (mode) => {
  const contract = new ContractValidator();
  let home: string;
  let server: OrreryProcess;
  let port: number;
  let tearDown: () => Promise<void> = () => Promise.resolve();

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'orrery-worker-e2e-'));
    const setUp = await mode.setUp(home);
    tearDown = setUp.tearDown;
    port = await freePort();
    server = OrreryProcess.start(['server', 'start', '--port', String(port)], {
      PREFECT_HOME: home,
      ...FOREMAN_ENV,
      ...setUp.env,
    });
    await server.waitForOutput(/orrery: ready \(api.*foreman/, 60_000);
  }, 120_000);

  afterAll(async () => {
    const code = await server?.stop();
    await tearDown();
    rmSync(home, { recursive: true, force: true });
    if (code !== 0) throw new Error(`the server exited with ${String(code)}:\n${server.output()}`);
  });

  async function call(method: string, template: string, path: string, body?: unknown) {
    const response = await fetch(`http://127.0.0.1:${port}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-prefect-api-version': '0.8.4' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed: unknown = text === '' ? null : JSON.parse(text);
    contract.assert({ method, path: template, status: response.status, body: parsed });
    return { status: response.status, body: parsed as Json };
  }
  const heartbeat = (pool: string, name: string, interval: number) =>
    call('POST', '/work_pools/{work_pool_name}/workers/heartbeat', `/work_pools/${pool}/workers/heartbeat`, {
      name,
      heartbeat_interval_seconds: interval,
    });
  const poll = (pool: string) =>
    call(
      'POST',
      '/work_pools/{name}/get_scheduled_flow_runs',
      `/work_pools/${pool}/get_scheduled_flow_runs`,
      {
        work_queue_names: [],
        scheduled_before: pythonTime(new Date(Date.now() + 10_000)),
      },
    );
  /** Persisted events of `names` about `resourceId`, oldest first. */
  const eventsAbout = async (resourceId: string, names: string[]) =>
    (
      await call('POST', '/events/filter', '/events/filter', {
        filter: { order: 'ASC', event: { name: names }, resource: { id: [resourceId] } },
        limit: 50,
      })
    ).body.events as Json[];

  it('refuses the worker websocket with 404, so the worker stays on REST', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/work_pools/p/workers/connect`);
    const status = await new Promise<number>((resolve, reject) => {
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.once('open', () => reject(new Error('the worker websocket was accepted')));
      socket.once('error', reject);
    });
    socket.terminate();
    expect(status).toBe(404);
  });

  it('replays a process worker: pool, heartbeat, poll, a raced claim, submission, pid, run, completion, workers', async () => {
    // Pool sync: 404, then the worker creates it with its template; the first heartbeat makes it READY.
    expect((await call('GET', '/work_pools/{name}', '/work_pools/p')).status).toBe(404);
    const created = await call(
      'POST',
      '/work_pools/',
      '/work_pools/',
      recorded('POST', /^\/api\/work_pools\/$/, {}),
    );
    expect(created).toMatchObject({ status: 201, body: { name: 'p', type: 'process', status: 'NOT_READY' } });
    const poolId = String(created.body.id);
    expect((await heartbeat('p', 'worker-a', 30)).status).toBe(204);
    expect((await heartbeat('p', 'worker-b', 30)).status).toBe(204);
    expect((await call('GET', '/work_pools/{name}', '/work_pools/p')).body.status).toBe('READY');
    expect((await poll('p')).body).toEqual([]);

    // The deployment and its scheduled run, as `prefect deploy` and `run_deployment` make them.
    const flow = (await call('POST', '/flows/', '/flows/', { name: 'demo-two-tasks', tags: [], labels: {} }))
      .body;
    const ids = { [RECORDED.flow]: String(flow.id), [RECORDED.pool]: poolId };
    const deployment = await call(
      'POST',
      '/deployments/',
      '/deployments/',
      recorded('POST', /^\/api\/deployments\/$/, ids),
    );
    expect(deployment.status).toBe(201);
    ids[RECORDED.deployment] = String(deployment.body.id);
    const runBody = recorded('POST', /create_flow_run$/, ids);
    (runBody.state as { state_details: Json }).state_details.scheduled_time = new Date().toISOString();
    const run = await call(
      'POST',
      '/deployments/{id}/create_flow_run',
      `/deployments/${String(deployment.body.id)}/create_flow_run`,
      runBody,
    );
    expect(run).toMatchObject({ status: 201, body: { state_type: 'SCHEDULED', work_pool_name: 'p' } });
    const runId = String(run.body.id);
    ids[RECORDED.run] = runId;

    // Both workers poll and see the run.
    for (let i = 0; i < 2; i++) {
      const polled = await poll('p');
      expect(polled.status).toBe(200);
      expect(polled.body).toEqual([
        expect.objectContaining({
          work_pool_id: poolId,
          work_queue_id: deployment.body.work_queue_id,
          flow_run: expect.objectContaining({ id: runId, state_type: 'SCHEDULED' }) as unknown,
        }),
      ]);
    }

    // Both claim it at once: exactly one ACCEPT (PENDING), the other ABORT.
    const setState = (body: Json) =>
      call('POST', '/flow_runs/{id}/set_state', `/flow_runs/${runId}/set_state`, body);
    // Each worker proposes its own transition (one transition id each: a repeated id would be a
    // client retry, which PreventDuplicateTransitions rejects instead).
    const claim = () => {
      const body = recorded('POST', /set_state$/, ids, 0);
      (body.state as { state_details: Json }).state_details.transition_id = randomUUID();
      return setState(body);
    };
    const claims = await Promise.all([claim(), claim()]);
    // Prefect answers 201 when the state was written, 200 otherwise.
    expect(claims.map((c) => [c.body.status, c.status]).sort()).toEqual([
      ['ABORT', 200],
      ['ACCEPT', 201],
    ]);
    const winner = claims.find((c) => c.body.status === 'ACCEPT')!;
    expect(winner.body.state).toMatchObject({ type: 'PENDING', name: 'Pending' });
    // A claimed run is no longer handed out.
    expect((await poll('p')).body).toEqual([]);

    // The winner labels, submits, starts the process and records its pid.
    expect(
      (
        await call(
          'PATCH',
          '/flow_runs/{id}/labels',
          `/flow_runs/${runId}/labels`,
          recorded('PATCH', /\/labels$/, ids),
        )
      ).status,
    ).toBe(204);
    const submitting = await setState(recorded('POST', /set_state$/, ids, 1));
    expect(submitting.body).toMatchObject({
      status: 'ACCEPT',
      state: { type: 'PENDING', name: 'Submitting' },
    });
    expect(
      (await call('PATCH', '/flow_runs/{id}', `/flow_runs/${runId}`, { infrastructure_pid: '6915' })).status,
    ).toBe(204);
    const running = await setState(recorded('POST', /set_state$/, ids, 2));
    expect(running.body).toMatchObject({ status: 'ACCEPT', state: { type: 'RUNNING' } });
    const completed = await setState(recorded('POST', /set_state$/, ids, 3));
    expect(completed.body).toMatchObject({ status: 'ACCEPT', state: { type: 'COMPLETED' } });
    expect((await call('GET', '/flow_runs/{id}', `/flow_runs/${runId}`)).body).toMatchObject({
      state_type: 'COMPLETED',
      infrastructure_pid: '6915',
      run_count: 1,
      labels: expect.objectContaining({
        'prefect.work-pool.name': 'p',
        'prefect.worker.type': 'process',
      }) as unknown,
    });

    // Workers: both ONLINE; one leaves.
    const online = await call(
      'POST',
      '/work_pools/{work_pool_name}/workers/filter',
      '/work_pools/p/workers/filter',
      {
        workers: { status: { any_: ['ONLINE'] } },
        offset: null,
        limit: null,
      },
    );
    expect((online.body as unknown as Json[]).map((w) => w.name).sort()).toEqual(['worker-a', 'worker-b']);
    expect(
      (await call('DELETE', '/work_pools/{work_pool_name}/workers/{name}', '/work_pools/p/workers/worker-b'))
        .status,
    ).toBe(204);
    expect(
      (await call('DELETE', '/work_pools/{work_pool_name}/workers/{name}', '/work_pools/p/workers/worker-b'))
        .status,
    ).toBe(404);
    const left = await call(
      'POST',
      '/work_pools/{work_pool_name}/workers/filter',
      '/work_pools/p/workers/filter',
      {},
    );
    expect((left.body as unknown as Json[]).map((w) => w.name)).toEqual(['worker-a']);

    // The readiness the heartbeat and the polls caused went out as events.
    await waitFor(
      async () =>
        (await eventsAbout(`prefect.work-pool.${poolId}`, ['prefect.work-pool.ready'])).length === 1,
      {
        timeoutMs: 20_000,
        what: 'prefect.work-pool.ready',
      },
    );
    await waitFor(
      async () =>
        (await eventsAbout(`prefect.deployment.${String(deployment.body.id)}`, ['prefect.deployment.ready']))
          .length === 1,
      { timeoutMs: 20_000, what: 'prefect.deployment.ready' },
    );
    const states = await waitFor(
      async () => {
        const found = await eventsAbout(`prefect.flow-run.${runId}`, [
          'prefect.flow-run.Scheduled',
          'prefect.flow-run.Pending',
          'prefect.flow-run.Submitting',
          'prefect.flow-run.Running',
          'prefect.flow-run.Completed',
        ]);
        return found.length >= 5 ? found : undefined;
      },
      { timeoutMs: 20_000, what: 'the run’s state events' },
    );
    expect(states.map((e) => e.event)).toEqual([
      'prefect.flow-run.Scheduled',
      'prefect.flow-run.Pending',
      'prefect.flow-run.Submitting',
      'prefect.flow-run.Running',
      'prefect.flow-run.Completed',
    ]);
  }, 120_000);

  it('the foreman marks a worker that stops heartbeating OFFLINE and its pool, queue and deployment NOT_READY', async () => {
    const pool = await call('POST', '/work_pools/', '/work_pools/', { name: 'fading', type: 'process' });
    const poolId = String(pool.body.id);
    // Interval 1 s: OFFLINE after 3 s of silence (× the default multiple 3).
    await heartbeat('fading', 'short-lived', 1);
    const flow = (await call('POST', '/flows/', '/flows/', { name: 'fading-flow' })).body;
    const deployment = (
      await call('POST', '/deployments/', '/deployments/', {
        name: 'fading',
        flow_id: flow.id,
        work_pool_name: 'fading',
      })
    ).body;
    await poll('fading');
    // …and then nothing more from that worker.
    await waitFor(
      async () => {
        const [workers, poolNow, queueNow, deploymentNow] = await Promise.all([
          call(
            'POST',
            '/work_pools/{work_pool_name}/workers/filter',
            '/work_pools/fading/workers/filter',
            {},
          ),
          call('GET', '/work_pools/{name}', '/work_pools/fading'),
          call('GET', '/work_pools/{work_pool_name}/queues/{name}', '/work_pools/fading/queues/default'),
          call('GET', '/deployments/{id}', `/deployments/${String(deployment.id)}`),
        ]);
        return (
          (workers.body as unknown as Json[])[0]?.status === 'OFFLINE' &&
          poolNow.body.status === 'NOT_READY' &&
          queueNow.body.status === 'NOT_READY' &&
          deploymentNow.body.status === 'NOT_READY'
        );
      },
      {
        timeoutMs: 30_000,
        intervalMs: 250,
        what: 'the worker OFFLINE and the pool, queue, deployment NOT_READY',
      },
    );
    const poolEvents = await waitFor(
      async () => {
        const found = await eventsAbout(`prefect.work-pool.${poolId}`, [
          'prefect.work-pool.ready',
          'prefect.work-pool.not-ready',
        ]);
        return found.length >= 3 ? found : undefined;
      },
      { timeoutMs: 20_000, what: 'the pool’s status events' },
    );
    // Created NOT_READY (announced; as upstream, that id is not stored, so nothing follows it),
    // READY on the heartbeat, NOT_READY from the foreman following the READY one.
    expect(poolEvents.map((e) => e.event)).toEqual([
      'prefect.work-pool.not-ready',
      'prefect.work-pool.ready',
      'prefect.work-pool.not-ready',
    ]);
    expect(poolEvents[2]!.follows).toBe(poolEvents[1]!.id);
    const notReady = await waitFor(
      async () => {
        const [forDeployment, forQueue] = await Promise.all([
          eventsAbout(`prefect.deployment.${String(deployment.id)}`, ['prefect.deployment.not-ready']),
          eventsAbout(`prefect.work-queue.${String(deployment.work_queue_id)}`, [
            'prefect.work-queue.not-ready',
          ]),
        ]);
        return forDeployment.length === 1 && forQueue.length === 1 ? { forDeployment, forQueue } : undefined;
      },
      { timeoutMs: 20_000, what: 'the deployment and queue not-ready events' },
    );
    expect(notReady.forQueue[0]!.related).toEqual([
      expect.objectContaining({
        'prefect.resource.id': `prefect.work-pool.${poolId}`,
        'prefect.resource.role': 'work-pool',
      }),
    ]);
    // A heartbeat brings the pool back.
    await heartbeat('fading', 'short-lived', 1);
    expect((await call('GET', '/work_pools/{name}', '/work_pools/fading')).body.status).toBe('READY');
  }, 90_000);
});
