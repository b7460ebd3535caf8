import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DATA_SOURCE } from '@orrery/persistence';
import { createTestDatabase, startTestApi, type TestDatabase } from '@orrery/testing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the test seeds through the data source; the use-case code never imports typeorm
import type { DataSource } from 'typeorm';
import { FlowRunCreator } from './flow-run-creator';
import { OrchestrationTransactions } from './orchestration-transactions';

const PARAMS = { apiVersion: null, clientVersion: null };

describe('OrchestrationTransactions on PostgreSQL', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let sql: DataSource;
  let flowId: string;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
    sql = app.get<DataSource>(DATA_SOURCE);
    [{ id: flowId }] = (await sql.query(`INSERT INTO flow (name) VALUES ('tx-flow') RETURNING id`)) as [
      { id: string },
    ];
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const outboxEventIds = async () =>
    (
      (await sql.query(`SELECT data->>'id' AS id FROM outbox WHERE topic = 'events'`)) as { id: string }[]
    ).map((r) => r.id);

  it('commits the state row, the run columns and the event together', async () => {
    const { run } = await app.get(FlowRunCreator, { strict: false }).create(
      {
        flowId,
        name: 'tx-commit',
        flowVersion: null,
        parameters: {},
        context: {},
        parentTaskRunId: null,
        infrastructureDocumentId: null,
        empiricalPolicy: {},
        tags: [],
        labels: null,
        idempotencyKey: null,
        workPoolName: null,
        workQueueName: null,
        jobVariables: {},
        deploymentId: null,
        state: null,
        createdBy: null,
      },
      PARAMS,
    );
    expect(run).toMatchObject({ stateType: 'PENDING', labels: { 'prefect.flow.id': flowId } });
    expect(await outboxEventIds()).toContain(run.stateId);
  });

  it('keeps nothing — state, run columns, event — when the transaction fails after orchestrating', async () => {
    const [{ id }] = (await sql.query(
      `INSERT INTO flow_run (name, flow_id) VALUES ('tx-rollback', $1) RETURNING id`,
      [flowId],
    )) as [{ id: string }];
    let newStateId: string | null = null;
    await expect(
      app.get(OrchestrationTransactions, { strict: false }).run(async (unit) => {
        const run = await unit.lockFlowRun(id);
        const result = await unit.setFlowRunState(
          run!,
          { type: 'RUNNING' },
          { force: false, params: PARAMS },
        );
        newStateId = result.newState!.id;
        throw new Error('the request failed after orchestrating');
      }),
    ).rejects.toThrow('the request failed after orchestrating');
    expect(newStateId).not.toBeNull();
    expect(await sql.query(`SELECT state_type, run_count FROM flow_run WHERE id = $1`, [id])).toEqual([
      { state_type: null, run_count: 0 },
    ]);
    expect(await sql.query(`SELECT id FROM flow_run_state WHERE flow_run_id = $1`, [id])).toEqual([]);
    expect(await outboxEventIds()).not.toContain(newStateId);
  });

  it('reads the state a racing transaction committed while it waited for the run lock', async () => {
    const [{ id }] = (await sql.query(
      `INSERT INTO flow_run (name, flow_id) VALUES ('tx-race', $1) RETURNING id`,
      [flowId],
    )) as [{ id: string }];
    const transactions = app.get(OrchestrationTransactions, { strict: false });
    await transactions.run(async (unit) => {
      await unit.setFlowRunState(
        (await unit.lockFlowRun(id))!,
        { type: 'SCHEDULED' },
        { force: true, params: PARAMS },
      );
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let firstLocked!: () => void;
    const locked = new Promise<void>((resolve) => (firstLocked = resolve));
    const first = transactions.run(async (unit) => {
      const run = await unit.lockFlowRun(id);
      firstLocked();
      await gate;
      return unit.setFlowRunState(run!, { type: 'PENDING' }, { force: false, params: PARAMS });
    });
    await locked;
    const second = transactions.run(async (unit) => {
      const run = await unit.lockFlowRun(id);
      return {
        seen: run!.state!.type,
        result: await unit.setFlowRunState(run!, { type: 'PENDING' }, { force: false, params: PARAMS }),
      };
    });
    // The second transaction is blocked on the row lock (pg_stat_activity says so) before the first commits.
    const waitingDeadline = Date.now() + 10_000;
    for (;;) {
      const [{ waiting }] = (await sql.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )) as [{ waiting: number }];
      if (waiting > 0) break;
      if (Date.now() > waitingDeadline) throw new Error('the second transaction never waited for the lock');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    release();
    expect((await first).status).toBe('ACCEPT');
    const { seen, result } = await second;
    expect(seen).toBe('PENDING');
    expect(result.status).toBe('ABORT');
  });
});
