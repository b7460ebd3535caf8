import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  type OrreryProcess,
  postgresRedisEnv,
  PrivateRedis,
  startOrreryServer,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import { HttpReceiver } from '../test-fixtures/actions-fixtures';
import {
  api,
  automation,
  blockDocument,
  customEvent,
  deployment,
  live,
} from '../test-fixtures/chain-fixtures';

// The whole chain through real processes: a state change in the API → the server's event → the
// triggers service → the actions stream → the actions service → the side effect. Nothing is published
// by the test itself; everything goes through the REST API a Prefect client uses.

type Json = Record<string, unknown>;
const createRun = (base: string, deploymentId: string) =>
  api<{ id: string; name: string }>(base, 'POST', `/deployments/${deploymentId}/create_flow_run`, {});

const setState = (base: string, runId: string, type: string, force = false) =>
  api<{ status: string }>(base, 'POST', `/flow_runs/${runId}/set_state`, { state: { type }, force });

const readRun = (base: string, runId: string) =>
  api<{ state_type: string; state: { type: string; message: string | null } }>(
    base,
    'GET',
    `/flow_runs/${runId}`,
  );

/** The chain suite against a running server (`base`), its own receiver, on one engine. */
function chainTests(engine: string, context: () => { base: string; receiver: HttpReceiver }): void {
  const tag = randomUUID().slice(0, 8);

  it('a flow run that goes FAILED makes send-notification POST the templated body to a custom webhook within 2 s', async () => {
    const { base, receiver } = context();
    const dep = await deployment(base, `failing-${tag}`);
    const run = await createRun(base, dep);
    const notifier = await blockDocument(base, 'custom-webhook', {
      name: 'chain',
      url: `${receiver.url}/failed/${tag}`,
      json_data: { text: '{{subject}} | {{body}}' },
    });
    await automation(base, {
      name: `on-failure-${tag}`,
      trigger: {
        posture: 'Reactive',
        expect: ['prefect.flow-run.Failed'],
        match: { 'prefect.resource.id': `prefect.flow-run.${run.id}` },
        threshold: 1,
        within: 0,
      },
      actions: [
        {
          type: 'send-notification',
          block_document_id: notifier,
          subject: 'Run {{ flow_run.name }} failed',
          body: '{{ event.event }} on {{ event.resource["prefect.resource.id"] }} ({{ flow_run.state.name }})',
        },
      ],
    });
    await live(base, receiver);
    await setState(base, run.id, 'RUNNING', true);
    const failedAt = Date.now();
    expect((await setState(base, run.id, 'FAILED')).status).toBe('ACCEPT');
    const path = `/failed/${tag}`;
    const request = await waitFor(() => receiver.requests.find((r) => r.url === path), {
      timeoutMs: 2000,
      intervalMs: 20,
      what: 'the notification within 2 s of the FAILED state',
    });
    console.log(`${engine}: FAILED → notification received in ${request.receivedAt - failedAt} ms`);
    expect(request.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(request.body)).toEqual({
      text: `Run ${run.name} failed | prefect.flow-run.Failed on prefect.flow-run.${run.id} (Failed)`,
    });
  });

  it('a run that COMPLETES makes run-deployment create a run of another deployment', async () => {
    const { base, receiver } = context();
    const upstream = await deployment(base, `upstream-${tag}`);
    const downstream = await deployment(base, `downstream-${tag}`);
    const run = await createRun(base, upstream);
    const { id: automationId } = await automation(base, {
      name: `then-${tag}`,
      trigger: {
        posture: 'Reactive',
        expect: ['prefect.flow-run.Completed'],
        match_related: { 'prefect.resource.id': `prefect.deployment.${upstream}` },
        threshold: 1,
        within: 0,
      },
      actions: [
        {
          type: 'run-deployment',
          source: 'selected',
          deployment_id: downstream,
          parameters: { upstream: '{{ event.resource["prefect.resource.id"] }}' },
        },
      ],
    });
    await live(base, receiver);
    await setState(base, run.id, 'RUNNING', true);
    await setState(base, run.id, 'COMPLETED');
    const [created] = await waitFor(
      async () => {
        const runs = await api<Json[]>(base, 'POST', '/flow_runs/filter', {
          deployments: { id: { any_: [downstream] } },
        });
        return runs.length > 0 && runs;
      },
      { timeoutMs: 20_000, what: 'the downstream run' },
    );
    expect(created).toMatchObject({
      deployment_id: downstream,
      parameters: { upstream: `prefect.flow-run.${run.id}` },
      created_by: { id: automationId, type: 'AUTOMATION' },
    });
    expect((created!.state as Json).type).toBe('SCHEDULED');
  });

  it('cancel-flow-run cancels a run stuck in PENDING (proactive: no RUNNING within 10 s)', async () => {
    const { base, receiver } = context();
    const dep = await deployment(base, `stuck-${tag}`);
    const [stuck, moving] = [await createRun(base, dep), await createRun(base, dep)];
    const { id: automationId } = await automation(base, {
      name: `stuck-${tag}`,
      trigger: {
        posture: 'Proactive',
        match: { 'prefect.resource.id': [`prefect.flow-run.${stuck.id}`, `prefect.flow-run.${moving.id}`] },
        after: ['prefect.flow-run.Pending'],
        expect: ['prefect.flow-run.Running'],
        for_each: ['prefect.resource.id'],
        threshold: 1,
        within: 10,
      },
      actions: [{ type: 'cancel-flow-run' }],
    });
    await live(base, receiver);
    await setState(base, stuck.id, 'PENDING');
    await setState(base, moving.id, 'PENDING');
    await setState(base, moving.id, 'RUNNING');
    const cancelled = await waitFor(
      async () => {
        const r = await readRun(base, stuck.id);
        return r.state_type === 'CANCELLING' && r;
      },
      { timeoutMs: 40_000, intervalMs: 250, what: 'the stuck run to be cancelled' },
    );
    expect(cancelled.state.message).toBe(`Cancelled by Automation ${automationId}`);
    // The run that moved on is left alone (its bucket saw the expected RUNNING).
    expect((await readRun(base, moving.id)).state_type).toBe('RUNNING');
  }, 90_000);

  it('pause-work-pool pauses the selected pool when its trigger fires', async () => {
    const { base, receiver } = context();
    const name = `chain-pool-${tag}`;
    const pool = await api<{ id: string }>(base, 'POST', '/work_pools/', { name, type: 'process' });
    const signal = `chain.pause.${tag}`;
    await automation(base, {
      name: `pause-${tag}`,
      trigger: { posture: 'Reactive', expect: [signal], threshold: 1, within: 0 },
      actions: [{ type: 'pause-work-pool', source: 'selected', work_pool_id: pool.id }],
    });
    await live(base, receiver);
    await api(base, 'POST', '/events', [customEvent(signal)]);
    const paused = await waitFor(
      async () => {
        const p = await api<{ is_paused: boolean; status: string }>(base, 'GET', `/work_pools/${name}`);
        return p.is_paused && p;
      },
      { timeoutMs: 20_000, what: 'the pool paused' },
    );
    expect(paused.status).toBe('PAUSED');
  });
}

describe('automations chain end to end on the embedded default (real processes)', () => {
  let home: string;
  let server: OrreryProcess;
  let base: string;
  let receiver: HttpReceiver;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'orrery-chain-embedded-'));
    receiver = await HttpReceiver.start();
    const started = await startOrreryServer({ PREFECT_HOME: home });
    server = started.process;
    base = started.url;
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    rmSync(home, { recursive: true, force: true });
  });

  chainTests('embedded', () => ({ base, receiver }));
});

describe('automations chain end to end on PostgreSQL + Redis (real processes)', () => {
  let db: TestDatabase;
  let redis: PrivateRedis;
  let home: string;
  let server: OrreryProcess;
  let base: string;
  let receiver: HttpReceiver;

  beforeAll(async () => {
    [db, redis, receiver] = await Promise.all([
      createTestDatabase({ migrate: true, poolSize: 1 }),
      PrivateRedis.start(),
      HttpReceiver.start(),
    ]);
    home = mkdtempSync(join(tmpdir(), 'orrery-chain-pg-'));
    const started = await startOrreryServer({
      ...postgresRedisEnv(db.url, redis.url()),
      PREFECT_MESSAGING_CACHE: 'prefect_redis.messaging',
      PREFECT_SERVER_EVENTS_CAUSAL_ORDERING: 'prefect_redis.ordering',
      PREFECT_HOME: home,
    });
    server = started.process;
    base = started.url;
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    await redis?.stop();
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  chainTests('PostgreSQL+Redis', () => ({ base, receiver }));
});
