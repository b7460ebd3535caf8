import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BusModule } from '@orrery/bus';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule } from '@orrery/outbox';
import { type DatabaseOptions, PersistenceModule } from '@orrery/persistence';
import {
  ContractValidator,
  createPgliteTestDatabase,
  createTestDatabase,
  TEST_API_OPTIONS,
  waitFor,
} from '@orrery/testing';
import WebSocket from 'ws';
import { ApiModule } from '../api.module';
import { createHttpApplication } from '../http/create-http-application';
import { RestApiModule } from '../rest-api.module';
import { DATABASE_PROBE } from '../root/ports';

type Json = Record<string, unknown>;

/** The REST API listening on a real port (websockets), with its own in-memory bus. */
async function startApi(database: DatabaseOptions): Promise<NestFastifyApplication> {
  @Module({
    imports: [
      PersistenceModule.forRoot(database),
      BusModule.forRoot({ driver: 'memory' }),
      JobsModule.forRoot({ driver: 'in-process' }),
      OutboxModule.forRoot(),
      ApiModule.forRoot({
        options: TEST_API_OPTIONS,
        providers: [{ provide: DATABASE_PROBE, useValue: { ping: () => Promise.resolve() } }],
      }),
      RestApiModule,
    ],
  })
  class TaskWorkersRoot {}
  const app = await createHttpApplication(TaskWorkersRoot, TEST_API_OPTIONS, {
    log() {},
    error() {},
    warn() {},
  });
  await app.listen(0, '127.0.0.1');
  return app;
}

/** A task worker as the SDK's `Subscription` drives it (auth, subscribe, ack after each run). */
class TestTaskWorker {
  readonly runs: Json[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly frames: Json[] = [];

  private constructor(
    readonly socket: WebSocket,
    readonly autoAck: boolean,
  ) {
    this.closed = new Promise((resolve) =>
      socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })),
    );
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as Json;
      if (frame.type === 'auth_success') {
        this.frames.push(frame);
        return;
      }
      this.runs.push(frame);
      if (this.autoAck) socket.send(JSON.stringify({ type: 'ack' }));
    });
  }

  static async connect(app: NestFastifyApplication, autoAck = true): Promise<TestTaskWorker> {
    const port = (app.getHttpServer().address() as { port: number }).port;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/task_runs/subscriptions/scheduled`, ['prefect']);
    const worker = new TestTaskWorker(socket, autoAck);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'auth', token: null }));
    await waitFor(() => worker.frames.length > 0, { what: 'auth_success' });
    expect(worker.frames[0]).toEqual({ type: 'auth_success' });
    return worker;
  }

  subscribe(keys: string[], clientId: string | undefined = randomUUID()): void {
    this.socket.send(
      JSON.stringify({ type: 'subscribe', keys, ...(clientId ? { client_id: clientId } : {}) }),
    );
  }
}

describe.each([
  ['PostgreSQL', 'postgres'],
  ['PGlite (embedded)', 'pglite'],
] as const)('background task runs on %s', (_label, kind) => {
  const contract = new ContractValidator();
  let database: DatabaseOptions;
  let drop: () => Promise<void>;
  let app: NestFastifyApplication;
  const open: TestTaskWorker[] = [];

  beforeAll(async () => {
    if (kind === 'postgres') {
      const db = await createTestDatabase({ migrate: true, poolSize: 1 });
      database = { kind: 'postgres', url: db.url, poolSize: 3 };
      drop = () => db.drop();
    } else {
      // One live PGlite per process: migrate, close, then let the API open the same directory.
      const db = await createPgliteTestDatabase({ migrate: true });
      await db.dataSource.destroy();
      database = { kind: 'pglite', dataDir: db.dataDir };
      drop = () => db.drop();
    }
    app = await startApi(database);
  }, 60_000);
  afterEach(() => {
    for (const worker of open.splice(0)) worker.socket.close();
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  async function worker(autoAck = true, on = app): Promise<TestTaskWorker> {
    const w = await TestTaskWorker.connect(on, autoAck);
    open.push(w);
    return w;
  }

  async function call(method: string, url: string, path: string, body?: unknown, on = app) {
    const response = await on
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: method as 'POST',
        url,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
      });
    const parsed: unknown = response.body === '' ? null : response.json();
    contract.assert({ method, path, status: response.statusCode, body: parsed });
    return { status: response.statusCode, body: parsed as Json };
  }

  /** What `Task.delay()` posts: a task run without a flow run, SCHEDULED with `deferred`. */
  async function submit(taskKey: string, on = app): Promise<Json> {
    const created = await call(
      'POST',
      '/api/task_runs/',
      '/task_runs/',
      {
        name: `${taskKey}-run`,
        task_key: taskKey,
        dynamic_key: randomUUID(),
        state: { type: 'SCHEDULED', name: 'Scheduled', state_details: { deferred: true } },
        empirical_policy: {},
        tags: [],
        task_inputs: {},
      },
      on,
    );
    expect(created.status).toBe(201);
    return created.body;
  }

  it('closes with 4001 when the subscription lacks its type, keys or client_id', async () => {
    const cases: [Json, string][] = [
      [{ type: 'hello', keys: ['k'], client_id: 'c' }, "Protocol violation: expected 'subscribe' message"],
      [
        { type: 'subscribe', keys: [], client_id: 'c' },
        "Protocol violation: expected 'keys' in subscribe message",
      ],
      [{ type: 'subscribe', keys: ['k'] }, "Protocol violation: expected 'client_id' in subscribe message"],
    ];
    for (const [message, reason] of cases) {
      const w = await worker();
      w.socket.send(JSON.stringify(message));
      expect(await w.closed).toEqual({ code: 4001, reason });
    }
  });

  it('delivers runs submitted before and after the subscription, once each, as TaskRun JSON', async () => {
    const key = `before-after-${randomUUID()}`;
    const early = await submit(key);
    const other = await submit(`unrelated-${randomUUID()}`);
    const w = await worker();
    w.subscribe([key]);
    await waitFor(() => w.runs.length >= 1, { timeoutMs: 15_000, what: 'the earlier run' });
    const late = await submit(key);
    await waitFor(() => w.runs.length >= 2, { timeoutMs: 15_000, what: 'the later run' });
    expect(w.runs.map((r) => r.id)).toEqual([early.id, late.id]);
    expect(w.runs[0]).toMatchObject({
      id: early.id,
      task_key: key,
      flow_run_id: null,
      state: { type: 'SCHEDULED', state_details: { deferred: true } },
    });
    expect(w.runs.map((r) => r.id)).not.toContain(other.id);
    // Nothing more arrives (no duplicates): a further run is the next frame.
    const third = await submit(key);
    await waitFor(() => w.runs.length >= 3, { timeoutMs: 15_000, what: 'the third run' });
    expect(w.runs.map((r) => r.id)).toEqual([early.id, late.id, third.id]);
  }, 60_000);

  it('does not deliver a run that left SCHEDULED before a worker came', async () => {
    const key = `taken-${randomUUID()}`;
    const taken = await submit(key);
    const pending = await call(
      'POST',
      `/api/task_runs/${String(taken.id)}/set_state`,
      '/task_runs/{id}/set_state',
      {
        state: { type: 'PENDING', state_details: { deferred: true } },
      },
    );
    expect(pending.body).toMatchObject({ status: 'ACCEPT' });
    const waiting = await submit(key);
    const w = await worker();
    w.subscribe([key]);
    await waitFor(() => w.runs.length >= 1, { timeoutMs: 15_000, what: 'the scheduled run' });
    expect(w.runs.map((r) => r.id)).toEqual([waiting.id]);
  }, 60_000);

  it('re-delivers a run whose worker left without acknowledging it to another worker', async () => {
    const key = `redeliver-${randomUUID()}`;
    const silent = await worker(false);
    silent.subscribe([key]);
    const run = await submit(key);
    await waitFor(() => silent.runs.length >= 1, { timeoutMs: 15_000, what: 'the first delivery' });
    silent.socket.close();
    await silent.closed;
    const patient = await worker();
    patient.subscribe([key]);
    await waitFor(() => patient.runs.length >= 1, { timeoutMs: 30_000, what: 'the re-delivery' });
    expect(patient.runs.map((r) => r.id)).toEqual([run.id]);
  }, 60_000);

  it('catches up on SCHEDULED runs of the database that a fresh bus never queued (a restarted server)', async () => {
    const key = `restart-${randomUUID()}`;
    const first = await submit(key);
    const second = await submit(key);
    await app.close();
    app = await startApi(database);
    const a = await worker();
    const b = await worker();
    a.subscribe([key]);
    b.subscribe([key]);
    await waitFor(() => a.runs.length + b.runs.length >= 2, { timeoutMs: 15_000, what: 'the restored runs' });
    const third = await submit(key);
    await waitFor(() => a.runs.length + b.runs.length >= 3, { timeoutMs: 15_000, what: 'the next run' });
    const delivered = [...a.runs, ...b.runs].map((r) => r.id);
    // Each exactly once, although two subscribers caught up at the same time.
    expect(delivered.sort()).toEqual([first.id, second.id, third.id].sort());
  }, 90_000);

  it('POST /task_workers/filter lists connected workers and their keys, by key, until they leave', async () => {
    const key = `listed-${randomUUID()}`;
    const clientId = `worker-${randomUUID()}`;
    const w = await worker();
    w.subscribe([key, `${key}-b`], clientId);
    const listed = await waitFor(
      async () => {
        const { body } = await call('POST', '/api/task_workers/filter', '/task_workers/filter', {
          task_worker_filter: { task_keys: [key] },
        });
        return (body as unknown as Json[]).length === 1 ? (body as unknown as Json[]) : undefined;
      },
      { timeoutMs: 10_000, what: 'the listed worker' },
    );
    expect(listed[0]).toMatchObject({ identifier: clientId });
    expect((listed[0]!.task_keys as string[]).sort()).toEqual([key, `${key}-b`].sort());
    const all = await call('POST', '/api/task_workers/filter', '/task_workers/filter');
    expect((all.body as unknown as Json[]).map((x) => x.identifier)).toContain(clientId);
    const none = await call('POST', '/api/task_workers/filter', '/task_workers/filter', {
      task_worker_filter: { task_keys: ['nobody-runs-this'] },
    });
    expect(none.body).toEqual([]);
    const bad = await call('POST', '/api/task_workers/filter', '/task_workers/filter', {
      task_worker_filter: { task_keys: 'not-a-list' },
    });
    expect(bad.status).toBe(422);
    w.socket.close();
    await waitFor(
      async () => {
        const { body } = await call('POST', '/api/task_workers/filter', '/task_workers/filter', {
          task_worker_filter: { task_keys: [key] },
        });
        return (body as unknown as Json[]).length === 0;
      },
      { timeoutMs: 10_000, what: 'the worker to be forgotten' },
    );
  }, 60_000);
});
