import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JobQueue } from '@orrery/jobs';
import { WorkPoolRepository } from '@orrery/persistence';
import { SCHEDULE_DEPLOYMENTS_JOB } from '@orrery/runs';
import {
  ContractValidator,
  createTestDatabase,
  startTestApi,
  type TestDatabase,
  contractCall,
} from '@orrery/testing';

type Json = Record<string, unknown>;

describe('/api/deployments on PostgreSQL, against the contract', () => {
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

  /** Calls the API and checks the response against the operation's schema in the contract. */
  const call = contractCall(() => app, contract);

  /** Deployments of this suite carry an open parameter schema (enforcement is on by default). */
  const create = (body: Json) =>
    call('POST', '/api/deployments/', '/deployments/', {
      flow_id: flowId,
      parameter_openapi_schema: { type: 'object', properties: {} },
      ...body,
    });
  const read = async (id: unknown) =>
    (await call('GET', `/api/deployments/${String(id)}`, '/deployments/{id}')).body;
  const patch = (id: unknown, body: Json) =>
    call('PATCH', `/api/deployments/${String(id)}`, '/deployments/{id}', body);

  async function eventsOf(id: unknown): Promise<Json[]> {
    const rows = (await db.dataSource.query(
      `SELECT data FROM outbox WHERE data->'resource'->>'prefect.resource.id' = $1 ORDER BY created, id`,
      [`prefect.deployment.${String(id)}`],
    )) as { data: Json }[];
    return rows.map((r) => r.data);
  }

  it('refuses parameters over PREFECT_SERVER_API_MAX_PARAMETER_SIZE on deployments and their runs (422)', async () => {
    const big = { x: 'y'.repeat(600_000) };
    const message = (owner: string) =>
      `Value error, ${owner} parameters must be less than 524,288 bytes when serialized (got 600,008 bytes).`;
    const refused = await create({ name: 'too-big', parameters: big });
    expect(refused.status).toBe(422);
    expect(refused.body.exception_detail).toEqual([
      expect.objectContaining({ loc: ['body', 'parameters'], msg: message('Deployment') }),
    ]);
    const deployment = await create({ name: 'small' });
    expect(deployment.status).toBe(201);
    const patched = await patch(deployment.body.id, { parameters: big });
    expect(patched.status).toBe(422);
    expect(patched.body.exception_detail).toEqual([expect.objectContaining({ msg: message('Deployment') })]);
    const run = await call(
      'POST',
      `/api/deployments/${String(deployment.body.id)}/create_flow_run`,
      '/deployments/{id}/create_flow_run',
      { parameters: big },
    );
    expect(run.status).toBe(422);
    expect(run.body.exception_detail).toEqual([expect.objectContaining({ msg: message('Flow run') })]);
  });

  /** An auto-scheduled run of the deployment, as the scheduler would write it. */
  async function scheduledRun(
    deploymentId: unknown,
    options: { auto: boolean; stateName?: string; inSeconds?: number },
  ) {
    const [row] = (await db.dataSource.query(
      `INSERT INTO flow_run (name, flow_id, deployment_id, auto_scheduled, state_type, state_name, next_scheduled_start_time, expected_start_time)
       VALUES ('r', $1, $2, $3, 'SCHEDULED', $4, now() + make_interval(secs => $5), now() + make_interval(secs => $5)) RETURNING id`,
      [flowId, deploymentId, options.auto, options.stateName ?? 'Scheduled', options.inSeconds ?? 3600],
    )) as { id: string }[];
    return row!.id;
  }
  async function runExists(id: string): Promise<boolean> {
    return (
      ((await db.dataSource.query('SELECT 1 FROM flow_run WHERE id = $1', [id])) as unknown[]).length > 0
    );
  }

  it('creates with 201 and the full DeploymentResponse, then upserts with 200 overwriting only given keys', async () => {
    const first = await create({
      name: 'nightly',
      version: 'v1',
      description: 'first',
      tags: ['a'],
      parameters: { x: 1 },
      labels: { team: 'data' },
      schedules: [{ schedule: { cron: '0 0 * * *' }, slug: 'midnight' }],
      entrypoint: 'flows.py:etl',
      concurrency_options: { collision_strategy: 'CANCEL_NEW' },
      version_info: { type: 'prefect:simple', version: 'v1' },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      name: 'nightly',
      flow_id: flowId,
      version: 'v1',
      description: 'first',
      paused: false,
      tags: ['a'],
      parameters: { x: 1 },
      labels: { team: 'data', 'prefect.flow.id': flowId },
      concurrency_limit: null,
      global_concurrency_limit: null,
      concurrency_options: { collision_strategy: 'CANCEL_NEW', grace_period_seconds: null },
      job_variables: {},
      work_pool_name: null,
      work_queue_id: null,
      status: 'NOT_READY',
      enforce_parameter_schema: true,
      entrypoint: 'flows.py:etl',
    });
    expect(first.body.schedules).toEqual([
      expect.objectContaining({
        deployment_id: first.body.id,
        // A cron timezone the client leaves out stays null (schedules.py CronSchedule.validate_timezone).
        schedule: { cron: '0 0 * * *', timezone: null, day_or: true },
        active: true,
        max_scheduled_runs: null,
        parameters: {},
        slug: 'midnight',
      }),
    ]);
    const run = await scheduledRun(first.body.id, { auto: true });
    const waiting = await scheduledRun(first.body.id, { auto: true, stateName: 'AwaitingConcurrencySlot' });
    const manual = await scheduledRun(first.body.id, { auto: false });

    const again = await create({ name: 'nightly', description: 'second', schedules: [] });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: first.body.id,
      created: first.body.created,
      version: 'v1',
      description: 'second',
      tags: ['a'],
      labels: { team: 'data', 'prefect.flow.id': flowId },
      schedules: [],
    });
    expect(await runExists(run)).toBe(false);
    expect(await runExists(waiting)).toBe(true);
    expect(await runExists(manual)).toBe(true);

    const events = await eventsOf(first.body.id);
    expect(events.map((e) => e.event)).toEqual(['prefect.deployment.created', 'prefect.deployment.updated']);
    expect(events[0]).toMatchObject({
      resource: { 'prefect.resource.name': 'nightly' },
      related: [{ 'prefect.resource.id': `prefect.flow.${flowId}`, 'prefect.resource.role': 'flow' }],
    });
    expect(events[1]?.payload).toEqual({
      updated_fields: ['description'],
      updates: { description: { from: 'first', to: 'second' } },
    });
  });

  it('records the automation behind a create or an update in created_by / updated_by', async () => {
    const automation = '11111111-1111-4111-8111-111111111111';
    const headers = {
      'content-type': 'application/json',
      'prefect-automation-id': automation,
      'prefect-automation-name': Buffer.from('nightly fixer').toString('base64'),
    };
    const inject = (method: 'POST' | 'PATCH', url: string, payload: Json) =>
      app
        .getHttpAdapter()
        .getInstance()
        .inject({ method, url, headers, payload: JSON.stringify(payload) });
    const actor = { id: automation, type: 'AUTOMATION', display_value: 'nightly fixer' };
    const created = (
      await inject('POST', '/api/deployments/', {
        flow_id: flowId,
        name: 'automated',
        parameter_openapi_schema: { type: 'object', properties: {} },
      })
    ).json<Json>();
    expect(created).toMatchObject({ created_by: actor, updated_by: actor });
    const { body: plain } = await create({ name: 'by-hand' });
    expect(plain).toMatchObject({ created_by: null, updated_by: null });
    expect((await inject('PATCH', `/api/deployments/${String(plain.id)}`, { paused: true })).statusCode).toBe(
      204,
    );
    expect(await read(plain.id)).toMatchObject({ created_by: null, updated_by: actor });
  });

  it('racing upserts of one (flow_id, name) make one deployment: one 201, the rest 200, schedules replaced once each', async () => {
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        create({
          name: 'raced',
          description: `writer ${i}`,
          schedules: [{ schedule: { interval: 60 + i } }],
        }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    const stored = await read(responses[0]!.body.id);
    expect(stored.schedules as unknown[]).toHaveLength(1);
  });

  it('reads by id and by flow/deployment name, 404 "Deployment not found"', async () => {
    const { body } = await create({ name: 'by-name' });
    expect(await read(body.id)).toEqual(body);
    const byName = await call(
      'GET',
      '/api/deployments/name/etl/by-name',
      '/deployments/name/{flow_name}/{deployment_name}',
    );
    expect(byName.body).toEqual(body);
    expect(
      await call(
        'GET',
        '/api/deployments/name/etl/nobody',
        '/deployments/name/{flow_name}/{deployment_name}',
      ),
    ).toEqual({ status: 404, body: { detail: 'Deployment not found' } });
    expect(
      await call('GET', '/api/deployments/00000000-0000-4000-8000-000000000000', '/deployments/{id}'),
    ).toEqual({
      status: 404,
      body: { detail: 'Deployment not found' },
    });
  });

  it('materialises a numeric concurrency_limit as the v2 limit deployment:<id>, resizes and drops it', async () => {
    const { body } = await create({ name: 'limited', concurrency_limit: 2 });
    expect(body.concurrency_limit).toBeNull();
    expect(body.global_concurrency_limit).toMatchObject({
      name: `deployment:${String(body.id)}`,
      limit: 2,
      active: true,
      active_slots: 0,
      slot_decay_per_second: 0,
    });
    const limitId = (body.global_concurrency_limit as Json).id;
    expect((await patch(body.id, { concurrency_limit: 5 })).status).toBe(204);
    expect((await read(body.id)).global_concurrency_limit).toMatchObject({ id: limitId, limit: 5 });
    expect((await patch(body.id, { concurrency_limit: null })).status).toBe(204);
    expect((await read(body.id)).global_concurrency_limit).toBeNull();
    expect(
      await db.dataSource.query('SELECT 1 FROM concurrency_limit_v2 WHERE name = $1', [
        `deployment:${String(body.id)}`,
      ]),
    ).toEqual([]);
  });

  it.each([
    [
      {
        name: 'x',
        concurrency_limit: 1,
        global_concurrency_limit_id: '00000000-0000-4000-8000-000000000000',
      },
      422,
    ],
    [{ name: 'x', global_concurrency_limit_id: '00000000-0000-4000-8000-000000000000' }, 404],
    [{ name: 'x', work_pool_name: 'no-such-pool' }, 404],
    [{ name: 'x', flow_id: '00000000-0000-4000-8000-000000000000' }, 409],
    [{ name: 'x', storage_document_id: '00000000-0000-4000-8000-000000000000' }, 409],
    [{ name: 'x', infrastructure_document_id: '00000000-0000-4000-8000-000000000000' }, 409],
  ])('answers %j with %d', async (body, status) => {
    expect((await create(body)).status).toBe(status);
  });

  it.each([
    [{ name: 'a/b' }, ['body', 'name'], 'string_pattern_mismatch'],
    [{ name: 'ok', concurrency_limit: 0 }, ['body', 'concurrency_limit'], undefined],
    [
      { name: 'ok', schedules: [{ schedule: { interval: 0 } }] },
      ['body', 'schedules', 0, 'schedule', 'IntervalSchedule', 'interval'],
      'value_error',
    ],
    [
      { name: 'ok', schedules: [{ schedule: { cron: 'nope' } }] },
      ['body', 'schedules', 0, 'schedule', 'CronSchedule', 'cron'],
      'value_error',
    ],
    [
      { name: 'ok', schedules: [{ schedule: { cron: '* * * * *', timezone: 'Nowhere/Land' } }] },
      ['body', 'schedules', 0, 'schedule', 'CronSchedule', 'timezone'],
      'value_error',
    ],
    [
      { name: 'ok', schedules: [{ schedule: { rrule: 'FREQ=SOMETIMES' } }] },
      ['body', 'schedules', 0, 'schedule', 'RRuleSchedule', 'rrule'],
      'value_error',
    ],
    [
      { name: 'ok', schedules: [{ schedule: { interval: 60 }, max_scheduled_runs: 51 }] },
      ['body', 'schedules', 0, 'max_scheduled_runs'],
      'value_error',
    ],
    [{ name: 'ok', schedules: [{ active: true }] }, ['body', 'schedules', 0, 'schedule'], 'missing'],
  ])('rejects %j with 422 at %j', async (body, loc, type) => {
    const response = await create(body);
    expect(response.status).toBe(422);
    expect(response.body.exception_detail).toEqual(
      expect.arrayContaining([expect.objectContaining({ loc, ...(type === undefined ? {} : { type }) })]),
    );
  });

  it('stores the three schedule shapes as Prefect serialises them', async () => {
    const { body } = await create({
      name: 'shapes',
      schedules: [
        {
          schedule: { interval: 'PT1H', anchor_date: '2026-01-01 00:00:00+00:00', timezone: 'Europe/Paris' },
        },
        { schedule: { cron: '*/5 * * * *', day_or: false }, max_scheduled_runs: 10, parameters: { x: 2 } },
        { schedule: { rrule: 'RRULE:FREQ=DAILY;BYHOUR=9', timezone: 'UTC' }, active: false },
      ],
    });
    const schedules = (
      await call('GET', `/api/deployments/${String(body.id)}/schedules`, '/deployments/{id}/schedules')
    ).body as unknown as Json[];
    expect(schedules.map((s) => s.schedule)).toEqual(
      expect.arrayContaining([
        { interval: 3600, anchor_date: '2026-01-01T00:00:00.000000Z', timezone: 'Europe/Paris' },
        { cron: '*/5 * * * *', timezone: null, day_or: false }, // cron: no default timezone upstream
        { rrule: expect.stringMatching(/^DTSTART:\d{8}T\d{6}\nRRULE:FREQ=DAILY;BYHOUR=9$/), timezone: 'UTC' },
      ]),
    );
  });

  it('patches: only given keys, explicit nulls, 404 "Deployment not found."', async () => {
    const { body } = await create({ name: 'patchable', tags: ['keep'], path: '/srv', version: '1' });
    expect((await patch(body.id, { version: null, paused: true })).status).toBe(204);
    expect(await read(body.id)).toMatchObject({ version: null, paused: true, tags: ['keep'], path: '/srv' });
    expect(await patch('00000000-0000-4000-8000-000000000000', { paused: false })).toEqual({
      status: 404,
      body: { detail: 'Deployment not found.' },
    });
    const both = await patch(body.id, {
      concurrency_limit: 1,
      global_concurrency_limit_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(both.status).toBe(422);
  });

  it('patches schedules by slug (replaces renames, new slugs created, unmentioned ones kept) or replaces them all', async () => {
    const { body } = await create({
      name: 'slugged',
      schedules: [
        { schedule: { interval: 60 }, slug: 'a' },
        { schedule: { interval: 120 }, slug: 'b' },
      ],
    });
    const before = (await read(body.id)).schedules as Json[];
    const a = before.find((s) => s.slug === 'a')!;
    expect(
      (
        await patch(body.id, {
          schedules: [
            { slug: 'a2', replaces: 'a', active: false },
            { slug: 'c', schedule: { cron: '0 1 * * *' } },
          ],
        })
      ).status,
    ).toBe(204);
    const after = (await read(body.id)).schedules as Json[];
    expect(after.map((s) => s.slug).sort()).toEqual(['a2', 'b', 'c']);
    expect(after.find((s) => s.slug === 'a2')).toMatchObject({
      id: a.id,
      active: false,
      schedule: a.schedule,
    });

    const unslugged = await patch(body.id, { schedules: [{ schedule: { interval: 30 } }] });
    expect(unslugged.status).toBe(422);
    const unknown = await patch(body.id, { schedules: [{ slug: 'z', replaces: 'nope' }] });
    expect(unknown.status).toBe(422); // nothing to rename and no schedule to create
    // An empty list patches nothing: every slugged schedule stays (Prefect's schedule_statefulness).
    expect((await patch(body.id, { schedules: [] })).status).toBe(204);
    expect(((await read(body.id)).schedules as Json[]).map((s) => s.slug).sort()).toEqual(['a2', 'b', 'c']);
    const created = await patch(body.id, {
      schedules: [{ slug: 'd', replaces: 'gone', schedule: { interval: 5 } }],
    });
    expect(created.status).toBe(204);
    expect(((await read(body.id)).schedules as Json[]).map((s) => s.slug).sort()).toEqual([
      'a2',
      'b',
      'c',
      'd',
    ]);
    const duplicate = await patch(body.id, {
      schedules: [
        { slug: 'x', replaces: 'a2' },
        { slug: 'y', replaces: 'a2' },
      ],
    });
    expect(duplicate.status).toBe(422);

    const { body: plain } = await create({ name: 'plain', schedules: [{ schedule: { interval: 60 } }] });
    expect((await patch(plain.id, { schedules: [{ schedule: { interval: 90 } }] })).status).toBe(204);
    expect(((await read(plain.id)).schedules as Json[]).map((s) => (s.schedule as Json).interval)).toEqual([
      90,
    ]);
  });

  it('PATCH deletes future auto-scheduled runs except AwaitingConcurrencySlot; DELETE removes SCHEDULED runs and the limit', async () => {
    const { body } = await create({ name: 'housekept', concurrency_limit: 1 });
    const auto = await scheduledRun(body.id, { auto: true });
    const waiting = await scheduledRun(body.id, { auto: true, stateName: 'AwaitingConcurrencySlot' });
    expect((await patch(body.id, { paused: true })).status).toBe(204);
    expect(await runExists(auto)).toBe(false);
    expect(await runExists(waiting)).toBe(true);
    const manual = await scheduledRun(body.id, { auto: false });
    expect((await call('DELETE', `/api/deployments/${String(body.id)}`, '/deployments/{id}')).status).toBe(
      204,
    );
    expect(await runExists(manual)).toBe(false);
    expect(await runExists(waiting)).toBe(true);
    expect(
      await db.dataSource.query('SELECT 1 FROM concurrency_limit_v2 WHERE name = $1', [
        `deployment:${String(body.id)}`,
      ]),
    ).toEqual([]);
    expect((await call('DELETE', `/api/deployments/${String(body.id)}`, '/deployments/{id}')).status).toBe(
      404,
    );
    expect((await eventsOf(body.id)).map((e) => e.event)).toEqual([
      'prefect.deployment.created',
      'prefect.deployment.updated',
      'prefect.deployment.deleted',
    ]);
  });

  it('schedules CRUD: list, add (201, 409 on a taken slug), patch and delete (204, 404s)', async () => {
    const { body } = await create({ name: 'sched-crud' });
    const url = `/api/deployments/${String(body.id)}/schedules`;
    const added = await call('POST', url, '/deployments/{id}/schedules', [
      { schedule: { interval: 60 }, slug: 's1' },
      { schedule: { cron: '0 0 * * *' } },
    ]);
    expect(added.status).toBe(201);
    const [first] = added.body as unknown as Json[];
    expect(
      (await call('POST', url, '/deployments/{id}/schedules', [{ schedule: { interval: 5 }, slug: 's1' }]))
        .status,
    ).toBe(409);
    expect(
      (await call('POST', url, '/deployments/{id}/schedules', [{ schedule: { interval: -5 } }])).status,
    ).toBe(422);
    const one = `${url}/${String(first!.id)}`;
    const path = '/deployments/{id}/schedules/{schedule_id}';
    expect((await call('PATCH', one, path, { active: false, max_scheduled_runs: 3 })).status).toBe(204);
    const listed = (await call('GET', url, '/deployments/{id}/schedules')).body as unknown as Json[];
    expect(listed.find((s) => s.id === first!.id)).toMatchObject({
      active: false,
      max_scheduled_runs: 3,
      slug: 's1',
    });
    expect((await call('PATCH', one, path, { max_scheduled_runs: 500 })).status).toBe(422);
    expect((await call('DELETE', one, path)).status).toBe(204);
    expect(await call('DELETE', one, path)).toEqual({ status: 404, body: { detail: 'Schedule not found' } });
    const ghost = '/api/deployments/00000000-0000-4000-8000-000000000000/schedules';
    expect((await call('GET', ghost, '/deployments/{id}/schedules')).status).toBe(404);
    expect((await call('POST', ghost, '/deployments/{id}/schedules', [])).status).toBe(404);
  });

  it('asks the scheduler for runs when a deployment is created, updated, resumed or its schedules change', async () => {
    const enqueue = jest.spyOn(app.get(JobQueue), 'enqueue');
    try {
      const asked = () =>
        enqueue.mock.calls
          .filter(([name]) => name === SCHEDULE_DEPLOYMENTS_JOB)
          .map(([, payload]) => payload);
      const { body } = await create({ name: 'asks-for-runs' });
      expect(asked()).toEqual([{ deploymentIds: [body.id] }]);
      await patch(body.id, { description: 'changed' });
      const base = `/api/deployments/${String(body.id)}`;
      await call('POST', `${base}/pause_deployment`, '/deployments/{id}/pause_deployment');
      await call('POST', `${base}/resume_deployment`, '/deployments/{id}/resume_deployment');
      await call('POST', `${base}/schedules`, '/deployments/{id}/schedules', [
        { schedule: { interval: 60 } },
      ]);
      // Created, updated, resumed, schedule added — pausing asks for nothing.
      expect(asked()).toHaveLength(4);
    } finally {
      enqueue.mockRestore();
    }
  });

  it('pause_deployment / resume_deployment answer null, 404 when missing', async () => {
    const { body } = await create({ name: 'pausable' });
    const pause = await call(
      'POST',
      `/api/deployments/${String(body.id)}/pause_deployment`,
      '/deployments/{id}/pause_deployment',
    );
    expect(pause).toEqual({ status: 200, body: null });
    expect((await read(body.id)).paused).toBe(true);
    await call(
      'POST',
      `/api/deployments/${String(body.id)}/resume_deployment`,
      '/deployments/{id}/resume_deployment',
    );
    expect((await read(body.id)).paused).toBe(false);
    expect(
      (
        await call(
          'POST',
          '/api/deployments/00000000-0000-4000-8000-000000000000/pause_deployment',
          '/deployments/{id}/pause_deployment',
        )
      ).status,
    ).toBe(404);
  });

  it('create_flow_run: SCHEDULED now by default, parameters merged, tags united, idempotent; bulk', async () => {
    const { body } = await create({ name: 'runnable', parameters: { a: 1, b: 2 }, tags: ['dep'] });
    const url = `/api/deployments/${String(body.id)}/create_flow_run`;
    const first = await call('POST', url, '/deployments/{id}/create_flow_run', {
      parameters: { b: 3 },
      tags: ['run', 'dep'],
      idempotency_key: 'k1',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      deployment_id: body.id,
      flow_id: flowId,
      parameters: { a: 1, b: 3 },
      tags: ['dep', 'run'],
      state_type: 'SCHEDULED',
      state_name: 'Scheduled',
      labels: { 'prefect.flow.id': flowId, 'prefect.deployment.id': body.id },
    });
    expect(first.body.next_scheduled_start_time).not.toBeNull();
    const again = await call('POST', url, '/deployments/{id}/create_flow_run', { idempotency_key: 'k1' });
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id } });
    const pending = await call('POST', url, '/deployments/{id}/create_flow_run', {
      state: { type: 'PENDING' },
    });
    expect(pending.body.state_type).toBe('PENDING');
    expect(
      (await call('POST', url, '/deployments/{id}/create_flow_run', { work_queue_name: 'q' })).status,
    ).toBe(400);
    expect(
      (
        await call(
          'POST',
          '/api/deployments/00000000-0000-4000-8000-000000000000/create_flow_run',
          '/deployments/{id}/create_flow_run',
          {},
        )
      ).status,
    ).toBe(404);

    const { body: typed } = await create({
      name: 'bulk-typed',
      parameter_openapi_schema: { type: 'object', properties: { n: { type: 'integer' } } },
    });
    const mixed = await call(
      'POST',
      `/api/deployments/${String(typed.id)}/create_flow_run/bulk`,
      '/deployments/{id}/create_flow_run/bulk',
      [{ parameters: { n: 1 } }, { parameters: { n: 'one' } }, { tags: 'not-a-list' }],
    );
    expect(mixed.body.results).toEqual([
      expect.objectContaining({ status: 'CREATED', error: null }),
      { flow_run_id: null, status: 'FAILED', error: expect.stringMatching(/^Error creating flow run: /) },
      expect.objectContaining({ flow_run_id: null, status: 'FAILED' }),
    ]);
    const tooMany = await call(
      'POST',
      `${url}/bulk`,
      '/deployments/{id}/create_flow_run/bulk',
      Array.from({ length: 101 }, () => ({})),
    );
    expect(tooMany.status).toBe(422);
    const bulk = await call('POST', `${url}/bulk`, '/deployments/{id}/create_flow_run/bulk', [
      {},
      { name: 'named' },
    ]);
    expect(bulk.status).toBe(200);
    expect(bulk.body.results).toEqual([
      expect.objectContaining({ status: 'CREATED', error: null }),
      expect.objectContaining({ status: 'CREATED', error: null }),
    ]);
  });

  it('get_scheduled_flow_runs returns due SCHEDULED runs by next start time and marks the deployments READY without touching updated', async () => {
    const { body } = await create({ name: 'served' });
    const later = await scheduledRun(body.id, { auto: false, inSeconds: -10 });
    const sooner = await scheduledRun(body.id, { auto: false, inSeconds: -60 });
    await scheduledRun(body.id, { auto: false, inSeconds: 3600 });
    const before = await read(body.id);
    const polled = await call(
      'POST',
      '/api/deployments/get_scheduled_flow_runs',
      '/deployments/get_scheduled_flow_runs',
      {
        deployment_ids: [body.id],
        scheduled_before: new Date().toISOString(),
      },
    );
    expect(polled.status).toBe(200);
    expect((polled.body as unknown as Json[]).map((r) => r.id)).toEqual([sooner, later]);
    const after = await read(body.id);
    expect(after).toMatchObject({ status: 'READY', updated: before.updated });
    expect(after.last_polled).not.toBeNull();
    expect((await eventsOf(body.id)).map((e) => e.event)).toEqual([
      'prefect.deployment.created',
      'prefect.deployment.ready',
    ]);
    // Already READY: a second poll emits nothing more. Ids take pydantic's UUID forms (braces, case).
    const again = await call(
      'POST',
      '/api/deployments/get_scheduled_flow_runs',
      '/deployments/get_scheduled_flow_runs',
      { deployment_ids: [`{${String(body.id).toUpperCase()}}`], scheduled_before: new Date().toISOString() },
    );
    expect((again.body as unknown as Json[]).map((r) => r.id)).toEqual([sooner, later]);
    expect(await eventsOf(body.id)).toHaveLength(2);
    expect(
      (
        await call(
          'POST',
          '/api/deployments/get_scheduled_flow_runs',
          '/deployments/get_scheduled_flow_runs',
          {},
        )
      ).status,
    ).toBe(422);
  });

  it('enforces the parameter schema: PATCH ignores required (409 otherwise), runs honour it; hydration 400', async () => {
    const schema = {
      type: 'object',
      properties: { n: { type: 'integer' }, s: { type: 'string' } },
      required: ['n'],
    };
    const { body } = await create({ name: 'typed', parameter_openapi_schema: schema, parameters: {} });
    expect((await patch(body.id, { parameters: { s: 'ok' } })).status).toBe(204);
    const wrong = await patch(body.id, { parameters: { n: 'one' } });
    expect(wrong.status).toBe(409);
    expect(String(wrong.body.detail)).toMatch(/^Error updating deployment: /);
    expect((await patch(body.id, { parameters: { n: 'one' }, enforce_parameter_schema: false })).status).toBe(
      204,
    );
    expect((await patch(body.id, { parameters: {}, enforce_parameter_schema: true })).status).toBe(204);

    const url = `/api/deployments/${String(body.id)}/create_flow_run`;
    const path = '/deployments/{id}/create_flow_run';
    const missing = await call('POST', url, path, {});
    expect(missing.status).toBe(409);
    expect(String(missing.body.detail)).toMatch(/^Error creating flow run: /);
    expect((await call('POST', url, path, { parameters: { n: 'x' } })).status).toBe(409);
    const hydrated = await call('POST', url, path, {
      parameters: { n: { __prefect_kind: 'json', value: '7' } },
    });
    expect(hydrated).toMatchObject({ status: 201, body: { parameters: { n: 7 } } });
    const badJson = await call('POST', url, path, {
      parameters: { n: { __prefect_kind: 'json', value: '{' } },
    });
    expect(badJson.status).toBe(400);
    expect(
      (await call('POST', url, path, { parameters: { n: 'x' }, enforce_parameter_schema: false })).status,
    ).toBe(201);

    const { body: schemaless } = await create({ name: 'schemaless', parameter_openapi_schema: null });
    const refused = await patch(schemaless.id, { paused: true });
    expect(refused).toMatchObject({
      status: 409,
      body: { detail: expect.stringMatching(/does not have a valid parameter schema/) },
    });

    // Left out, the schema is upstream's {} (ORM default=dict): runs validate against it and start.
    const { body: minimal } = await call('POST', '/api/deployments/', '/deployments/', {
      flow_id: flowId,
      name: 'minimal-schema',
    });
    expect(minimal.parameter_openapi_schema).toEqual({});
    const run = await call('POST', `/api/deployments/${String(minimal.id)}/create_flow_run`, path, {
      parameters: { any: 1 },
    });
    expect(run.status).toBe(201);
  });

  describe('work pools and queues', () => {
    beforeAll(async () => {
      const pools = app.get(WorkPoolRepository, { strict: false });
      await db.dataSource.transaction((manager) =>
        pools.create(manager, {
          name: 'pool',
          description: null,
          type: 'process',
          baseJobTemplate: {},
          isPaused: false,
          concurrencyLimit: null,
          storageConfiguration: {},
        }),
      );
    });

    it('pool only ⇒ its default queue; pool + queue ⇒ that queue, auto-created; queue only ⇒ default-agent-pool', async () => {
      const poolOnly = await create({ name: 'pooled', work_pool_name: 'pool' });
      expect(poolOnly.body).toMatchObject({ work_pool_name: 'pool', work_queue_name: 'default' });
      expect(poolOnly.body.work_queue_id).toMatch(/^[0-9a-f-]{36}$/);
      const withQueue = await create({ name: 'queued', work_pool_name: 'pool', work_queue_name: 'fast' });
      expect(withQueue.body).toMatchObject({ work_pool_name: 'pool', work_queue_name: 'fast' });
      expect(withQueue.body.work_queue_id).not.toBe(poolOnly.body.work_queue_id);
      const legacy = await create({ name: 'legacy', work_queue_name: 'old' });
      expect(legacy.body).toMatchObject({ work_pool_name: 'default-agent-pool', work_queue_name: 'old' });

      const run = await call(
        'POST',
        `/api/deployments/${String(withQueue.body.id)}/create_flow_run`,
        '/deployments/{id}/create_flow_run',
        {
          work_queue_name: 'slow',
        },
      );
      expect(run).toMatchObject({ status: 201, body: { work_pool_name: 'pool', work_queue_name: 'slow' } });
      const queueEvents = (await db.dataSource.query(
        `SELECT data->>'event' AS event, data->'resource'->>'prefect.resource.name' AS name FROM outbox
         WHERE data->>'event' IN ('prefect.work-queue.created', 'prefect.work-pool.created') ORDER BY created, id`,
      )) as { event: string; name: string }[];
      expect(queueEvents).toEqual(
        expect.arrayContaining([
          { event: 'prefect.work-queue.created', name: 'fast' },
          { event: 'prefect.work-queue.created', name: 'slow' },
          { event: 'prefect.work-pool.created', name: 'default-agent-pool' },
        ]),
      );
      const events = await eventsOf(withQueue.body.id);
      expect(events[0]?.related).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ 'prefect.resource.role': 'work-queue', 'prefect.resource.name': 'fast' }),
          expect.objectContaining({ 'prefect.resource.role': 'work-pool', 'prefect.resource.name': 'pool' }),
        ]),
      );
    });

    it('checks job variables against the pool template: deployments may omit required ones, runs may not', async () => {
      const pools = app.get(WorkPoolRepository, { strict: false });
      await db.dataSource.transaction((manager) =>
        pools.create(manager, {
          name: 'templated',
          description: null,
          type: 'process',
          baseJobTemplate: {
            job_configuration: { image: '{{ image }}', cpu: '{{ cpu }}' },
            variables: {
              type: 'object',
              properties: { image: { type: 'string' }, cpu: { type: 'integer', default: 1 } },
              required: ['image', 'cpu'],
            },
          },
          isPaused: false,
          concurrencyLimit: null,
          storageConfiguration: {},
        }),
      );
      const wrong = await create({
        name: 'bad-vars',
        work_pool_name: 'templated',
        job_variables: { cpu: 'many' },
      });
      expect(wrong.status).toBe(422);
      expect(String(wrong.body.detail)).toMatch(/^Error creating deployment: /);
      const { body } = await create({ name: 'vars', work_pool_name: 'templated', job_variables: {} });
      const url = `/api/deployments/${String(body.id)}/create_flow_run`;
      const path = '/deployments/{id}/create_flow_run';
      const noImage = await call('POST', url, path, {});
      expect(noImage.status).toBe(422);
      expect(String(noImage.body.detail)).toMatch(/^Error creating flow run: /);
      expect(await call('POST', url, path, { job_variables: { image: 'python:3.12' } })).toMatchObject({
        status: 201,
        body: { job_variables: { image: 'python:3.12' } },
      });
      expect(
        (await patch(body.id, { work_pool_name: 'templated', job_variables: { cpu: 'x' } })).status,
      ).toBe(409);
    });

    it('PATCH with work_pool_name null unlinks the queue; an absent key keeps it', async () => {
      const { body } = await create({ name: 'unlinked', work_pool_name: 'pool' });
      expect((await patch(body.id, { description: 'still pooled' })).status).toBe(204);
      expect(await read(body.id)).toMatchObject({
        work_pool_name: 'pool',
        work_queue_id: body.work_queue_id,
      });
      expect((await patch(body.id, { work_pool_name: null })).status).toBe(204);
      expect(await read(body.id)).toMatchObject({ work_pool_name: null, work_queue_id: null });
      expect((await patch(body.id, { work_pool_name: 'pool', work_queue_name: 'other' })).status).toBe(204);
      expect(await read(body.id)).toMatchObject({ work_pool_name: 'pool', work_queue_name: 'other' });
      expect((await patch(body.id, { work_pool_name: 'ghost' })).status).toBe(404);
    });
  });

  describe('listing', () => {
    it('filters, counts, paginates and bulk-deletes with schedules and limits loaded per page', async () => {
      for (const name of ['list-a', 'list-b', 'list-c']) {
        await create({
          name,
          tags: ['listed'],
          concurrency_limit: 3,
          schedules: [{ schedule: { interval: 60 } }],
        });
      }
      const filtered = await call('POST', '/api/deployments/filter', '/deployments/filter', {
        deployments: { tags: { all_: ['listed'] } },
        sort: 'NAME_DESC',
      });
      const rows = filtered.body as unknown as Json[];
      expect(rows.map((d) => d.name)).toEqual(['list-c', 'list-b', 'list-a']);
      expect(
        rows.every((d) => (d.schedules as unknown[]).length === 1 && d.global_concurrency_limit !== null),
      ).toBe(true);
      const byFlow = await call('POST', '/api/deployments/count', '/deployments/count', {
        flows: { name: { any_: ['etl'] } },
        deployments: { name: { like_: 'list-' } },
      });
      expect(byFlow.body).toBe(3);
      const page = await call('POST', '/api/deployments/paginate', '/deployments/paginate', {
        deployments: { tags: { all_: ['listed'] } },
        limit: 2,
        page: 2,
      });
      expect(page.body).toMatchObject({ count: 3, limit: 2, pages: 2, page: 2 });
      const deleted = await call('POST', '/api/deployments/bulk_delete', '/deployments/bulk_delete', {
        deployments: { tags: { all_: ['listed'] } },
        limit: 2,
      });
      expect((deleted.body.deleted as string[]).length).toBe(2);
      const tooMany = await call('POST', '/api/deployments/filter', '/deployments/filter', { limit: 201 });
      expect(tooMany).toEqual({
        status: 422,
        body: { detail: 'Invalid limit: must be less than or equal to 200.' },
      });
      const unknownKey = await call('POST', '/api/deployments/count', '/deployments/count', {
        deployments: { nme: {} },
      });
      expect(unknownKey.status).toBe(422);
      const badSort = await call('POST', '/api/deployments/filter', '/deployments/filter', {
        sort: 'SIDEWAYS',
      });
      expect(badSort.status).toBe(422);
      expect(
        (
          await call('POST', '/api/deployments/count', '/deployments/count', {
            deployments: { tags: { all_: ['listed'] } },
          })
        ).body,
      ).toBe(1);
    });
  });
});
