import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  freePort,
  OrreryProcess,
  PrivateRedis,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import WebSocket from 'ws';

type Json = Record<string, unknown>;

/**
 * How long a run may take to reach the worker before the test calls it lost (a liveness bound, not
 * a latency target: `npm run bench:task-queue` prints the submit → delivery latency).
 */
const DELIVERY_TIMEOUT_MS = 30_000;
const SAMPLES = 5;

/** An SDK-like task worker: auth handshake, subscribe, ack every run; records each arrival. */
async function taskWorker(api: string, keys: string[], clientId: string) {
  const socket = new WebSocket(`${api.replace('http', 'ws')}/task_runs/subscriptions/scheduled`, ['prefect']);
  const arrived = new Set<string>();
  const duplicates: string[] = [];
  let authenticated = false;
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as Json;
    if (frame.type === 'auth_success') {
      authenticated = true;
      socket.send(JSON.stringify({ type: 'subscribe', keys, client_id: clientId }));
      return;
    }
    if (arrived.has(String(frame.id))) duplicates.push(String(frame.id));
    arrived.add(String(frame.id));
    socket.send(JSON.stringify({ type: 'ack' }));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'auth', token: null }));
  await waitFor(() => authenticated, { what: 'auth_success' });
  return { socket, arrived, duplicates };
}

async function post(api: string, path: string, body: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-prefect-api-version': '0.8.4' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

/** What `Task.delay()` posts. */
function deferredRun(taskKey: string): Json {
  return {
    name: `${taskKey}-run`,
    task_key: taskKey,
    dynamic_key: randomUUID(),
    state: { type: 'SCHEDULED', name: 'Scheduled', state_details: { deferred: true } },
    empirical_policy: {},
    tags: [],
    task_inputs: {},
  };
}

/**
 * Submits SAMPLES runs through `submitter`, each awaited at the worker (subscribed elsewhere), then a
 * sentinel run: once the sentinel has arrived, a late second delivery of an earlier run would have too.
 */
async function submitAll(submitter: string, arrived: Set<string>, taskKey: string): Promise<void> {
  for (let i = 0; i <= SAMPLES; i += 1) {
    const created = await post(submitter, '/task_runs/', deferredRun(taskKey));
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    await waitFor(() => arrived.has(id), {
      timeoutMs: DELIVERY_TIMEOUT_MS,
      intervalMs: 5,
      what: `task run ${id} at the worker`,
    });
  }
}

/**
 * The acceptance test of background tasks across replicas: a task worker subscribes through API
 * process A, `.delay()`-ed runs are submitted through API process B (PostgreSQL + Redis bus shared),
 * and every run reaches the worker.
 */
describe('background task runs across two API replicas (PostgreSQL + Redis)', () => {
  // The replicas name their Redis keys without a test prefix, so this suite runs a Redis of its own.
  let redis: PrivateRedis;
  let db: TestDatabase;
  let home: string;
  let replicas: { process: OrreryProcess; url: string }[] = [];
  const taskKey = `e2e-task-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    redis = await PrivateRedis.start();
    const redisUrl = redis.url();
    home = mkdtempSync(join(tmpdir(), 'orrery-task-workers-e2e-'));
    replicas = await Promise.all(
      ['a', 'b'].map(async () => {
        const port = await freePort();
        const process = OrreryProcess.start(['server', 'start', '--no-services', '--port', String(port)], {
          PREFECT_HOME: home,
          PREFECT_API_DATABASE_CONNECTION_URL: db.url,
          PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
          PREFECT_REDIS_MESSAGING_URL: redisUrl,
          PREFECT_SERVER_DOCKET_URL: redisUrl,
        });
        return { process, url: `http://127.0.0.1:${port}/api` };
      }),
    );
    await Promise.all(replicas.map((r) => r.process.waitForOutput(/orrery: ready/, 60_000)));
  }, 90_000);

  afterAll(async () => {
    for (const replica of replicas) await replica.process.stop();
    await db?.drop();
    await redis?.dispose();
    if (home !== undefined) rmSync(home, { recursive: true, force: true });
  });

  it('a worker on replica A receives runs submitted through replica B', async () => {
    const [a, b] = replicas.map((r) => r.url) as [string, string];
    const clientId = randomUUID();
    // A run submitted before any worker exists waits in the queue.
    const early = await post(b, '/task_runs/', deferredRun(taskKey));
    const worker = await taskWorker(a, [taskKey], clientId);
    try {
      await waitFor(() => worker.arrived.has(String(early.body.id)), {
        timeoutMs: 15_000,
        what: 'the run submitted before the worker subscribed',
      });
      // The worker is known to replica A.
      const workers = await post(a, '/task_workers/filter', { task_worker_filter: { task_keys: [taskKey] } });
      expect((workers.body as unknown as Json[]).map((w) => w.identifier)).toEqual([clientId]);

      await submitAll(b, worker.arrived, taskKey);
      // Each run once (the early one, the samples and the sentinel).
      expect(worker.arrived.size).toBe(1 + SAMPLES + 1);
      expect(worker.duplicates).toEqual([]);
    } finally {
      worker.socket.close();
    }
  }, 90_000);
});

describe('background task runs on the embedded server (PGlite, in-process bus)', () => {
  let home: string;
  let server: OrreryProcess;
  let api: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'orrery-task-workers-embedded-'));
    const port = await freePort();
    server = OrreryProcess.start(['server', 'start'], {
      PREFECT_HOME: home,
      PREFECT_SERVER_API_PORT: String(port),
    });
    api = `http://127.0.0.1:${port}/api`;
    await server.waitForOutput(/orrery: ready/, 60_000);
  }, 90_000);

  afterAll(async () => {
    const code = await server?.stop();
    if (home !== undefined) rmSync(home, { recursive: true, force: true });
    if (code !== 0) throw new Error(`the server exited with ${String(code)}:\n${server.output()}`);
  });

  it('a subscribed worker receives each submitted run', async () => {
    const taskKey = `embedded-task-${randomUUID()}`;
    const worker = await taskWorker(api, [taskKey], randomUUID());
    try {
      await submitAll(api, worker.arrived, taskKey);
      expect(worker.arrived.size).toBe(SAMPLES + 1);
      expect(worker.duplicates).toEqual([]);
    } finally {
      worker.socket.close();
    }
  }, 60_000);
});
