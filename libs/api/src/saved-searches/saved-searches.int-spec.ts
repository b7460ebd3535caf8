import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  ContractValidator,
  createTestDatabase,
  startTestApi,
  type TestDatabase,
  contractCall,
} from '@orrery/testing';

type Json = Record<string, unknown>;

describe('/api/saved_searches on PostgreSQL, against the contract', () => {
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

  const put = (body: unknown) => call('PUT', '/api/saved_searches/', '/saved_searches/', body);
  const filter = { object: 'flow_run', property: 'state', type: 'state', operation: 'or', value: ['Failed'] };

  it('creates with 201, replaces the filters of the same name with 200 and keeps its id', async () => {
    const first = await put({ name: 'failures', filters: [filter] });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: 'failures', filters: [filter] });
    expect(first.body.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const replaced = await put({ name: 'failures', filters: [{ ...filter, value: null }] });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: first.body.id, created: first.body.created, name: 'failures' });
    expect(replaced.body.filters).toEqual([{ ...filter, value: null }]);
    // Without filters, and without the trailing slash.
    const bare = await call('PUT', '/api/saved_searches', '/saved_searches/', { name: 'empty' });
    expect(bare).toMatchObject({ status: 201, body: { name: 'empty', filters: [] } });
  });

  it('reads and deletes by id; 404 "Saved search not found"', async () => {
    const { body: search } = await put({ name: 'to-delete', filters: [] });
    const url = `/api/saved_searches/${String(search.id)}`;
    expect((await call('GET', url, '/saved_searches/{id}')).body).toEqual(search);
    expect((await call('DELETE', url, '/saved_searches/{id}')).status).toBe(204);
    expect(await call('GET', url, '/saved_searches/{id}')).toEqual({
      status: 404,
      body: { detail: 'Saved search not found' },
    });
    expect(await call('DELETE', url, '/saved_searches/{id}')).toEqual({
      status: 404,
      body: { detail: 'Saved search not found' },
    });
    expect((await call('GET', '/api/saved_searches/not-a-uuid', '/saved_searches/{id}')).body).toEqual({
      detail: 'Not Found',
    });
  });

  it.each([
    ['no name', { filters: [] }, ['body', 'name'], 'missing'],
    ['filters that are not a list', { name: 'x', filters: {} }, ['body', 'filters'], 'list_type'],
    [
      'a filter without value',
      { name: 'x', filters: [{ ...filter, value: undefined }] },
      ['body', 'filters', 0, 'value'],
      'missing',
    ],
    [
      'a filter with a numeric object',
      { name: 'x', filters: [{ ...filter, object: 1 }] },
      ['body', 'filters', 0, 'object'],
      'string_type',
    ],
  ])('rejects %s with 422 naming the field', async (_label, body, loc, type) => {
    const response = await put(body);
    expect(response.status).toBe(422);
    expect(response.body.exception_detail).toEqual(
      expect.arrayContaining([expect.objectContaining({ loc, type })]),
    );
  });

  it('lists by name, paged by limit and offset', async () => {
    for (const name of ['list-c', 'list-a', 'list-b']) await put({ name, filters: [] });
    const names = (body: unknown) => (body as Json[]).map((s) => s.name);
    const all = await call('POST', '/api/saved_searches/filter', '/saved_searches/filter', {});
    expect(names(all.body)).toEqual(['empty', 'failures', 'list-a', 'list-b', 'list-c']);
    const page = await call('POST', '/api/saved_searches/filter', '/saved_searches/filter', {
      limit: 2,
      offset: 2,
    });
    expect(names(page.body)).toEqual(['list-a', 'list-b']);
    expect(
      (await call('POST', '/api/saved_searches/filter', '/saved_searches/filter', { offset: -1 })).status,
    ).toBe(422);
    expect(
      await call('POST', '/api/saved_searches/filter', '/saved_searches/filter', { limit: 201 }),
    ).toEqual({
      status: 422,
      body: { detail: 'Invalid limit: must be less than or equal to 200.' },
    });
  });
});
