import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { uuid7 } from '@orrery/domain';
import { ContractValidator, createTestDatabase, startTestApi, type TestDatabase } from '@orrery/testing';

type Json = Record<string, unknown>;

const FLOW_ID = '01930000-0000-7000-8000-00000000f002';
const RUN = '01930000-0000-7000-8000-00000000a002';
const OTHER_RUN = '01930000-0000-7000-8000-00000000b002';

describe('/api/flow_runs/{id}/input on PostgreSQL, against the contract', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
    await db.dataSource.query(`INSERT INTO flow (id, name) VALUES ($1, 'input-flow')`, [FLOW_ID]);
    await db.dataSource.query(
      `INSERT INTO flow_run (id, flow_id, name) VALUES ($1, $3, 'a'), ($2, $3, 'b')`,
      [RUN, OTHER_RUN, FLOW_ID],
    );
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  async function call(method: string, url: string, path: string, body?: unknown) {
    const response = await app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: method as 'GET',
        url,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
      });
    const isJson = String(response.headers['content-type'] ?? '').startsWith('application/json');
    const parsed: unknown = response.body === '' ? null : isJson ? response.json() : response.body;
    contract.assert({ method, path, status: response.statusCode, body: parsed });
    return {
      status: response.statusCode,
      body: parsed as Json,
      headers: response.headers,
      text: response.body,
    };
  }

  const create = (runId: string, body: unknown) =>
    call('POST', `/api/flow_runs/${runId}/input`, '/flow_runs/{id}/input', body);
  const filter = (runId: string, body: unknown) =>
    call('POST', `/api/flow_runs/${runId}/input/filter`, '/flow_runs/{id}/input/filter', body);

  it('stores an input (201 null) and reads its value back as text/plain', async () => {
    const value = JSON.stringify({ approved: true, note: 'ship it' });
    expect(await create(RUN, { key: 'response-1', value, sender: 'ui' })).toMatchObject({
      status: 201,
      body: null,
    });
    const read = await call('GET', `/api/flow_runs/${RUN}/input/response-1`, '/flow_runs/{id}/input/{key}');
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(read.text).toBe(value);
  });

  it('answers 409 for a key the run already has, 404 for an unknown run', async () => {
    await create(RUN, { key: 'dup', value: 'one' });
    expect(await create(RUN, { key: 'dup', value: 'two' })).toEqual(
      expect.objectContaining({
        status: 409,
        body: { detail: 'A flow run input with this key already exists.' },
      }),
    );
    // The same key on another run is fine.
    expect((await create(OTHER_RUN, { key: 'dup', value: 'three' })).status).toBe(201);
    expect(await create(uuid7(), { key: 'dup', value: 'x' })).toEqual(
      expect.objectContaining({ status: 404, body: { detail: 'Flow run not found' } }),
    );
  });

  it.each([
    [{ key: 'Upper', value: 'v' }, ['body', 'key'], 'string_pattern_mismatch'],
    [{ key: 'under_score', value: 'v' }, ['body', 'key'], 'string_pattern_mismatch'],
    [{ value: 'v' }, ['body', 'key'], 'missing'],
    [{ key: 'ok' }, ['body', 'value'], 'missing'],
    [{ key: 'ok', value: 5 }, ['body', 'value'], 'string_type'],
  ])('rejects %j with 422 naming %j', async (body, loc, type) => {
    const response = await create(RUN, body);
    expect(response.status).toBe(422);
    expect(response.body.exception_detail).toEqual(
      expect.arrayContaining([expect.objectContaining({ loc, type })]),
    );
  });

  it('filters by key prefix, oldest first, with limit (default 1) and excluded keys', async () => {
    for (const key of ['pause-a', 'pause-b', 'pause-c', 'other']) {
      await create(OTHER_RUN, { key, value: `value of ${key}`, sender: key === 'pause-b' ? 'me' : null });
    }
    const first = await filter(OTHER_RUN, { prefix: 'pause-' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual([
      {
        id: expect.any(String),
        created: expect.stringMatching(/Z$/),
        updated: expect.stringMatching(/Z$/),
        flow_run_id: OTHER_RUN,
        key: 'pause-a',
        value: 'value of pause-a',
        sender: null,
      },
    ]);
    const rest = await filter(OTHER_RUN, { prefix: 'pause-', limit: 10, exclude_keys: ['pause-a'] });
    expect((rest.body as unknown as Json[]).map((i) => [i.key, i.sender])).toEqual([
      ['pause-b', 'me'],
      ['pause-c', null],
    ]);
    // The prefix is literal: LIKE wildcards in it match nothing.
    expect((await filter(OTHER_RUN, { prefix: '%', limit: 10 })).body).toEqual([]);
    expect((await filter(OTHER_RUN, { prefix: 'pause-', limit: -1 })).status).toBe(422);
    expect((await filter(OTHER_RUN, {})).status).toBe(422);
  });

  it('deletes an input (204), then answers 404 for it', async () => {
    await create(RUN, { key: 'to-delete', value: 'v' });
    const path = '/flow_runs/{id}/input/{key}';
    expect((await call('DELETE', `/api/flow_runs/${RUN}/input/to-delete`, path)).status).toBe(204);
    expect(await call('DELETE', `/api/flow_runs/${RUN}/input/to-delete`, path)).toMatchObject({
      status: 404,
      body: { detail: 'Flow run input not found' },
    });
    expect(await call('GET', `/api/flow_runs/${RUN}/input/to-delete`, path)).toMatchObject({
      status: 404,
      body: { detail: 'Flow run input not found' },
    });
  });
});
