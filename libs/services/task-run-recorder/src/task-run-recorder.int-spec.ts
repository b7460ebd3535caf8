import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BusModule, MessageBus } from '@orrery/bus';
import { PersistenceModule } from '@orrery/persistence';
import { contractDirectory, createTestDatabase, type TestDatabase, waitFor } from '@orrery/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaskRunRecorderModule } from './task-run-recorder.module';

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
        TaskRunRecorderModule,
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
});
