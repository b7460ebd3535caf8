import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { BusModule } from '@orrery/bus';
import { loadSettings, SettingsModule } from '@orrery/config';
import { Instant } from '@orrery/domain';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule } from '@orrery/outbox';
import { PersistenceModule } from '@orrery/persistence';
import { DeploymentRunScheduler, RunsModule } from '@orrery/runs';
import { createTestDatabase, startTestApi, type TestDatabase, waitFor } from '@orrery/testing';
import { SchedulerModule } from './scheduler.module';

// Creating and migrating a database takes a while on a loaded machine.
jest.setTimeout(60_000);

type Json = Record<string, unknown>;

describe('scheduler on PostgreSQL', () => {
  let db: TestDatabase;
  let flowId: string;
  const contexts: INestApplicationContext[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await db.drop();
  });

  /** Deployments are made through the real API, so they are what a client would have written. */
  async function createDeployments(bodies: Json[]): Promise<string[]> {
    const api = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 2 });
    try {
      const post = async (url: string, body: unknown) =>
        (
          await api
            .getHttpAdapter()
            .getInstance()
            .inject({ method: 'POST', url, payload: body as object })
        ).json<{ id: string }>();
      flowId ??= (await post('/api/flows/', { name: 'scheduled-flow' })).id;
      const ids: string[] = [];
      for (const body of bodies) ids.push((await post('/api/deployments/', { flow_id: flowId, ...body })).id);
      return ids;
    } finally {
      await api.close();
    }
  }

  async function context(root: new () => object): Promise<INestApplicationContext> {
    const app = await NestFactory.createApplicationContext(root, { logger: false });
    await app.init();
    contexts.push(app);
    return app;
  }

  const duplicates = async () =>
    (
      (await db.dataSource.query(`SELECT count(*)::int AS n FROM (
          SELECT deployment_id, created_by->>'id', expected_start_time FROM flow_run
          WHERE deployment_id IS NOT NULL
          GROUP BY deployment_id, created_by->>'id', expected_start_time HAVING count(*) > 1) d`)) as {
        n: number;
      }[]
    )[0]!.n;
  /** Runs of the deployment (of its schedule with that slug when given). */
  const runsOf = async (deploymentId: string, slug?: string) =>
    (
      (await db.dataSource.query(
        `SELECT count(*)::int AS n FROM flow_run
          WHERE deployment_id = $1 AND ($2::text IS NULL OR created_by->>'display_value' = $2)`,
        [deploymentId, slug ?? null],
      )) as { n: number }[]
    )[0]!.n;

  it('two schedulers racing over the same deployments insert every run once, each with one state', async () => {
    const anchor = '2030-01-01T00:00:00Z';
    const ids = await createDeployments(
      Array.from({ length: 20 }, (_, i) => ({
        name: `race-${i}`,
        paused: true, // the race is driven by hand, not by a loop
        schedules: [
          { schedule: { interval: 60, anchor_date: anchor } },
          { schedule: { cron: '*/5 * * * *', timezone: 'Europe/Berlin' } },
        ],
      })),
    );
    const replica = async () => {
      @Module({
        imports: [
          SettingsModule.forRoot(loadSettings({ PREFECT_HOME: '/tmp' })),
          PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 3 }),
          BusModule.forRoot({ driver: 'memory' }),
          OutboxModule.forRoot(),
          RunsModule,
        ],
      })
      class Replica {}
      return (await context(Replica)).get(DeploymentRunScheduler);
    };
    const [a, b] = [await replica(), await replica()];
    const start = Instant.parse('2030-06-01T00:00:00Z');
    const window = { start, end: start.plusSeconds(86400), minTimeSeconds: 3600, minRuns: 3, maxRuns: 100 };
    // Small insert batches interleave the two replicas' statements; each replica runs twice.
    const results = await Promise.all([
      a.scheduleDeployments(ids, window, 50),
      b.scheduleDeployments([...ids].reverse(), window, 70),
      a.scheduleDeployments(ids, window, 500),
      b.scheduleDeployments(ids, window, 33),
    ]);
    // Per deployment: 61 minutely runs (an hour and its first minute) + 13 five-minutely runs.
    const expected = 20 * (61 + 13);
    const inserted = results.flat();
    expect(inserted).toHaveLength(expected);
    expect(new Set(inserted).size).toBe(expected);
    const [counts] = (await db.dataSource.query(
      `SELECT count(*)::int AS runs,
              count(*) FILTER (WHERE r.state_id IS NULL)::int AS without_state,
              count(*) FILTER (WHERE (SELECT count(*) FROM flow_run_state s WHERE s.flow_run_id = r.id) <> 1)::int
                AS not_one_state,
              count(*) FILTER (WHERE st.flow_run_id <> r.id OR st.name <> 'Scheduled')::int AS foreign_state
         FROM flow_run r LEFT JOIN flow_run_state st ON st.id = r.state_id
        WHERE r.deployment_id = ANY($1::uuid[])`,
      [ids],
    )) as { runs: number; without_state: number; not_one_state: number; foreign_state: number }[];
    expect(counts).toEqual({ runs: expected, without_state: 0, not_one_state: 0, foreign_state: 0 });
    expect(await duplicates()).toBe(0);
    // Different minute grids (UTC interval vs Berlin cron) share some instants, but on different schedules.
    const [keys] = (await db.dataSource.query(
      `SELECT count(DISTINCT idempotency_key)::int AS n FROM flow_run WHERE deployment_id = ANY($1::uuid[])`,
      [ids],
    )) as { n: number }[];
    expect(keys!.n).toBe(expected);
  });

  it('both loops stock active schedules of unpaused deployments, per schedule, and top them up', async () => {
    @Module({
      imports: [
        SettingsModule.forRoot(
          loadSettings({
            PREFECT_HOME: '/tmp',
            PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS: '0.5',
            PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS: '0.5',
            PREFECT_SERVER_SERVICES_SCHEDULER_DEPLOYMENT_BATCH_SIZE: '2',
          }),
        ),
        PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 3 }),
        BusModule.forRoot({ driver: 'memory' }),
        JobsModule.forRoot({ driver: 'in-process' }),
        OutboxModule.forRoot(),
        SchedulerModule,
      ],
    })
    class Root {}
    const [active, paused, inactive, twoSchedules, other] = await createDeployments([
      { name: 'active', schedules: [{ schedule: { interval: 600 } }] },
      { name: 'paused', paused: true, schedules: [{ schedule: { interval: 600 } }] },
      { name: 'inactive', schedules: [{ schedule: { interval: 600 }, active: false }] },
      {
        name: 'two-schedules',
        schedules: [
          { schedule: { interval: 60 }, slug: 'minute' },
          { schedule: { interval: 900 }, slug: 'quarter' },
        ],
      },
      { name: 'other', schedules: [{ schedule: { rrule: 'FREQ=HOURLY' } }] },
    ]);
    await context(Root);
    // Over MIN_SCHEDULED_TIME (1 h) from an anchor of about now: 600 s → 7 runs (the last at or past an
    // hour), 900 s → 5, 60 s → 61; an hourly rrule → 3 (MIN_RUNS, the third over an hour away).
    await waitFor(async () => (await runsOf(active!)) === 7, { timeoutMs: 20_000, what: 'runs of `active`' });
    await waitFor(async () => (await runsOf(twoSchedules!, 'quarter')) === 5, {
      timeoutMs: 20_000,
      what: 'runs of the `quarter` schedule',
    });
    expect(await runsOf(twoSchedules!, 'minute')).toBeGreaterThanOrEqual(61);
    await waitFor(async () => (await runsOf(other!)) >= 3, { timeoutMs: 20_000, what: 'runs of `other`' });
    // A short schedule is topped up although its sibling has enough runs far enough ahead.
    await db.dataSource.query(
      `DELETE FROM flow_run WHERE deployment_id = $1 AND created_by->>'display_value' = 'quarter'`,
      [twoSchedules],
    );
    await waitFor(async () => (await runsOf(twoSchedules!, 'quarter')) === 5, {
      timeoutMs: 20_000,
      what: 'the `quarter` schedule to be topped up',
    });
    expect(await runsOf(paused!)).toBe(0);
    expect(await runsOf(inactive!)).toBe(0);
    expect(await duplicates()).toBe(0);
  });
});
