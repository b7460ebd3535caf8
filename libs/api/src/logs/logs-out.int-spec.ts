import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BusModule } from '@orrery/bus';
import { loadSettings, SettingsModule } from '@orrery/config';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule } from '@orrery/outbox';
import { PersistenceModule } from '@orrery/persistence';
import {
  ContractValidator,
  createTestDatabase,
  startTestApi,
  TEST_API_OPTIONS,
  PrivateRedis,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import WebSocket from 'ws';
import { ApiModule } from '../api.module';
import { createHttpApplication } from '../http/create-http-application';
import { RestApiModule } from '../rest-api.module';
import { DATABASE_PROBE } from '../root/ports';

type Json = Record<string, unknown>;

const RUN_A = '01930000-0000-7000-8000-00000000a0a1';
const RUN_B = '01930000-0000-7000-8000-00000000b0a1';
const TASK_A = '01930000-0000-7000-8000-00000000c0a1';
const ENABLED = {
  PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED: 'true',
  PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED: 'true',
};

/** One API replica: its own Nest application and HTTP port, the shared database and Redis bus. */
async function startReplica(
  url: string,
  redisUrl: string,
  env: NodeJS.ProcessEnv,
): Promise<NestFastifyApplication> {
  @Module({
    imports: [
      SettingsModule.forRoot(loadSettings(env)),
      PersistenceModule.forRoot({ kind: 'postgres', url, poolSize: 2 }),
      BusModule.forRoot({ driver: 'redis', redis: { url: redisUrl } }),
      JobsModule.forRoot({ driver: 'in-process' }),
      OutboxModule.forRoot(),
      ApiModule.forRoot({
        options: TEST_API_OPTIONS,
        providers: [{ provide: DATABASE_PROBE, useValue: { ping: () => Promise.resolve() } }],
      }),
      RestApiModule,
    ],
  })
  class ReplicaRoot {}
  const app = await createHttpApplication(ReplicaRoot, TEST_API_OPTIONS, { log() {}, error() {}, warn() {} });
  await app.listen(0, '127.0.0.1');
  return app;
}

function portOf(app: NestFastifyApplication): number {
  return (app.getHttpServer().address() as { port: number }).port;
}

interface Subscriber {
  socket: WebSocket;
  frames: Json[];
  closed: Promise<{ code: number; reason: string }>;
}

async function subscribe(app: NestFastifyApplication, message: Json): Promise<Subscriber> {
  const socket = new WebSocket(`ws://127.0.0.1:${portOf(app)}/api/logs/out`, ['prefect']);
  const frames: Json[] = [];
  socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as Json));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'auth', token: null }));
  socket.send(JSON.stringify(message));
  return { socket, frames, closed };
}

function logCreate(overrides: Json): Json {
  return {
    name: 'prefect.flow_runs',
    level: 20,
    message: 'a line',
    timestamp: new Date().toISOString(),
    flow_run_id: RUN_A,
    task_run_id: null,
    ...overrides,
  };
}

describe('WS /api/logs/out across API replicas (PostgreSQL, Redis bus)', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  // The `logs` topic name is fixed, so this suite runs a Redis of its own.
  let redis: PrivateRedis;
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true, poolSize: 1 });
    redis = await PrivateRedis.start();
    [a, b] = await Promise.all([
      startReplica(db.url, redis.url(), ENABLED),
      startReplica(db.url, redis.url(), ENABLED),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.dispose();
    await db?.drop();
  });

  /** POST /api/logs/ through `app`, checked against the contract. */
  async function postLogs(app: NestFastifyApplication, logs: Json[]): Promise<void> {
    const response = await fetch(`http://127.0.0.1:${portOf(app)}/api/logs/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(logs),
    });
    const body = (await response.json()) as unknown;
    contract.assert({ method: 'post', path: '/logs/', status: response.status, body });
    expect(response.status).toBe(201);
  }

  /** The subscription is live once the server has read the filter: post probes until one arrives. */
  async function untilLive(app: NestFastifyApplication, s: Subscriber, probe: Json): Promise<void> {
    await waitFor(
      async () => {
        await postLogs(app, [logCreate({ ...probe, message: 'probe' })]);
        await new Promise((r) => setTimeout(r, 100));
        return s.frames.some((f) => f.type === 'log');
      },
      { timeoutMs: 15_000, what: 'the subscription to go live' },
    );
  }

  it('streams the logs POSTed to another replica, in order, filtered by run, task run and level', async () => {
    const s = await subscribe(a, {
      type: 'filter',
      filter: { flow_run_id: { any_: [RUN_A] }, task_run_id: { is_null_: true }, level: { ge_: 20 } },
    });
    await untilLive(b, s, {});
    const already = s.frames.length;
    const wanted = Array.from({ length: 30 }, (_, i) =>
      logCreate({ message: `line ${i}`, level: 20 + (i % 3) * 10 }),
    );
    await postLogs(b, [
      logCreate({ message: 'other run', flow_run_id: RUN_B }),
      logCreate({ message: 'debug', level: 10 }),
      logCreate({ message: 'in a task', task_run_id: TASK_A }),
      ...wanted.slice(0, 10),
    ]);
    await postLogs(b, wanted.slice(10, 20));
    await postLogs(a, wanted.slice(20));
    // A sentinel after the burst: once it is here, a duplicate or a stray of the burst would be too.
    await postLogs(b, [logCreate({ message: 'sentinel' })]);
    await waitFor(() => s.frames.some((f) => (f.log as Json | undefined)?.message === 'sentinel'), {
      what: 'the 30 logs and the sentinel',
      timeoutMs: 15_000,
    });
    expect((s.frames[s.frames.length - 1]!.log as Json).message).toBe('sentinel');
    const live = s.frames.slice(already, -1);
    expect(live.map((f) => (f.log as Json).message)).toEqual(wanted.map((l) => l.message));
    const stored = (await db.dataSource.query(`SELECT id::text FROM log WHERE message = 'line 0'`)) as {
      id: string;
    }[];
    expect(live[0]).toEqual({
      type: 'log',
      log: {
        id: stored[0]!.id,
        created: expect.any(String),
        updated: expect.any(String),
        name: 'prefect.flow_runs',
        level: 20,
        message: 'line 0',
        timestamp: String(wanted[0]!.timestamp).replace(/Z$/, '000Z'),
        flow_run_id: RUN_A,
        task_run_id: null,
      },
    });
    s.socket.close();
  });

  it('applies task_run_id.any_, level.le_ and the timestamp window', async () => {
    const now = Date.now();
    const s = await subscribe(b, {
      type: 'filter',
      filter: {
        task_run_id: { any_: [TASK_A] },
        level: { le_: 30 },
        timestamp: {
          after_: new Date(now - 60_000).toISOString(),
          before_: new Date(now + 60_000).toISOString(),
        },
      },
    });
    await untilLive(a, s, { task_run_id: TASK_A });
    const already = s.frames.length;
    await postLogs(a, [
      logCreate({ message: 'no task', task_run_id: null }),
      logCreate({ message: 'too loud', task_run_id: TASK_A, level: 40 }),
      logCreate({
        message: 'too old',
        task_run_id: TASK_A,
        timestamp: new Date(now - 3_600_000).toISOString(),
      }),
      logCreate({ message: 'kept', task_run_id: TASK_A, level: 30 }),
    ]);
    await postLogs(a, [logCreate({ message: 'sentinel', task_run_id: TASK_A, level: 30 })]);
    await waitFor(() => s.frames.some((f) => (f.log as Json | undefined)?.message === 'sentinel'), {
      what: 'the kept log and the sentinel',
    });
    expect(s.frames.slice(already).map((f) => (f.log as Json).message)).toEqual(['kept', 'sentinel']);
    s.socket.close();
  });

  it("closes 1002 unless the first message is a valid filter (upstream's reasons)", async () => {
    const notFilter = await subscribe(a, { type: 'nope' });
    expect(await notFilter.closed).toEqual({ code: 1002, reason: "Expected 'filter' message" });
    const bad = await subscribe(a, { type: 'filter', filter: { bogus: 1 } });
    const closed = await bad.closed;
    expect(closed.code).toBe(1002);
    expect(closed.reason).toMatch(/^Invalid filter: /);
    const badLevel = await subscribe(a, { type: 'filter', filter: { level: { ge_: 'loud' } } });
    expect((await badLevel.closed).code).toBe(1002);
  });

  it('serves the socket silently when PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED is off (its default), as upstream', async () => {
    const off = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 1 });
    try {
      await off.listen(0, '127.0.0.1');
      // The filter is still validated: a bad one closes 1002 with upstream's reason.
      const bad = await subscribe(off, { type: 'nope' });
      expect(await bad.closed).toEqual({ code: 1002, reason: "Expected 'filter' message" });
      // A good one is accepted and the socket stays open, sending no log (`prefect deployment run
      // --watch` opens it and stops watching if it is refused or closed).
      const quiet = await subscribe(off, { type: 'filter', filter: {} });
      const later = await subscribe(off, { type: 'nope' });
      await later.closed; // the server has handled both sockets' filter messages by now
      await new Promise<void>((resolve) => {
        quiet.socket.once('pong', () => resolve());
        quiet.socket.ping();
      });
      expect(quiet.socket.readyState).toBe(WebSocket.OPEN);
      expect(quiet.frames.filter((f) => f.type === 'log')).toEqual([]);
      quiet.socket.close();
      expect((await quiet.closed).code).toBe(1005);
    } finally {
      await off.close();
    }
  });
});
