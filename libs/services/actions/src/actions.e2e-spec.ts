import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ACTIONS_TOPIC, type TriggeredAction } from '@orrery/automations';
import { BlocksModule } from '@orrery/blocks';
import { BusModule, MessageBus } from '@orrery/bus';
import { DeploymentsUseCasesModule } from '@orrery/deployments';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule } from '@orrery/outbox';
import { PersistenceModule } from '@orrery/persistence';
import {
  createTestDatabase,
  OrreryProcess,
  PrivateRedis,
  runOrrery,
  type TestDatabase,
  waitFor,
  postgresRedisEnv,
} from '@orrery/testing';
import { WorkPoolsService, WorkPoolsUseCasesModule } from '@orrery/work-pools';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createBlockDocument,
  createDeploymentRun,
  flowRunEvent,
  HttpReceiver,
  triggeredAction,
} from '../test-fixtures/actions-fixtures';

type Row = Record<string, unknown>;
/** Actions per burst in the HA tests. */
const BURST = 500;

describe('the actions service end to end on PostgreSQL + Redis (real processes)', () => {
  let db: TestDatabase;
  let redis: PrivateRedis;
  let receiver: HttpReceiver;
  let ctx: INestApplicationContext;
  let home: string;
  let env: Record<string, string>;
  const running: OrreryProcess[] = [];

  beforeAll(async () => {
    [db, redis, receiver] = await Promise.all([
      createTestDatabase({ migrate: true }),
      PrivateRedis.start(),
      // The kill test's endpoint answers slowly, so calls are in flight when a process dies.
      HttpReceiver.start((url) => (url.startsWith('/kill') ? 150 : 0)),
    ]);
    home = mkdtempSync(join(tmpdir(), 'orrery-actions-e2e-'));
    env = {
      ...postgresRedisEnv(db.url, redis.url()),
      PREFECT_HOME: home,
      PREFECT_SERVER_DATABASE_MIGRATE_ON_START: 'false',
      PREFECT_MESSAGING_CACHE: 'prefect_redis.messaging',
      PREFECT_REDIS_MESSAGING_CONSUMER_MIN_IDLE_TIME: '2',
    };
    // The test's own wiring: creates blocks, deployments, runs and pools, and publishes actions.
    @Module({
      imports: [
        PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 2 }),
        BusModule.forRoot({ driver: 'redis', redis: { url: redis.url() } }),
        JobsModule.forRoot({ driver: 'in-process' }),
        OutboxModule.forRoot(),
        BlocksModule,
        DeploymentsUseCasesModule,
        WorkPoolsUseCasesModule,
      ],
    })
    class Setup {}
    ctx = await NestFactory.createApplicationContext(Setup, { logger: ['error'] });
    await ctx.init();
  }, 180_000);

  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop('SIGTERM')));
  });

  afterAll(async () => {
    await ctx?.close();
    await receiver?.close();
    await redis?.stop();
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  /** `node dist/apps/actions/src/main.js` × n (run the build first), once they are ready. */
  async function startActions(n: number): Promise<OrreryProcess[]> {
    const started = Array.from({ length: n }, () => OrreryProcess.startApp('actions', env));
    running.push(...started);
    await Promise.all(started.map((p) => p.waitForOutput(/orrery: ready \(.*actions/, 90_000)));
    return started;
  }

  const block = (slug: string, data: Row): Promise<string> =>
    createBlockDocument(ctx, db.dataSource, slug, data);

  async function publish(actions: readonly TriggeredAction[]): Promise<void> {
    await ctx.get(MessageBus).publishMany(
      ACTIONS_TOPIC,
      actions.map((data) => ({ data })),
    );
  }

  async function ledgerFinal(ids: readonly string[]): Promise<number> {
    const [row] = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM automation_action WHERE id = ANY($1::uuid[]) AND state <> 'STARTED'`,
      [ids],
    )) as { n: number }[];
    return row!.n;
  }

  it('notifies through a custom webhook, runs a deployment, cancels a PENDING run and pauses a pool', async () => {
    await startActions(1);
    const { deploymentId, run: pending } = await createDeploymentRun(ctx, db.dataSource, 'PENDING');
    const pool = await ctx.get(WorkPoolsService).create({
      name: 'e2e-pool',
      description: null,
      type: 'process',
      baseJobTemplate: {},
      isPaused: false,
      concurrencyLimit: null,
      storageConfiguration: {},
    });
    const notifier = await block('custom-webhook', {
      name: 'e2e',
      url: `${receiver.url}/notify`,
      json_data: { text: '{{subject}} / {{body}}' },
    });
    const failed = flowRunEvent(pending.id, 'Failed');
    const actions = [
      triggeredAction(
        {
          type: 'send-notification',
          block_document_id: notifier,
          subject: 'Failed: {{ flow_run.name }}',
          body: '{{ event.event }}',
        },
        failed,
      ),
      triggeredAction(
        { type: 'run-deployment', source: 'selected', deployment_id: deploymentId, parameters: { x: 1 } },
        failed,
      ),
      triggeredAction({ type: 'cancel-flow-run' }, flowRunEvent(pending.id, 'Pending')),
      triggeredAction({ type: 'pause-work-pool', source: 'selected', work_pool_id: pool!.id }, null),
    ];
    await publish(actions);
    await waitFor(async () => (await ledgerFinal(actions.map((a) => a.id))) === actions.length, {
      timeoutMs: 60_000,
      what: 'the four actions to finish',
    });
    const notified = receiver.requests.find((r) => r.url === '/notify');
    expect(notified?.headers['idempotency-key']).toBe(actions[0]!.id);
    expect(JSON.parse(notified!.body)).toEqual({ text: `Failed: ${pending.name} / prefect.flow-run.Failed` });
    const created = (await db.dataSource.query(
      `SELECT parameters, state_type FROM flow_run WHERE idempotency_key = $1`,
      [`automation ${actions[1]!.automation.id}, action 0, invocation ${actions[1]!.id}`],
    )) as Row[];
    expect(created).toEqual([{ parameters: { base: 1, x: 1 }, state_type: 'SCHEDULED' }]);
    const [cancelled] = (await db.dataSource.query(`SELECT state_type FROM flow_run WHERE id = $1`, [
      pending.id,
    ])) as Row[];
    expect(cancelled!.state_type).toBe('CANCELLING');
    const [paused] = (await db.dataSource.query(`SELECT is_paused FROM work_pool WHERE id = $1`, [
      pool!.id,
    ])) as Row[];
    expect(paused!.is_paused).toBe(true);
    const states = (await db.dataSource.query(
      `SELECT state FROM automation_action WHERE id = ANY($1::uuid[])`,
      [actions.map((a) => a.id)],
    )) as Row[];
    expect(states.map((s) => s.state)).toEqual(['EXECUTED', 'EXECUTED', 'EXECUTED', 'EXECUTED']);
  }, 300_000);

  async function burst(tag: string): Promise<{ actions: TriggeredAction[]; hook: string }> {
    const hook = await block('webhook', { url: `${receiver.url}/${tag}`, method: 'POST', headers: {} });
    const automationId = randomUUID();
    const actions = Array.from({ length: BURST }, (_, i) =>
      triggeredAction({ type: 'call-webhook', block_document_id: hook, payload: `{"n": ${i}}` }, null, {
        automationId,
        index: 0,
      }),
    );
    return { actions, hook };
  }

  function received(tag: string): { total: number; distinct: Map<string, number> } {
    const distinct = new Map<string, number>();
    const mine = receiver.requests.filter((r) => r.url === `/${tag}`);
    for (const r of mine) {
      const key = String(r.headers['idempotency-key']);
      distinct.set(key, (distinct.get(key) ?? 0) + 1);
    }
    return { total: mine.length, distinct };
  }

  it(`3 processes share ${BURST} actions: exactly ${BURST} webhook calls, one per idempotency key; services ls shows them`, async () => {
    await startActions(3);
    const { actions } = await burst('ha');
    await publish(actions);
    await waitFor(async () => (await ledgerFinal(actions.map((a) => a.id))) === BURST, {
      timeoutMs: 180_000,
      what: `${BURST} actions to finish`,
    });
    const { total, distinct } = received('ha');
    console.log(`HA burst: ${total} webhook calls, ${distinct.size} distinct idempotency keys`);
    expect(total).toBe(BURST);
    expect([...distinct.keys()].sort()).toEqual(actions.map((a) => a.id).sort());
    type LsRow = { name: string; replicas: string[] | null; consumer_group: { lag: number | null } | null };
    const row = await waitFor(
      async () => {
        const ls = await runOrrery(['server', 'services', 'ls', '-o', 'json'], env);
        const found = (JSON.parse(ls.stdout) as LsRow[]).find((r) => r.name === 'actions');
        return found?.replicas?.length === 3 && found.consumer_group?.lag === 0 ? found : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1000, what: 'services ls to show 3 actions replicas with lag 0' },
    );
    expect(row.replicas).toHaveLength(3);
  }, 600_000); // three processes start, then 500 actions run, on a shared 2-core machine

  it(`kill -9 of one of 3 processes mid-burst: ${BURST} distinct keys, none missing; re-sends only for actions in flight`, async () => {
    const [victim] = await startActions(3);
    const { actions } = await burst('kill');
    await publish(actions);
    await waitFor(() => received('kill').total >= BURST / 4, {
      timeoutMs: 120_000,
      what: 'a quarter of the burst',
    });
    await victim!.stop('SIGKILL');
    await waitFor(async () => (await ledgerFinal(actions.map((a) => a.id))) === BURST, {
      timeoutMs: 180_000,
      what: `${BURST} actions to finish after the kill`,
    });
    const { total, distinct } = received('kill');
    const resent = [...distinct.entries()].filter(([, n]) => n > 1).map(([key]) => key);
    console.log(
      `kill -9 mid-burst: ${total} webhook calls, ${distinct.size} distinct keys, ${total - distinct.size} re-sends ` +
        `(${resent.length} actions re-sent)`,
    );
    expect([...distinct.keys()].sort()).toEqual(actions.map((a) => a.id).sort());
    // A re-sent key belongs to an action the ledger saw start more than once: in flight at the kill.
    if (resent.length > 0) {
      const rows = (await db.dataSource.query(
        `SELECT count(*)::int AS n FROM automation_action WHERE id = ANY($1::uuid[]) AND attempts > 1`,
        [resent],
      )) as { n: number }[];
      expect(rows[0]!.n).toBe(resent.length);
    }
    // Each process handles at most ACTIONS_CONCURRENCY actions at a time: only those can be re-sent.
    expect(resent.length).toBeLessThanOrEqual(4);
  }, 600_000);
});
