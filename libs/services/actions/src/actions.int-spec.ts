import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { ACTIONS_TOPIC } from '@orrery/automations';
import { BusModule, MessageBus } from '@orrery/bus';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule } from '@orrery/outbox';
import { AutomationRepository, PersistenceModule } from '@orrery/persistence';
import { createTestDatabase, type TestDatabase, waitFor } from '@orrery/testing';
import { WorkPoolsService } from '@orrery/work-pools';
import { randomUUID } from 'node:crypto';
import {
  createBlockDocument,
  createDeploymentRun,
  flowRunEvent,
  HttpReceiver,
  triggeredAction,
} from '../test-fixtures/actions-fixtures';
import { ActionsConsumer } from './actions.consumer';
import { ActionsModule } from './actions.module';

type Row = Record<string, unknown>;

describe('the actions service on PostgreSQL', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let receiver: HttpReceiver;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    receiver = await HttpReceiver.start();
    @Module({
      imports: [
        PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 4 }),
        BusModule.forRoot({ driver: 'memory' }),
        JobsModule.forRoot({ driver: 'in-process' }),
        OutboxModule.forRoot(),
        ActionsModule,
      ],
    })
    class Root {}
    app = await NestFactory.createApplicationContext(Root, { logger: ['error'] });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await db?.drop();
  });

  const blockDocument = (slug: string, data: Row): Promise<string> =>
    createBlockDocument(app, db.dataSource, slug, data);

  async function deploymentAndRun(
    state: 'PENDING' | 'SCHEDULED' = 'PENDING',
  ): Promise<{ deploymentId: string; runId: string }> {
    const { deploymentId, run } = await createDeploymentRun(app, db.dataSource, state);
    return { deploymentId, runId: run.id };
  }

  /** The action events the service wrote to the outbox for an invocation (TriggeredAction id). */
  async function actionEvents(invocation: string): Promise<Row[]> {
    const rows = (await db.dataSource.query(
      `SELECT data FROM outbox WHERE data->>'event' LIKE 'prefect.automation.action.%'
         AND data->'payload'->>'invocation' = $1 ORDER BY id`,
      [invocation],
    )) as { data: Row }[];
    return rows.map((r) => r.data);
  }

  it('sends a notification through a custom-webhook block with the templated body and the idempotency key', async () => {
    const { runId } = await deploymentAndRun();
    const block = await blockDocument('custom-webhook', {
      name: 'ops',
      url: `${receiver.url}/notify`,
      json_data: { text: '{{subject}}|{{body}}' },
    });
    const action = triggeredAction(
      {
        type: 'send-notification',
        block_document_id: block,
        subject: 'Run {{ flow_run.name }} failed',
        body: 'state={{ flow_run.state.name }} id={{ event.resource["prefect.resource.id"] }}',
      },
      flowRunEvent(runId, 'Failed'),
    );
    const before = receiver.requests.length;
    await app.get(MessageBus).publish(ACTIONS_TOPIC, action);
    await waitFor(async () => (await actionEvents(action.id)).length === 2, {
      timeoutMs: 20_000,
      what: 'action events',
    });
    const request = receiver.requests[before]!;
    expect(request.headers['idempotency-key']).toBe(action.id);
    const runName = (
      (await db.dataSource.query(`SELECT name FROM flow_run WHERE id = $1`, [runId])) as Row[]
    )[0]!.name;
    expect(JSON.parse(request.body)).toEqual({
      text: `Run ${String(runName)} failed|state=Failed id=prefect.flow-run.${runId}`,
    });
    const [triggered, executed] = await actionEvents(action.id);
    expect(triggered).toMatchObject({
      event: 'prefect.automation.action.triggered',
      resource: {
        'prefect.resource.id': `prefect.automation.${action.automation.id}`,
        'prefect.trigger-type': 'event',
      },
      payload: { action_index: 0, action_type: 'send-notification', invocation: action.id },
      follows: action.triggering_event!.id,
    });
    expect(executed).toMatchObject({ event: 'prefect.automation.action.executed', follows: triggered!.id });
    expect((executed!.related as Row[]).map((r) => r['prefect.resource.role'])).toEqual([
      'block',
      'block-type',
      'automation-triggered-event',
      'triggering-event',
    ]);
  });

  it('acts once per idempotency key: a redelivered action is skipped, a crashed attempt re-sends the same key', async () => {
    const block = await blockDocument('webhook', {
      url: `${receiver.url}/hook`,
      method: 'POST',
      headers: {},
    });
    const action = triggeredAction(
      { type: 'call-webhook', block_document_id: block, payload: '{"a": {{ 1 + 1 }}}' },
      null,
    );
    const consumer = app.get(ActionsConsumer, { strict: false });
    const before = receiver.requests.length;
    expect(await consumer.act(action)).toBe('executed');
    expect(await consumer.act(action)).toBe('skipped');
    // A fresh process (no in-memory cache) sees the ledger's final row and skips too.
    const fresh = new ActionsConsumer(
      (consumer as unknown as { runner: never }).runner,
      (consumer as unknown as { ledger: never }).ledger,
      (consumer as unknown as { outbox: never }).outbox,
    );
    expect(await fresh.act(action)).toBe('skipped');
    expect(receiver.requests.length - before).toBe(1);
    expect(receiver.requests[before]!.body).toBe('{"a": 2}');
    const [, executed] = await actionEvents(action.id);
    expect(executed!.payload).toMatchObject({ status_code: 200, response_body: 'ok' });
    expect(Object.keys(executed!.payload as Row)).not.toContain('x-secret-token');
    expect(
      (executed!.payload as { response_headers: Row }).response_headers['x-secret-token'],
    ).toBeUndefined();
    // An attempt that died before finishing leaves the row STARTED: the next one acts again, same key.
    const crashed = triggeredAction({ type: 'call-webhook', block_document_id: block, payload: 'x' }, null);
    await db.dataSource.query(
      `INSERT INTO automation_action (id, automation_id, action_index, action_type) VALUES ($1, $2, 0, 'call-webhook')`,
      [crashed.id, crashed.automation.id],
    );
    expect(await fresh.act(crashed)).toBe('executed');
    const [row] = (await db.dataSource.query(`SELECT state, attempts FROM automation_action WHERE id = $1`, [
      crashed.id,
    ])) as Row[];
    expect(row).toEqual({ state: 'EXECUTED', attempts: 2 });
    expect(receiver.requests.at(-1)!.headers['idempotency-key']).toBe(crashed.id);
  });

  it('runs a deployment (inferred) with hydrated parameters, job variables and schedule_after', async () => {
    const { deploymentId, runId } = await deploymentAndRun('SCHEDULED');
    const event = flowRunEvent(runId, 'Completed', {
      related: [
        {
          'prefect.resource.id': `prefect.deployment.${deploymentId}`,
          'prefect.resource.role': 'deployment',
        },
      ],
    });
    const action = triggeredAction(
      {
        type: 'run-deployment',
        source: 'inferred',
        parameters: {
          upstream: '{{ event.resource["prefect.resource.id"] }}',
          n: { __prefect_kind: 'json', value: '[1]' },
        },
        job_variables: { image: 'x' },
        schedule_after: 'PT1H',
      },
      event,
    );
    expect(await app.get(ActionsConsumer, { strict: false }).act(action)).toBe('executed');
    const [, executed] = await actionEvents(action.id);
    const created = (executed!.related as Row[]).find((r) => r['prefect.resource.role'] === 'flow-run')!;
    const newRunId = String(created['prefect.resource.id']).slice('prefect.flow-run.'.length);
    const [run] = (await db.dataSource.query(
      `SELECT deployment_id, parameters, job_variables, state_type, idempotency_key, next_scheduled_start_time, created_by
       FROM flow_run WHERE id = $1`,
      [newRunId],
    )) as Row[];
    expect(run).toMatchObject({
      deployment_id: deploymentId,
      parameters: { base: 1, upstream: `prefect.flow-run.${runId}`, n: [1] },
      job_variables: { image: 'x' },
      state_type: 'SCHEDULED',
      idempotency_key: `automation ${action.automation.id}, action 0, invocation ${action.id}`,
      created_by: { id: action.automation.id, type: 'AUTOMATION', display_value: 'on failure' },
    });
    const startsIn = new Date(run!.next_scheduled_start_time as string).getTime() - Date.now();
    expect(startsIn).toBeGreaterThan(50 * 60_000);
  });

  it('cancels a PENDING flow run, and fails with the reason when nothing can be inferred', async () => {
    const { runId } = await deploymentAndRun('PENDING');
    const consumer = app.get(ActionsConsumer, { strict: false });
    const action = triggeredAction({ type: 'cancel-flow-run' }, flowRunEvent(runId, 'Pending'));
    expect(await consumer.act(action)).toBe('executed');
    const [run] = (await db.dataSource.query(`SELECT state_type, state_name FROM flow_run WHERE id = $1`, [
      runId,
    ])) as Row[];
    expect(run).toEqual({ state_type: 'CANCELLING', state_name: 'Cancelling' });
    const [, executed] = await actionEvents(action.id);
    expect(executed!.payload).toMatchObject({ status_code: 201 });

    const orphan = triggeredAction({ type: 'cancel-flow-run' }, null);
    expect(await consumer.act(orphan)).toBe('failed');
    const [, failed] = await actionEvents(orphan.id);
    expect(failed).toMatchObject({
      event: 'prefect.automation.action.failed',
      payload: { reason: 'No flow run could be inferred', action_type: 'cancel-flow-run' },
    });
  });

  it('pauses and resumes a work pool; a missing deployment fails with upstream’s reason', async () => {
    const pools = app.get(WorkPoolsService, { strict: false });
    const pool = await pools.create({
      name: `pool-${randomUUID().slice(0, 8)}`,
      description: null,
      type: 'process',
      baseJobTemplate: {},
      isPaused: false,
      concurrencyLimit: null,
      storageConfiguration: {},
    });
    const consumer = app.get(ActionsConsumer, { strict: false });
    expect(
      await consumer.act(
        triggeredAction({ type: 'pause-work-pool', source: 'selected', work_pool_id: pool!.id }, null),
      ),
    ).toBe('executed');
    const status = async (): Promise<Row> =>
      (
        (await db.dataSource.query(`SELECT is_paused, status FROM work_pool WHERE id = $1`, [
          pool!.id,
        ])) as Row[]
      )[0]!;
    expect(await status()).toEqual({ is_paused: true, status: 'PAUSED' });
    expect(
      await consumer.act(
        triggeredAction({ type: 'resume-work-pool', source: 'selected', work_pool_id: pool!.id }, null),
      ),
    ).toBe('executed');
    expect((await status()).is_paused).toBe(false);

    const missing = triggeredAction(
      { type: 'pause-deployment', source: 'selected', deployment_id: randomUUID() },
      null,
    );
    expect(await consumer.act(missing)).toBe('failed');
    const [, failed] = await actionEvents(missing.id);
    expect(failed!.payload).toMatchObject({
      reason: "Unexpected status from 'pause-deployment' action: 404",
      status_code: 404,
    });
  });

  /** One flow run's state as the database has it. */
  const runState = async (runId: string): Promise<Row | undefined> =>
    (
      (await db.dataSource.query(
        `SELECT state_type, state_name, r.state_id, s.message FROM flow_run r
         LEFT JOIN flow_run_state s ON s.id = r.state_id WHERE r.id = $1`,
        [runId],
      )) as Row[]
    )[0];

  it('changes a flow run’s state, suspends it, resumes it and deletes it (each inferred from the event)', async () => {
    const { runId } = await deploymentAndRun('PENDING');
    const consumer = app.get(ActionsConsumer, { strict: false });
    const event = () => flowRunEvent(runId, 'Pending');

    const change = triggeredAction(
      { type: 'change-flow-run-state', state: 'RUNNING', name: 'Running', message: 'moved on', force: false },
      event(),
    );
    expect(await consumer.act(change)).toBe('executed');
    expect(await runState(runId)).toMatchObject({
      state_type: 'RUNNING',
      state_name: 'Running',
      message: 'moved on',
    });
    const [, changed] = await actionEvents(change.id);
    expect(changed).toMatchObject({
      event: 'prefect.automation.action.executed',
      payload: { action_type: 'change-flow-run-state', status_code: 201 },
    });
    expect((changed!.related as Row[])[0]).toEqual({
      'prefect.resource.id': `prefect.flow-run.${runId}`,
      'prefect.resource.role': 'target',
    });
    // An invalid state type is a failed action, not a crash.
    const invalid = triggeredAction({ type: 'change-flow-run-state', state: 'SLEEPING' }, event());
    expect(await consumer.act(invalid)).toBe('failed');

    const suspend = triggeredAction({ type: 'suspend-flow-run' }, event());
    expect(await consumer.act(suspend)).toBe('executed');
    expect(await runState(runId)).toMatchObject({
      state_type: 'PAUSED',
      state_name: 'Suspended',
      message: `Suspended by Automation ${suspend.automation.id}`,
    });

    const resume = triggeredAction({ type: 'resume-flow-run' }, event());
    expect(await consumer.act(resume)).toBe('executed');
    // A suspended run (reschedule) resumes to Scheduled "Resuming", for a worker to pick up again.
    expect(await runState(runId)).toMatchObject({ state_type: 'SCHEDULED', state_name: 'Resuming' });
    // Resuming a run that is no longer paused is refused by the engine: a failed action with the reason.
    const again = triggeredAction({ type: 'resume-flow-run' }, event());
    expect(await consumer.act(again)).toBe('failed');
    const [, refused] = await actionEvents(again.id);
    expect(String((refused!.payload as Row).reason)).toMatch(/^Failed to resume flow run: /);

    const del = triggeredAction({ type: 'delete-flow-run' }, event());
    expect(await consumer.act(del)).toBe('executed');
    expect(await runState(runId)).toBeUndefined();
    const [, deleted] = await actionEvents(del.id);
    expect(deleted!.payload).toMatchObject({ status_code: 204 });
    // The run is gone: deleting it again fails with upstream's reason.
    const twice = triggeredAction({ type: 'delete-flow-run' }, event());
    expect(await consumer.act(twice)).toBe('failed');
    const [, missing] = await actionEvents(twice.id);
    expect(missing!.payload).toMatchObject({
      reason: "Unexpected status from 'delete-flow-run' action: 404",
      status_code: 404,
    });
  });

  it('pauses and resumes a work queue (selected, then inferred from the event)', async () => {
    const pool = await app.get(WorkPoolsService, { strict: false }).create({
      name: `queues-${randomUUID().slice(0, 8)}`,
      description: null,
      type: 'process',
      baseJobTemplate: {},
      isPaused: false,
      concurrencyLimit: null,
      storageConfiguration: {},
    });
    const [queue] = (await db.dataSource.query(`SELECT id FROM work_queue WHERE work_pool_id = $1`, [
      pool!.id,
    ])) as { id: string }[];
    const paused = async (): Promise<unknown> =>
      (
        (await db.dataSource.query(`SELECT is_paused FROM work_queue WHERE id = $1`, [queue!.id])) as Row[]
      )[0]!.is_paused;
    const consumer = app.get(ActionsConsumer, { strict: false });
    const pause = triggeredAction(
      { type: 'pause-work-queue', source: 'selected', work_queue_id: queue!.id },
      null,
    );
    expect(await consumer.act(pause)).toBe('executed');
    expect(await paused()).toBe(true);
    const [, executed] = await actionEvents(pause.id);
    expect((executed!.related as Row[])[0]).toEqual({
      'prefect.resource.id': `prefect.work-queue.${queue!.id}`,
      'prefect.resource.role': 'target',
    });
    const resume = triggeredAction(
      { type: 'resume-work-queue', source: 'inferred' },
      flowRunEvent(randomUUID(), 'Late', {
        related: [
          { 'prefect.resource.id': `prefect.work-queue.${queue!.id}`, 'prefect.resource.role': 'work-queue' },
        ],
      }),
    );
    expect(await consumer.act(resume)).toBe('executed');
    expect(await paused()).toBe(false);
    // Nothing to infer from: failed with the reason.
    const orphan = triggeredAction(
      { type: 'pause-work-queue', source: 'inferred' },
      flowRunEvent(randomUUID(), 'Late'),
    );
    expect(await consumer.act(orphan)).toBe('failed');
    const [, failed] = await actionEvents(orphan.id);
    expect(failed!.payload).toMatchObject({ reason: 'No work queue could be inferred' });
  });

  it('pauses and resumes an automation, each emitting prefect.automation.updated', async () => {
    const automations = app.get(AutomationRepository, { strict: false });
    const target = await automations.create(db.dataSource.manager, {
      name: `target-${randomUUID().slice(0, 8)}`,
      description: '',
      enabled: true,
      tags: [],
      trigger: triggeredAction({ type: 'do-nothing' }, null).automation.trigger,
      actions: [{ type: 'do-nothing' }],
      actionsOnTrigger: [],
      actionsOnResolve: [],
    });
    const consumer = app.get(ActionsConsumer, { strict: false });
    const enabled = async (): Promise<unknown> =>
      ((await db.dataSource.query(`SELECT enabled FROM automation WHERE id = $1`, [target.id])) as Row[])[0]!
        .enabled;
    const updates = async (): Promise<number> =>
      (
        (await db.dataSource.query(
          `SELECT count(*)::int AS n FROM outbox WHERE data->>'event' = 'prefect.automation.updated'
             AND data->'resource'->>'prefect.resource.id' = $1`,
          [`prefect.automation.${target.id}`],
        )) as { n: number }[]
      )[0]!.n;
    const pause = triggeredAction(
      { type: 'pause-automation', source: 'selected', automation_id: target.id },
      null,
    );
    expect(await consumer.act(pause)).toBe('executed');
    expect(await enabled()).toBe(false);
    expect(await updates()).toBe(1);
    const resume = triggeredAction(
      { type: 'resume-automation', source: 'selected', automation_id: target.id },
      null,
    );
    expect(await consumer.act(resume)).toBe('executed');
    expect(await enabled()).toBe(true);
    expect(await updates()).toBe(2);
    const missing = triggeredAction(
      { type: 'resume-automation', source: 'selected', automation_id: randomUUID() },
      null,
    );
    expect(await consumer.act(missing)).toBe('failed');
  });

  it('pauses and resumes a deployment', async () => {
    const { deploymentId } = await deploymentAndRun('SCHEDULED');
    const consumer = app.get(ActionsConsumer, { strict: false });
    const paused = async (): Promise<unknown> =>
      (
        (await db.dataSource.query(`SELECT paused FROM deployment WHERE id = $1`, [deploymentId])) as Row[]
      )[0]!.paused;
    const pause = triggeredAction(
      { type: 'pause-deployment', source: 'selected', deployment_id: deploymentId },
      null,
    );
    expect(await consumer.act(pause)).toBe('executed');
    expect(await paused()).toBe(true);
    const resume = triggeredAction(
      { type: 'resume-deployment', source: 'inferred' },
      flowRunEvent(randomUUID(), 'Completed', {
        related: [
          {
            'prefect.resource.id': `prefect.deployment.${deploymentId}`,
            'prefect.resource.role': 'deployment',
          },
        ],
      }),
    );
    expect(await consumer.act(resume)).toBe('executed');
    expect(await paused()).toBe(false);
    const [, executed] = await actionEvents(resume.id);
    expect(executed!.payload).toMatchObject({ action_type: 'resume-deployment', status_code: 200 });
  });

  it('reports a template error in the .failed event instead of crashing', async () => {
    const block = await blockDocument('custom-webhook', {
      name: 'x',
      url: `${receiver.url}/n`,
      json_data: { t: '{{body}}' },
    });
    const action = triggeredAction(
      { type: 'send-notification', block_document_id: block, subject: 's', body: '{% for x in y %}unclosed' },
      null,
    );
    expect(await app.get(ActionsConsumer, { strict: false }).act(action)).toBe('failed');
    const [, failed] = await actionEvents(action.id);
    expect(failed!.payload).toMatchObject({ template_source: '{% for x in y %}unclosed' });
    expect(String((failed!.payload as Row).reason)).toMatch(/^Template rendering failed: /);
  });
});
