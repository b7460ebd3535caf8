import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BusModule, MessageBus, waitForTopicDrained } from '@orrery/bus';
import { PersistenceModule, TaskRunRecorderRepository } from '@orrery/persistence';
import { randomUUID } from 'node:crypto';
import {
  contractDirectory,
  createTestDatabase,
  failInserts,
  pendingDeliveryCounts,
  PrivateRedis,
  sdkTaskRunEvent,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaskRunRecorderModule, taskRunRecorderOptionsFrom } from './task-run-recorder.module';
import { taskRunRows, type TaskRunEvent } from './task-run-rows';

/** The task-run events a real SDK sent over WS /api/events/in (transcript flow-two-tasks). */
function transcriptTaskRunEvents(): { flowRunId: string; events: Record<string, unknown>[] } {
  const lines = readFileSync(join(contractDirectory(), 'transcripts', 'flow-two-tasks.jsonl'), 'utf8').split(
    '\n',
  );
  const events = lines
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { kind: string; data?: unknown })
    .filter((r) => r.kind === 'ws-in' && JSON.stringify(r.data ?? {}).includes('"prefect.task-run.'))
    .map((r) => r.data as Record<string, unknown>);
  const related = events[0]!.related as Record<string, string>[];
  const flowRunId = related
    .find((r) => r['prefect.resource.role'] === 'flow-run')!
    ['prefect.resource.id']!.slice('prefect.flow-run.'.length);
  return { flowRunId, events };
}

describe('task-run-recorder on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
  });
  afterAll(() => db.drop());

  it('records the SDK task runs from events that arrive out of order and twice', async () => {
    const { flowRunId, events } = transcriptTaskRunEvents();
    expect(events.length).toBeGreaterThanOrEqual(6);
    // The flow run the tasks belong to, under the transcript's id.
    const [flow] = (await db.dataSource.query(`INSERT INTO flow (name) VALUES ('demo') RETURNING id`)) as {
      id: string;
    }[];
    await db.dataSource.query(`INSERT INTO flow_run (id, name, flow_id) VALUES ($1, 'r', $2)`, [
      flowRunId,
      flow!.id,
    ]);

    @Module({
      imports: [
        PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 2 }),
        BusModule.forRoot({ driver: 'memory' }),
        TaskRunRecorderModule.forRoot(taskRunRecorderOptionsFrom(undefined)),
      ],
    })
    class Root {}
    const app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
    try {
      const bus = app.get(MessageBus);
      // Newest first, then everything again: the recorder must end on each task's Completed state.
      const reversed = [...events].reverse();
      await bus.publishMany(
        'events',
        [...reversed, ...events].map((data) => ({ data })),
      );
      const taskRunIds = [
        ...new Set(
          events.map((e) =>
            (e.resource as Record<string, string>)['prefect.resource.id']!.slice('prefect.task-run.'.length),
          ),
        ),
      ];
      await waitFor(
        async () => {
          const rows = (await db.dataSource.query(`SELECT state_name FROM task_run WHERE flow_run_id = $1`, [
            flowRunId,
          ])) as {
            state_name: string;
          }[];
          return rows.length === taskRunIds.length && rows.every((r) => r.state_name === 'Completed');
        },
        { what: 'every task run recorded as Completed' },
      );
      const states = (await db.dataSource.query(
        `SELECT s.id FROM task_run_state s JOIN task_run t ON t.id = s.task_run_id WHERE t.flow_run_id = $1`,
        [flowRunId],
      )) as { id: string }[];
      expect(states.map((s) => s.id).sort()).toEqual(events.map((e) => e.id as string).sort());
      const [run] = (await db.dataSource.query(
        `SELECT name, task_key, run_count, start_time IS NOT NULL AS started, end_time IS NOT NULL AS ended,
                extract(epoch from total_run_time)::float8 AS seconds, state_id
         FROM task_run WHERE id = $1`,
        [taskRunIds[0]],
      )) as {
        name: string;
        run_count: number;
        started: boolean;
        ended: boolean;
        seconds: number;
        state_id: string;
      }[];
      expect(run).toMatchObject({ run_count: 1, started: true, ended: true });
      expect(run!.seconds).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('honours BATCH_SIZE and FLUSH_INTERVAL: an event waits, pending, until its batch is full', async () => {
    const [flow] = (await db.dataSource.query(`INSERT INTO flow (name) VALUES ('batch') RETURNING id`)) as {
      id: string;
    }[];
    const flowRunId = randomUUID();
    await db.dataSource.query(`INSERT INTO flow_run (id, name, flow_id) VALUES ($1, 'batch', $2)`, [
      flowRunId,
      flow!.id,
    ]);
    @Module({
      imports: [
        PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 2 }),
        BusModule.forRoot({ driver: 'memory', consumer: { blockMs: 20 } }),
        TaskRunRecorderModule.forRoot({ readBatchSize: 1, batchSize: 2, flushIntervalSeconds: 3600 }),
      ],
    })
    class Root {}
    const app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
    const recorded = async (): Promise<number> =>
      Number(
        (
          (await db.dataSource.query(`SELECT count(*) AS n FROM task_run WHERE flow_run_id = $1`, [
            flowRunId,
          ])) as { n: string }[]
        )[0]!.n,
      );
    const event = (n: number) =>
      sdkTaskRunEvent(flowRunId, randomUUID(), n, 'Running', new Date().toISOString());
    try {
      const bus = app.get(MessageBus);
      await bus.publish('events', event(0));
      // Delivered and held in the batch (pending), not written: the batch wants two, the flush is an hour away.
      await waitFor(
        async () =>
          (await bus.describe('events')).groups.find((g) => g.name === 'task-run-recorder')?.pending === 1,
        { what: 'the first event delivered and held' },
      );
      expect(await recorded()).toBe(0);
      await bus.publish('events', event(1));
      await waitForTopicDrained(bus, 'events', { groups: ['task-run-recorder'] });
      expect(await recorded()).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('one statement: a new id under a stored natural key joins that task run, and an older state never wins', async () => {
    const repository = new TaskRunRecorderRepository(db.dataSource);
    const [flow] = (await db.dataSource.query(`INSERT INTO flow (name) VALUES ('keys') RETURNING id`)) as {
      id: string;
    }[];
    const flowRunId = randomUUID();
    await db.dataSource.query(`INSERT INTO flow_run (id, name, flow_id) VALUES ($1, 'k', $2)`, [
      flowRunId,
      flow!.id,
    ]);
    const event = (taskRunId: string, state: string, occurred: string): TaskRunEvent => ({
      id: randomUUID(),
      occurred,
      event: `prefect.task-run.${state}`,
      resource: { 'prefect.resource.id': `prefect.task-run.${taskRunId}`, 'prefect.orchestration': 'client' },
      related: [
        { 'prefect.resource.id': `prefect.flow-run.${flowRunId}`, 'prefect.resource.role': 'flow-run' },
      ],
      payload: {
        validated_state: { type: state.toUpperCase(), name: state },
        task_run: { name: 'k', task_key: 'same-key', dynamic_key: '0', flow_run_id: flowRunId },
      },
    });
    const first = randomUUID();
    const running = event(first, 'Running', '2026-11-22T10:00:01Z');
    const write = (events: TaskRunEvent[]): Promise<number> => {
      const { runs, states } = taskRunRows(events);
      return repository.record(runs, states);
    };
    expect(await write([running])).toBe(1);
    // Another id under the same (flow_run_id, task_key, dynamic_key): recorded on the first task run.
    const completed = event(randomUUID(), 'Completed', '2026-11-22T10:00:03Z');
    expect(await write([completed])).toBe(1);
    // An older state arriving late adds its state row but does not move the task run back.
    const pending = event(first, 'Pending', '2026-11-22T10:00:00Z');
    expect(await write([pending])).toBe(0);
    const runs = (await db.dataSource.query(
      `SELECT id::text, state_id::text, state_name FROM task_run WHERE flow_run_id = $1`,
      [flowRunId],
    )) as { id: string; state_id: string; state_name: string }[];
    expect(runs).toEqual([{ id: first, state_id: completed.id, state_name: 'Completed' }]);
    const states = (await db.dataSource.query(
      `SELECT id::text, task_run_id::text FROM task_run_state WHERE task_run_id = $1 ORDER BY "timestamp"`,
      [first],
    )) as { id: string; task_run_id: string }[];
    expect(states.map((r) => r.id)).toEqual([pending.id, running.id, completed.id]);
    // The same batch again changes nothing.
    expect(await write([pending, running, completed])).toBe(0);
    expect(
      Number(
        (
          (await db.dataSource.query(`SELECT count(*) AS n FROM task_run_state WHERE task_run_id = $1`, [
            first,
          ])) as { n: string }[]
        )[0]!.n,
      ),
    ).toBe(3);
  });
});

describe('task-run-recorder on PostgreSQL and Redis Streams', () => {
  // The topic and group names are fixed (`events`, `task-run-recorder`): a Redis of this suite's own.
  let db: TestDatabase;
  let redis: PrivateRedis;
  let app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true, poolSize: 1 });
    redis = await PrivateRedis.start();
    @Module({
      imports: [
        PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 2 }),
        BusModule.forRoot({
          driver: 'redis',
          redis: { url: redis.url() },
          // Many deliveries before a dead letter: the test holds a message failing on purpose.
          consumer: { blockMs: 50, minIdleMs: 1000, maxDeliveries: 50 },
        }),
        TaskRunRecorderModule.forRoot(taskRunRecorderOptionsFrom(undefined)),
      ],
    })
    class Root {}
    app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await redis?.dispose();
    await db?.drop();
  });

  it('acks only after the commit: a failing write leaves the message pending, and it is redelivered', async () => {
    const [flow] = (await db.dataSource.query(`INSERT INTO flow (name) VALUES ('ack') RETURNING id`)) as {
      id: string;
    }[];
    const flowRunId = randomUUID();
    await db.dataSource.query(`INSERT INTO flow_run (id, name, flow_id) VALUES ($1, 'ack', $2)`, [
      flowRunId,
      flow!.id,
    ]);
    const taskRunId = randomUUID();
    const event = sdkTaskRunEvent(flowRunId, taskRunId, 0, 'Completed', new Date().toISOString());
    const bus = app.get(MessageBus);
    const deliveries = () => pendingDeliveryCounts(redis.url(), 'events', 'task-run-recorder');
    const states = async (): Promise<number> =>
      Number(
        (
          (await db.dataSource.query(`SELECT count(*) AS n FROM task_run_state WHERE task_run_id = $1`, [
            taskRunId,
          ])) as { n: string }[]
        )[0]!.n,
      );
    const failure = await failInserts(db.dataSource, 'task_run_state');
    try {
      await bus.publish('events', event, { id: event.id as string, event: event.event as string });
      // Handled, failed, not acknowledged, and handed out again after min idle (1 s here).
      await waitFor(async () => (await deliveries()).some((n) => n >= 2), {
        timeoutMs: 20_000,
        what: 'the failed message redelivered',
      });
      expect(await states()).toBe(0);
      expect(await deliveries()).toHaveLength(1);
      expect(await bus.deadLetters('events')).toEqual([]);
      await failure.lift();
      await waitForTopicDrained(bus, 'events', { groups: ['task-run-recorder'], timeoutMs: 20_000 });
      expect(await states()).toBe(1);
    } finally {
      await failure.remove();
    }
  });
});
