import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  ContractValidator,
  createTestDatabase,
  startTestApi,
  type TestDatabase,
  contractCall,
} from '@orrery/testing';

type Json = Record<string, unknown>;

describe('/api/artifacts on PostgreSQL, against the contract', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  /** Calls the API and checks the response against the operation's schema in the contract. */
  const call = contractCall(() => app, contract);

  const create = async (body: Json): Promise<Json> => {
    const response = await call('POST', '/api/artifacts/', '/artifacts/', body);
    expect(response.status).toBe(201);
    return response.body;
  };
  const latest = (key: string) => call('GET', `/api/artifacts/${key}/latest`, '/artifacts/{key}/latest');
  const read = (id: unknown) => call('GET', `/api/artifacts/${String(id)}`, '/artifacts/{id}');
  const del = (id: unknown) => call('DELETE', `/api/artifacts/${String(id)}`, '/artifacts/{id}');
  const ids = (body: unknown) => (body as Json[]).map((a) => a.id);

  /** The lifecycle events of one key's collection in the outbox, oldest first. */
  async function collectionEvents(key: string): Promise<Json[]> {
    const rows = (await db.dataSource.query(
      `SELECT data FROM outbox WHERE data->>'event' LIKE 'prefect.artifact-collection.%'
         AND data->'resource'->>'prefect.resource.name' = $1 ORDER BY created, id`,
      [key],
    )) as Array<{ data: Json }>;
    return rows.map((r) => r.data);
  }

  it('creates with 201, `metadata_` on the wire, and reads it back; 404 "Artifact not found."', async () => {
    const artifact = await create({
      key: 'report-1',
      type: 'markdown',
      description: 'the *report*',
      data: '# hello',
      metadata_: { rows: '3', long: 'x'.repeat(600) },
    });
    expect(artifact).toMatchObject({
      key: 'report-1',
      type: 'markdown',
      description: 'the *report*',
      data: '# hello',
      metadata_: { rows: '3', long: `${'x'.repeat(500)}...` },
      flow_run_id: null,
      task_run_id: null,
    });
    expect(artifact.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect((await read(artifact.id)).body).toEqual(artifact);
    // A key-less artifact with any JSON data and no collection.
    const bare = await create({ data: { rows: [[1, 2]], ok: true } });
    expect(bare).toMatchObject({ key: null, data: { rows: [[1, 2]], ok: true }, metadata_: null });
    expect(await read('00000000-0000-4000-8000-000000000000')).toEqual({
      status: 404,
      body: { detail: 'Artifact not found.' },
    });
    expect((await read('not-a-uuid')).body).toEqual({ detail: 'Not Found' });
    expect(await latest('no-such-key')).toEqual({ status: 404, body: { detail: 'Artifact not found.' } });
  });

  it.each([
    ['an upper-case key', { key: 'Bad_Key' }, ['body', 'key'], 'value_error'],
    ['a non-string metadata value', { metadata_: { n: 1 } }, ['body', 'metadata_'], 'value_error'],
    ['a malformed flow_run_id', { flow_run_id: 'nope' }, ['body', 'flow_run_id'], 'uuid_parsing'],
    ['a numeric description', { description: 5 }, ['body', 'description'], 'string_type'],
  ])('rejects %s with 422 naming the field', async (_label, body, loc, type) => {
    const response = await call('POST', '/api/artifacts/', '/artifacts/', body);
    expect(response.status).toBe(422);
    expect(response.body.exception_detail).toEqual(
      expect.arrayContaining([expect.objectContaining({ loc, type })]),
    );
  });

  it('keeps one collection per key, pointing at the newest artifact, with its events', async () => {
    const first = await create({ key: 'k-versions', type: 'table', data: [1] });
    const second = await create({ key: 'k-versions', type: 'markdown', data: 'two', description: 'v2' });
    const collection = await latest('k-versions');
    expect(collection.status).toBe(200);
    expect(collection.body).toMatchObject({
      key: 'k-versions',
      type: 'markdown',
      data: 'two',
      description: 'v2',
    });
    const [row] = (await db.dataSource.query('SELECT id, latest_id FROM artifact_collection WHERE key = $1', [
      'k-versions',
    ])) as Array<{ id: string; latest_id: string }>;
    expect(row?.latest_id).toBe(second.id);
    // Upstream's response model is Artifact, built from the collection row: its id is the collection's.
    expect(collection.body.id).toBe(row?.id);
    expect(collection.body).not.toHaveProperty('latest_id');
    expect(first.id).not.toBe(second.id);
    const events = await collectionEvents('k-versions');
    expect(events.map((e) => e.event)).toEqual([
      'prefect.artifact-collection.created',
      'prefect.artifact-collection.updated',
    ]);
    expect(events[1]).toMatchObject({
      resource: { 'prefect.resource.id': `prefect.artifact-collection.${String(row?.id)}` },
      related: [
        { 'prefect.resource.id': `prefect.artifact.${String(second.id)}`, 'prefect.resource.role': 'latest' },
      ],
      payload: { key: 'k-versions', type: 'markdown', data: 'two', description: 'v2' },
    });
  });

  it('deleting the latest repoints the collection to the next newest; deleting the last deletes it', async () => {
    const a1 = await create({ key: 'k-repoint', data: 'one', description: 'first' });
    const a2 = await create({ key: 'k-repoint', data: 'two', description: 'second' });
    const a3 = await create({ key: 'k-repoint', data: 'three', description: 'third' });
    // Deleting an older version leaves the collection alone.
    expect((await del(a2.id)).status).toBe(204);
    expect((await latest('k-repoint')).body).toMatchObject({ data: 'three', description: 'third' });
    // Deleting the latest repoints to the next newest remaining (a1), copying its fields.
    expect((await del(a3.id)).status).toBe(204);
    expect((await latest('k-repoint')).body).toMatchObject({
      key: 'k-repoint',
      data: 'one',
      description: 'first',
      created: a1.created,
      updated: a1.updated,
    });
    const [row] = (await db.dataSource.query('SELECT latest_id FROM artifact_collection WHERE key = $1', [
      'k-repoint',
    ])) as Array<{ latest_id: string }>;
    expect(row?.latest_id).toBe(a1.id);
    // Deleting the last one deletes the collection.
    expect((await del(a1.id)).status).toBe(204);
    expect((await latest('k-repoint')).status).toBe(404);
    expect(
      (await db.dataSource.query('SELECT 1 FROM artifact_collection WHERE key = $1', ['k-repoint'])).length,
    ).toBe(0);
    expect(await del(a1.id)).toEqual({ status: 404, body: { detail: 'Artifact not found.' } });
    expect((await collectionEvents('k-repoint')).map((e) => e.event)).toEqual([
      'prefect.artifact-collection.created',
      'prefect.artifact-collection.updated',
      'prefect.artifact-collection.updated',
      'prefect.artifact-collection.updated',
      'prefect.artifact-collection.deleted',
    ]);
  });

  it('racing creates and deletes of one key leave the collection on a live artifact of that key', async () => {
    const live = async () =>
      (await db.dataSource.query(
        `SELECT c.latest_id, a.id AS artifact_id FROM artifact_collection c
           LEFT JOIN artifact a ON a.id = c.latest_id AND a.key = c.key WHERE c.key = $1`,
        ['k-race'],
      )) as Array<{ latest_id: string; artifact_id: string | null }>;
    const first = await Promise.all([1, 2, 3, 4, 5].map((i) => create({ key: 'k-race', data: i })));
    await Promise.all([
      ...first.slice(0, 4).map((a) => del(a.id)),
      ...[6, 7, 8].map((i) => create({ key: 'k-race', data: i })),
    ]);
    const [after] = await live();
    expect(after?.artifact_id).toBe(after?.latest_id);
    // Deleting every artifact of the key at once deletes the collection.
    const remaining = (await db.dataSource.query('SELECT id FROM artifact WHERE key = $1', [
      'k-race',
    ])) as Array<{
      id: string;
    }>;
    expect(remaining.length).toBe(4);
    const statuses = await Promise.all(remaining.map((a) => del(a.id)));
    expect(statuses.map((r) => r.status)).toEqual([204, 204, 204, 204]);
    expect(await live()).toEqual([]);
  });

  it('PATCH writes data/description/metadata_ to the artifact, and to the collection only if it is the latest', async () => {
    const old = await create({ key: 'k-patch', data: 'old', description: 'old' });
    const newest = await create({ key: 'k-patch', data: 'new', description: 'new', metadata_: { a: 'b' } });
    const patch = (id: unknown, body: Json) =>
      call('PATCH', `/api/artifacts/${String(id)}`, '/artifacts/{id}', body);
    expect((await patch(old.id, { description: 'old, edited' })).status).toBe(204);
    expect((await read(old.id)).body).toMatchObject({ description: 'old, edited', data: 'old' });
    expect((await latest('k-patch')).body).toMatchObject({ description: 'new', data: 'new' });
    expect((await patch(newest.id, { data: { v: 2 }, metadata_: null })).status).toBe(204);
    expect((await read(newest.id)).body).toMatchObject({
      data: { v: 2 },
      description: 'new',
      metadata_: null,
    });
    expect((await latest('k-patch')).body).toMatchObject({
      data: { v: 2 },
      description: 'new',
      metadata_: null,
    });
    expect(await patch('00000000-0000-4000-8000-000000000000', { data: 1 })).toEqual({
      status: 404,
      body: { detail: 'Artifact not found.' },
    });
    expect((await patch(newest.id, { metadata_: { n: 2 } })).status).toBe(422);
  });

  describe('listing', () => {
    const run: Record<string, string> = {};
    const made: Record<string, Json> = {};

    beforeAll(async () => {
      const flow = await call('POST', '/api/flows/', '/flows/', { name: 'artifact-flow' });
      const other = await call('POST', '/api/flows/', '/flows/', { name: 'other-flow' });
      const fr1 = await call('POST', '/api/flow_runs/', '/flow_runs/', {
        flow_id: flow.body.id,
        name: 'fr-one',
        tags: ['t1'],
      });
      const fr2 = await call('POST', '/api/flow_runs/', '/flow_runs/', {
        flow_id: other.body.id,
        name: 'fr-two',
      });
      const tr = await call('POST', '/api/task_runs/', '/task_runs/', {
        flow_run_id: fr1.body.id,
        task_key: 'tk',
        dynamic_key: '0',
        name: 'task-one',
      });
      run.fr1 = String(fr1.body.id);
      run.fr2 = String(fr2.body.id);
      run.tr = String(tr.body.id);
      run.flow = String(flow.body.id);
      // fr2 belongs to a deployment (inserted directly: this API has no deployments yet).
      const [deployment] = (await db.dataSource.query(
        `INSERT INTO deployment (name, flow_id) VALUES ('dep', $1) RETURNING id`,
        [other.body.id],
      )) as Array<{ id: string }>;
      await db.dataSource.query('UPDATE flow_run SET deployment_id = $1 WHERE id = $2', [
        deployment?.id,
        run.fr2,
      ]);
      made.x1 = await create({ key: 'list-x', type: 'table', flow_run_id: run.fr1, task_run_id: run.tr });
      made.y1 = await create({ key: 'list-y', type: 'markdown', flow_run_id: run.fr2 });
      made.x2 = await create({ key: 'list-x', type: 'markdown', flow_run_id: run.fr1 });
      made.n1 = await create({ type: 'result', flow_run_id: run.fr2 });
    });

    const listing = { artifacts: { flow_run_id: { any_: [] as string[] } } };
    const mine = () => ({ any_: [run.fr1!, run.fr2!] });

    it('lists artifacts by ID_DESC by default, sorts by key, and filters on artifact fields', async () => {
      const all = await call('POST', '/api/artifacts/filter', '/artifacts/filter', {
        artifacts: { flow_run_id: mine() },
      });
      expect(ids(all.body)).toEqual([made.n1!.id, made.x2!.id, made.y1!.id, made.x1!.id]);
      const byKey = await call('POST', '/api/artifacts/filter', '/artifacts/filter', {
        artifacts: { flow_run_id: mine(), key: { exists_: true } },
        sort: 'KEY_ASC',
      });
      expect(ids(byKey.body)).toEqual([made.x1!.id, made.x2!.id, made.y1!.id]);
      const notMarkdown = await call('POST', '/api/artifacts/filter', '/artifacts/filter', {
        artifacts: { flow_run_id: mine(), type: { not_any_: ['markdown'] } },
      });
      expect(ids(notMarkdown.body)).toEqual([made.n1!.id, made.x1!.id]);
      const like = await call('POST', '/api/artifacts/filter', '/artifacts/filter', {
        artifacts: { key: { like_: 'ist-y' } },
      });
      expect(ids(like.body)).toEqual([made.y1!.id]);
      const none = await call('POST', '/api/artifacts/filter', '/artifacts/filter', listing);
      expect(none.body).toEqual([]);
      expect(
        (
          await call('POST', '/api/artifacts/count', '/artifacts/count', {
            artifacts: { flow_run_id: mine() },
          })
        ).body,
      ).toBe(4);
    });

    it('filters artifacts through their flow runs, task runs, flows and deployments', async () => {
      const body = (extra: Json) => ({ artifacts: { flow_run_id: mine() }, ...extra });
      const byRun = await call(
        'POST',
        '/api/artifacts/filter',
        '/artifacts/filter',
        body({ flow_runs: { tags: { all_: ['t1'] } } }),
      );
      expect(ids(byRun.body)).toEqual([made.x2!.id, made.x1!.id]);
      const byTask = await call(
        'POST',
        '/api/artifacts/filter',
        '/artifacts/filter',
        body({ task_runs: { name: { any_: ['task-one'] } } }),
      );
      expect(ids(byTask.body)).toEqual([made.x1!.id]);
      const byFlow = await call(
        'POST',
        '/api/artifacts/filter',
        '/artifacts/filter',
        body({ flows: { name: { any_: ['other-flow'] } } }),
      );
      expect(ids(byFlow.body)).toEqual([made.n1!.id, made.y1!.id]);
      const byDeployment = await call(
        'POST',
        '/api/artifacts/count',
        '/artifacts/count',
        body({ deployments: {} }),
      );
      expect(byDeployment.body).toBe(2);
    });

    it('lists the latest artifact per key from the collections, with the same cross-object filters', async () => {
      const latestAll = await call('POST', '/api/artifacts/latest/filter', '/artifacts/latest/filter', {
        artifacts: { key: { like_: 'list-' } },
        sort: 'KEY_DESC',
      });
      expect((latestAll.body as unknown as Json[]).map((c) => [c.key, c.latest_id, c.type])).toEqual([
        ['list-y', made.y1!.id, 'markdown'],
        ['list-x', made.x2!.id, 'markdown'],
      ]);
      const byLatestId = await call('POST', '/api/artifacts/latest/filter', '/artifacts/latest/filter', {
        artifacts: { latest_id: { any_: [made.x2!.id] } },
      });
      expect((byLatestId.body as unknown as Json[]).map((c) => c.key)).toEqual(['list-x']);
      const viaFlow = await call('POST', '/api/artifacts/latest/filter', '/artifacts/latest/filter', {
        artifacts: { key: { like_: 'list-' } },
        flows: { id: { any_: [run.flow] } },
      });
      expect((viaFlow.body as unknown as Json[]).map((c) => c.key)).toEqual(['list-x']);
      // The collection carries the latest artifact's task run (none for x2), so this matches nothing.
      expect(
        (
          await call('POST', '/api/artifacts/latest/count', '/artifacts/latest/count', {
            artifacts: { key: { like_: 'list-' } },
            task_runs: {},
          })
        ).body,
      ).toBe(0);
      expect(
        (
          await call('POST', '/api/artifacts/latest/count', '/artifacts/latest/count', {
            artifacts: { key: { like_: 'list-' } },
            deployments: {},
          })
        ).body,
      ).toBe(1);
    });

    it('rejects a bad sort, an unknown filter key and a limit over 200', async () => {
      expect(
        (await call('POST', '/api/artifacts/filter', '/artifacts/filter', { sort: 'NAME_ASC' })).status,
      ).toBe(422);
      const unknown = await call('POST', '/api/artifacts/latest/filter', '/artifacts/latest/filter', {
        artifacts: { id: {} },
      });
      expect(unknown.body.exception_detail).toEqual([
        expect.objectContaining({ type: 'extra_forbidden', loc: ['body', 'artifacts', 'id'] }),
      ]);
      expect(await call('POST', '/api/artifacts/filter', '/artifacts/filter', { limit: 201 })).toEqual({
        status: 422,
        body: { detail: 'Invalid limit: must be less than or equal to 200.' },
      });
    });
  });
});
