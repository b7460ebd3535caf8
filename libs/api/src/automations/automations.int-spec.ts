import { Client } from 'pg';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  ContractValidator,
  createTestDatabase,
  startTestApi,
  type TestDatabase,
  waitFor,
  contractCall,
  startTestApiOn,
} from '@orrery/testing';

type Json = Record<string, unknown>;

describe('/api/automations on PostgreSQL, against the contract', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true, poolSize: 1 });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const call = contractCall(() => app, contract);

  const deploymentId = '0195f2a8-0000-7000-8000-00000000d001';
  /** What `flow.serve(triggers=[…])` / the runner posts for a deployment trigger. */
  const sdkAutomation = (name: string, extra: Json = {}): Json => ({
    name,
    description: '',
    enabled: true,
    tags: ['sdk'],
    trigger: {
      type: 'event',
      id: '00000000-0000-4000-8000-000000000001',
      match: { 'prefect.resource.id': 'prefect.flow-run.*' },
      match_related: {},
      after: [],
      expect: ['prefect.flow-run.Completed'],
      for_each: [],
      posture: 'Reactive',
      threshold: 1,
      within: 0,
    },
    actions: [{ type: 'run-deployment', source: 'selected', deployment_id: deploymentId, parameters: null }],
    owner_resource: `prefect.deployment.${deploymentId}`,
    ...extra,
  });

  async function eventsOf(id: unknown): Promise<string[]> {
    const rows = (await db.dataSource.query(
      `SELECT data->>'event' AS event FROM outbox WHERE data->'resource'->>'prefect.resource.id' = $1 ORDER BY created, id`,
      [`prefect.automation.${String(id)}`],
    )) as { event: string }[];
    return rows.map((r) => r.event);
  }

  it('creates (201, trigger ids reset, defaults filled), reads, replaces (204), toggles (204) and deletes (204)', async () => {
    const listener = new Client({ connectionString: db.url });
    await listener.connect();
    const notifications: Json[] = [];
    listener.on('notification', (n) => notifications.push(JSON.parse(n.payload ?? '{}') as Json));
    await listener.query('LISTEN prefect_automation_changes');
    try {
      const created = await call('POST', '/api/automations/', '/automations/', sdkAutomation('on-complete'));
      expect(created.status).toBe(201);
      const id = String(created.body.id);
      expect(created.body).toMatchObject({
        name: 'on-complete',
        enabled: true,
        tags: ['sdk'],
        actions_on_trigger: [],
      });
      expect((created.body.trigger as Json).id).not.toBe('00000000-0000-4000-8000-000000000001');
      expect((created.body.actions as Json[])[0]).toMatchObject({
        type: 'run-deployment',
        job_variables: null,
      });

      expect((await call('GET', `/api/automations/${id}`, '/automations/{id}')).body).toEqual(created.body);

      const minimal = {
        name: 'renamed',
        trigger: { posture: 'Proactive', expect: ['x'], within: 30 },
        actions: [{ type: 'do-nothing' }],
      };
      expect((await call('PUT', `/api/automations/${id}`, '/automations/{id}', minimal)).status).toBe(204);
      const replaced = (await call('GET', `/api/automations/${id}`, '/automations/{id}')).body;
      expect(replaced).toMatchObject({
        name: 'renamed',
        description: '',
        tags: [],
        trigger: { type: 'event', posture: 'Proactive', threshold: 1, match: {} },
      });

      expect(
        (await call('PATCH', `/api/automations/${id}`, '/automations/{id}', { enabled: false })).status,
      ).toBe(204);
      expect((await call('GET', `/api/automations/${id}`, '/automations/{id}')).body.enabled).toBe(false);
      expect(
        (await call('PATCH', `/api/automations/${id}`, '/automations/{id}', { enabled: 'maybe' })).status,
      ).toBe(422);

      expect((await call('DELETE', `/api/automations/${id}`, '/automations/{id}')).status).toBe(204);
      const gone = `/api/automations/${id}`;
      expect(await call('GET', gone, '/automations/{id}')).toEqual({
        status: 404,
        body: { detail: 'Automation not found' },
      });
      expect((await call('DELETE', gone, '/automations/{id}')).status).toBe(404);
      expect((await call('PUT', gone, '/automations/{id}', minimal)).status).toBe(404);
      expect((await call('PATCH', gone, '/automations/{id}', { enabled: true })).status).toBe(404);

      expect(await eventsOf(id)).toEqual([
        'prefect.automation.created',
        'prefect.automation.updated',
        'prefect.automation.updated',
        'prefect.automation.deleted',
      ]);
      // Committed writes NOTIFY the triggers service.
      const heard = () => notifications.filter((n) => n.automation_id === id).map((n) => n.event_type);
      await waitFor(() => heard().length >= 4, { what: 'the four notifications' });
      expect(heard()).toEqual(['created', 'updated', 'updated', 'deleted']);
    } finally {
      await listener.end();
    }
  });

  it('refuses bad bodies with 422 naming the field', async () => {
    const cases: [Json, string][] = [
      [{ ...sdkAutomation('x'), name: undefined }, 'name'],
      [{ ...sdkAutomation('x'), trigger: { type: 'event' } }, 'posture'],
      [{ ...sdkAutomation('x'), trigger: { type: 'weird', posture: 'Reactive' } }, 'type'],
      [{ ...sdkAutomation('x'), actions: [{ type: 'launch-rockets' }] }, 'actions'],
      [{ ...sdkAutomation('x'), actions: [{ type: 'run-deployment', source: 'selected' }] }, 'deployment_id'],
      [{ ...sdkAutomation('x'), actions: [{ type: 'send-notification' }] }, 'block_document_id'],
      [{ ...sdkAutomation('x'), trigger: { type: 'compound', triggers: [], within: 10 } }, 'require'],
      // Metric triggers are not in the open-source server: refused like upstream.
      [{ ...sdkAutomation('x'), trigger: { type: 'metric', posture: 'Metric', metric: {} } }, 'type'],
    ];
    for (const [body, field] of cases) {
      const response = await call('POST', '/api/automations/', '/automations/', body);
      expect(response.status).toBe(422);
      expect(JSON.stringify(response.body)).toContain(field);
    }
  });

  it('resolves items without type as upstream’s untagged unions do, and stores their type', async () => {
    const created = await call('POST', '/api/automations/', '/automations/', {
      name: 'untyped',
      trigger: { triggers: [{ posture: 'Reactive', expect: ['x'] }], within: 10 },
      actions: [{}, { source: 'inferred' }],
    });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const read = (await call('GET', `/api/automations/${id}`, '/automations/{id}')).body;
    expect(read).toMatchObject({
      trigger: { type: 'sequence', within: 10, triggers: [{ type: 'event', posture: 'Reactive' }] },
      actions: [{ type: 'do-nothing' }, { type: 'run-deployment', source: 'inferred', deployment_id: null }],
    });
    expect((await call('DELETE', `/api/automations/${id}`, '/automations/{id}')).status).toBe(204);
  });

  it('refuses at save time what upstream’s action validators refuse, naming the field', async () => {
    const id = '0195f2a8-0000-7000-8000-00000000d0ff';
    const cases: [Json, string, string][] = [
      [{ type: 'run-deployment', source: 'selected' }, 'deployment_id', 'required'],
      [{ type: 'run-deployment', source: 'inferred', deployment_id: id }, 'deployment_id', 'not allowed'],
      [{ type: 'resume-deployment' }, 'deployment_id', 'required'],
      [{ type: 'pause-deployment', source: 'elsewhere' }, 'source', "'selected' or 'inferred'"],
      [{ type: 'pause-work-queue' }, 'work_queue_id', 'required'],
      [{ type: 'resume-work-queue', source: 'inferred', work_queue_id: id }, 'work_queue_id', 'not allowed'],
      [{ type: 'pause-work-pool', source: 'selected', work_pool_id: 'x' }, 'work_pool_id', 'valid UUID'],
      [{ type: 'resume-work-pool', source: 'inferred', work_pool_id: id }, 'work_pool_id', 'not allowed'],
      [{ type: 'pause-automation', source: 'selected' }, 'automation_id', 'required'],
      [{ type: 'resume-automation', source: 'inferred', automation_id: id }, 'automation_id', 'not allowed'],
      [{ type: 'change-flow-run-state', state: 'SLEEPING' }, 'state', 'valid state type'],
      [{ type: 'send-notification', block_document_id: 'nope', body: 'x' }, 'block_document_id', 'UUID'],
      [
        { type: 'send-notification', block_document_id: id, body: '{% for x in y %}unclosed' },
        'body',
        "'body' is not a valid template",
      ],
      [
        { type: 'send-notification', block_document_id: id, body: 'ok', subject: '{{ flow_run.name ' },
        'subject',
        "'subject' is not a valid template",
      ],
      [
        { type: 'call-webhook', block_document_id: id, payload: '{% if %}' },
        'payload',
        "'payload' is not a valid template",
      ],
      [
        {
          type: 'run-deployment',
          deployment_id: id,
          parameters: { n: { __prefect_kind: 'json', value: '[1,' } },
        },
        'parameters',
        'n: Invalid JSON',
      ],
      [
        { type: 'run-deployment', deployment_id: id, parameters: { a: { b: { __prefect_kind: 'jinja' } } } },
        'parameters',
        "a.b: Missing 'template' key",
      ],
      [
        { type: 'run-deployment', deployment_id: id, parameters: { t: 'run {{ event.id ' } },
        'parameters',
        't: Invalid jinja',
      ],
    ];
    for (const [action, field, message] of cases) {
      const response = await call('POST', '/api/automations/', '/automations/', {
        ...sdkAutomation('x'),
        actions: [action],
      });
      expect({ action, status: response.status }).toEqual({ action, status: 422 });
      const issues = (response.body as { exception_detail: { loc: unknown[]; msg: string }[] })
        .exception_detail;
      const issue = issues.find(
        (i) => JSON.stringify(i.loc) === JSON.stringify(['body', 'actions', 0, field]),
      );
      expect({ action, msg: issue?.msg }).toEqual({ action, msg: expect.stringContaining(message) });
    }
    // What those validators accept is saved: valid templates, hydratable parameters, a dict payload.
    const accepted = await call('POST', '/api/automations/', '/automations/', {
      ...sdkAutomation('valid templates'),
      actions: [
        {
          type: 'send-notification',
          block_document_id: id.replace(/-/g, '').toUpperCase(),
          subject: '{{ flow_run.name }} failed',
          body: '{% for e in events %}{{ e.event }}{% endfor %}',
        },
        { type: 'call-webhook', block_document_id: id, payload: { message: '{{ event.id }}' } },
        {
          type: 'run-deployment',
          source: 'inferred',
          parameters: { n: { __prefect_kind: 'json', value: '[1]' }, t: '{{ event.id }}' },
        },
        { type: 'pause-work-pool', source: 'inferred' },
        { type: 'pause-deployment', deployment_id: `{${id.toUpperCase()}}` },
      ],
    });
    expect(accepted.status).toBe(201);
    const saved = (accepted.body as { actions: Json[] }).actions;
    // Ids in any UUID form pydantic reads are stored canonical.
    expect([saved[0]!.block_document_id, saved[4]!.deployment_id]).toEqual([id, id]);
    expect(JSON.parse(saved[1]!.payload as string)).toEqual({ message: '{{ event.id }}' });
    const created = (accepted.body as { id: string }).id;
    expect((await call('DELETE', `/api/automations/${created}`, '/automations/{id}')).status).toBe(204);
  });

  it('refuses enabled reactive automations that would start runs re-triggering themselves', async () => {
    const looping = (trigger: Json, action: Json, enabled = true) =>
      call('POST', '/api/automations/', '/automations/', {
        name: 'loop',
        enabled,
        trigger: { posture: 'Reactive', expect: ['prefect.flow-run.Running'], ...trigger },
        actions: [{ type: 'run-deployment', ...action }],
      });
    const inferred = await looping({}, { source: 'inferred' });
    expect(inferred.status).toBe(422);
    expect(JSON.stringify(inferred.body)).toContain('infinite loop');
    const unnarrowed = await looping(
      { match: { 'prefect.resource.id': 'prefect.flow-run.*' }, match_related: {} },
      { deployment_id: deploymentId },
    );
    expect(unnarrowed.status).toBe(422);
    // Narrowed by a label, disabled, or on a terminal event: accepted.
    const narrowed = await looping(
      { match: { 'prefect.resource.id': 'prefect.flow-run.*', 'prefect.resource.name': 'nightly' } },
      { deployment_id: deploymentId },
    );
    const disabled = await looping({}, { source: 'inferred' }, false);
    const terminal = await looping({ expect: ['prefect.flow-run.Completed'] }, { source: 'inferred' });
    for (const accepted of [narrowed, disabled, terminal]) {
      expect(accepted.status).toBe(201);
      await call('DELETE', `/api/automations/${String(accepted.body.id)}`, '/automations/{id}');
    }
  });

  it('explains an automation: GET /api/orrery/automations/{id}/test replays stored events without acting', async () => {
    const created = await call('POST', '/api/automations/', '/automations/', {
      name: 'explained',
      trigger: { posture: 'Reactive', expect: ['explain.fail'], threshold: 2, within: 3600 },
      actions: [{ type: 'do-nothing' }],
    });
    const id = String(created.body.id);
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();
    const stored = [
      ['00000000-0000-7000-8000-0000000e0001', 'explain.fail', at(120)],
      ['00000000-0000-7000-8000-0000000e0002', 'explain.ok', at(90)],
      ['00000000-0000-7000-8000-0000000e0003', 'explain.fail', at(60)],
      ['00000000-0000-7000-8000-0000000e0004', 'explain.fail', at(7200)],
    ];
    await db.dataSource.query(
      `INSERT INTO events (id, occurred, event, resource_id, resource, related_resource_ids, related, payload, received, recorded)
       SELECT x.id::uuid, x.at::timestamptz, x.name, 'r', '{"prefect.resource.id": "r"}', '[]', '[]', '{}', x.at::timestamptz, now()
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, name text, at text)`,
      [JSON.stringify(stored.map(([eid, name, when]) => ({ id: eid, name, at: when })))],
    );
    const inject = (url: string) => app.getHttpAdapter().getInstance().inject({ method: 'GET', url });
    const response = await inject(`/api/orrery/automations/${id}/test?since=1h`);
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      events_replayed: number;
      matching_events: { event_id: string; bucket: { count: number } | null }[];
      firings: { triggering_event_id: string }[];
    }>();
    expect(body.events_replayed).toBe(3); // the 2-hour-old one is outside the window
    expect(body.matching_events.map((m) => m.bucket?.count)).toEqual([1, 0]);
    expect(body.firings.map((f) => f.triggering_event_id)).toEqual(['00000000-0000-7000-8000-0000000e0003']);
    // Nothing acted: no triggered event in the outbox.
    expect(await eventsOf(id)).toEqual(['prefect.automation.created']);
    expect((await inject(`/api/orrery/automations/${id}/test?since=soon`)).statusCode).toBe(422);
    expect(
      (await inject(`/api/orrery/automations/00000000-0000-7000-8000-000000000000/test`)).statusCode,
    ).toBe(404);
    await call('DELETE', `/api/automations/${id}`, '/automations/{id}');
  });

  it('filters, counts, lists related automations and deletes those a resource owns (202)', async () => {
    const owner = `prefect.deployment.${deploymentId}`;
    const a = (
      await call('POST', '/api/automations/', '/automations/', sdkAutomation('alpha', { tags: ['t1'] }))
    ).body;
    const b = (
      await call(
        'POST',
        '/api/automations/',
        '/automations/',
        sdkAutomation('beta', { owner_resource: null }),
      )
    ).body;
    const c = (
      await call('POST', '/api/automations/', '/automations/', {
        ...sdkAutomation('gamma', { owner_resource: undefined }),
        trigger: { type: 'sequence', within: 60, triggers: [{ posture: 'Reactive', expect: ['a'] }] },
        actions: [{ type: 'do-nothing' }],
      })
    ).body;
    expect((c.trigger as Json).type).toBe('sequence');

    const names = async (body: Json) =>
      (
        (await call('POST', '/api/automations/filter', '/automations/filter', body)).body as unknown as Json[]
      ).map((x) => x.name);
    expect(await names({})).toEqual(['alpha', 'beta', 'gamma']);
    expect(await names({ sort: 'NAME_DESC', limit: 2 })).toEqual(['gamma', 'beta']);
    expect(await names({ automations: { name: { any_: ['beta'] } } })).toEqual(['beta']);
    expect(await names({ automations: { tags: { all_: ['t1'] } } })).toEqual(['alpha']);
    expect(
      (await call('POST', '/api/automations/filter', '/automations/filter', { sort: 'NOPE' })).status,
    ).toBe(422);
    expect((await call('POST', '/api/automations/count', '/automations/count', {})).body).toBe(3);

    // alpha is owned by the deployment; beta runs it (related, not owned); gamma is unrelated.
    const related = await call(
      'GET',
      `/api/automations/related-to/${owner}`,
      '/automations/related-to/{resource_id}',
    );
    expect((related.body as unknown as Json[]).map((x) => x.id).sort()).toEqual([a.id, b.id].sort());

    const deleted = await call(
      'DELETE',
      `/api/automations/owned-by/${owner}`,
      '/automations/owned-by/{resource_id}',
    );
    expect(deleted.status).toBe(202);
    expect(await names({})).toEqual(['beta', 'gamma']);
    expect(await eventsOf(a.id)).toEqual(['prefect.automation.created', 'prefect.automation.deleted']);
  });
});

describe('/api/automations on PGlite (embedded)', () => {
  const contract = new ContractValidator();
  let drop: () => Promise<void>;
  let app: NestFastifyApplication;
  beforeAll(async () => {
    ({ app, drop } = await startTestApiOn('pglite'));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  const call = contractCall(() => app, contract);

  it('creates, toggles, filters and deletes what a resource owns (NOTIFY works there too)', async () => {
    const body = {
      name: 'embedded',
      trigger: { posture: 'Reactive', expect: ['prefect.flow-run.Failed'] },
      actions: [{ type: 'cancel-flow-run' }],
      owner_resource: 'prefect.deployment.0195f2a8-0000-7000-8000-00000000e001',
    };
    const created = await call('POST', '/api/automations/', '/automations/', body);
    expect(created.status).toBe(201);
    const url = `/api/automations/${String(created.body.id)}`;
    expect((await call('PATCH', url, '/automations/{id}', { enabled: false })).status).toBe(204);
    expect((await call('GET', url, '/automations/{id}')).body.enabled).toBe(false);
    expect((await call('POST', '/api/automations/filter', '/automations/filter', {})).body).toHaveLength(1);
    const owned = `/api/automations/owned-by/${body.owner_resource}`;
    expect((await call('DELETE', owned, '/automations/owned-by/{resource_id}')).status).toBe(202);
    expect((await call('GET', url, '/automations/{id}')).status).toBe(404);
  });
});
