import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  ContractValidator,
  createTestDatabase,
  startTestApi,
  type TestDatabase,
  contractCall,
} from '@orrery/testing';

// Creating and migrating a database takes a while on a loaded machine.
jest.setTimeout(60_000);

type Json = Record<string, unknown>;

describe('POST /api/deployments/{id}/schedule on PostgreSQL, against the contract', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let flowId: string;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
    flowId = String((await call('POST', '/api/flows/', '/flows/', { name: 'etl' })).body.id);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const call = contractCall(() => app, contract);
  const schedule = (id: unknown, body?: unknown) =>
    call('POST', `/api/deployments/${String(id)}/schedule`, '/deployments/{id}/schedule', body);
  const create = async (body: Json) =>
    (
      await call('POST', '/api/deployments/', '/deployments/', {
        flow_id: flowId,
        parameter_openapi_schema: { type: 'object', properties: {} },
        ...body,
      })
    ).body;
  const runsOf = async (deploymentId: unknown) =>
    (await db.dataSource.query(
      `SELECT r.id, r.idempotency_key, r.tags, r.labels, r.parameters, r.created_by, r.auto_scheduled,
              r.state_type, r.state_name, r.state_id, r.deployment_version, r.work_queue_name,
              r.expected_start_time, r.next_scheduled_start_time,
              (SELECT count(*)::int FROM flow_run_state s WHERE s.flow_run_id = r.id) AS states,
              st.name AS state_row_name, st.message AS state_message, st.state_details
         FROM flow_run r LEFT JOIN flow_run_state st ON st.id = r.state_id
        WHERE r.deployment_id = $1 ORDER BY r.expected_start_time`,
      [deploymentId],
    )) as Json[];

  it('creates the window of runs of the active schedules, with their Scheduled states, once', async () => {
    const deployment = await create({
      name: 'hourly',
      version: 'v7',
      tags: ['team-a'],
      labels: { owner: 'ops' },
      parameters: { a: 1, b: 2 },
      work_queue_name: 'q',
      schedules: [
        {
          schedule: { interval: 3600, anchor_date: '2030-01-01T00:00:00Z', timezone: 'America/New_York' },
          parameters: { b: 3 },
          slug: 'every-hour',
        },
        { schedule: { cron: '0 0 * * *' }, active: false },
      ],
    });
    const window = {
      start_time: '2030-03-10T04:30:00Z',
      end_time: '2030-03-10T09:00:00Z',
      min_time: 3600,
      min_runs: 3,
      max_runs: 10,
    };
    expect(await schedule(deployment.id, window)).toEqual({ status: 200, body: null });
    const runs = await runsOf(deployment.id);
    const scheduleId = ((deployment.schedules as Json[]).find((s) => s.slug === 'every-hour') as Json).id;
    // Three runs reach both minimums (3 runs, at least an hour past the start), across the DST jump.
    expect(runs.map((r) => r.idempotency_key)).toEqual([
      `scheduled ${String(deployment.id)} ${String(scheduleId)} 2030-03-10 00:00:00-05:00`,
      `scheduled ${String(deployment.id)} ${String(scheduleId)} 2030-03-10 01:00:00-05:00`,
      `scheduled ${String(deployment.id)} ${String(scheduleId)} 2030-03-10 03:00:00-04:00`,
    ]);
    for (const run of runs) {
      expect(run).toMatchObject({
        tags: ['auto-scheduled', 'team-a'],
        labels: { owner: 'ops', 'prefect.flow.id': flowId, 'prefect.deployment.id': deployment.id },
        parameters: { a: 1, b: 3 },
        created_by: { id: scheduleId, type: 'SCHEDULE', display_value: 'every-hour' },
        auto_scheduled: true,
        state_type: 'SCHEDULED',
        state_name: 'Scheduled',
        deployment_version: 'v7',
        work_queue_name: 'q',
        states: 1,
        state_row_name: 'Scheduled',
        state_message: 'Flow run scheduled',
      });
      const expected = new Date(run.expected_start_time as string);
      expect(new Date(run.next_scheduled_start_time as string)).toEqual(expected);
      expect(new Date((run.state_details as Json).scheduled_time as string)).toEqual(expected);
    }
    // The run reads back through the API as a valid FlowRun.
    const read = await call('GET', `/api/flow_runs/${String(runs[0]!.id)}`, '/flow_runs/{id}');
    expect(read.body).toMatchObject({
      state: { type: 'SCHEDULED', name: 'Scheduled' },
      auto_scheduled: true,
    });

    // Scheduling the same window again creates nothing; a wider one adds only the new dates.
    await schedule(deployment.id, window);
    expect(await runsOf(deployment.id)).toHaveLength(3);
    await schedule(deployment.id, { ...window, min_runs: 5 });
    expect(await runsOf(deployment.id)).toHaveLength(5);
  });

  it('defaults to now and the scheduler settings; a paused deployment is scheduled too; max_runs caps', async () => {
    const deployment = await create({
      name: 'every-minute',
      paused: true,
      schedules: [{ schedule: { interval: 60 } }],
    });
    await schedule(deployment.id);
    // MIN_SCHEDULED_TIME (1 h) of minutely runs: 61 dates from now (the first at most a minute away).
    const runs = await runsOf(deployment.id);
    expect(runs.length).toBeGreaterThanOrEqual(60);
    expect(runs.length).toBeLessThanOrEqual(61);
    expect((runs[0]!.created_by as Json).display_value).toBe('IntervalSchedule');
    const capped = await create({ name: 'capped', schedules: [{ schedule: { interval: 60 } }] });
    await schedule(capped.id, { max_runs: 2, min_runs: null });
    expect(await runsOf(capped.id)).toHaveLength(2);
  });

  it('answers null for an unknown deployment, 422 naming each bad field', async () => {
    expect(await schedule('00000000-0000-4000-8000-000000000000', {})).toEqual({ status: 200, body: null });
    const bad = await schedule('00000000-0000-4000-8000-000000000000', {
      start_time: 'soon',
      min_time: 'long',
      max_runs: 2.5,
    });
    expect(bad.status).toBe(422);
    expect((bad.body.exception_detail as Json[]).map((d) => (d.loc as string[]).join('.'))).toEqual([
      'body.start_time',
      'body.min_time',
      'body.max_runs',
    ]);
    // A path that is not a UUID matches no route (FastAPI's `{id:uuid}`).
    expect((await schedule('not-a-uuid', {})).status).toBe(404);
    expect((await schedule('00000000-0000-4000-8000-000000000000', [1])).status).toBe(422);
  });
});
