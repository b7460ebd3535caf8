import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ContractValidator, createTestDatabase, startTestApi, type TestDatabase } from '@orrery/testing';

describe('/api/flows on PostgreSQL, against the contract', () => {
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
    const parsed: unknown = response.body === '' ? null : response.json();
    contract.assert({ method, path, status: response.statusCode, body: parsed });
    return { status: response.statusCode, body: parsed as Record<string, unknown> };
  }

  it('creates a flow with 201, then returns the same flow untouched with 200', async () => {
    const first = await call('POST', '/api/flows/', '/flows/', {
      name: 'etl',
      tags: ['a'],
      labels: { team: 'data', n: 1 },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: 'etl', tags: ['a'], labels: { team: 'data', n: 1 } });
    expect(first.body.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const again = await call('POST', '/api/flows/', '/flows/', { name: 'etl', tags: ['other'] });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // The SDK also posts without the trailing slash.
    expect((await call('POST', '/api/flows', '/flows/', { name: 'etl' })).status).toBe(200);
  });

  it('reads by id and by name, and answers 404 "Flow not found"', async () => {
    const { body: flow } = await call('POST', '/api/flows/', '/flows/', { name: 'reader' });
    expect((await call('GET', `/api/flows/${String(flow.id)}`, '/flows/{id}')).body).toEqual(flow);
    expect((await call('GET', '/api/flows/name/reader', '/flows/name/{name}')).body).toEqual(flow);
    const missing = await call('GET', '/api/flows/00000000-0000-4000-8000-000000000000', '/flows/{id}');
    expect(missing).toEqual({ status: 404, body: { detail: 'Flow not found' } });
    expect((await call('GET', '/api/flows/name/nobody', '/flows/name/{name}')).status).toBe(404);
    // A non-UUID id does not match the route at all.
    expect((await call('GET', '/api/flows/not-a-uuid', '/flows/{id}')).body).toEqual({ detail: 'Not Found' });
  });

  it('reads by id in every form the {id:uuid} route matches: any case, hyphens or not', async () => {
    const { body: flow } = await call('POST', '/api/flows/', '/flows/', { name: 'any-form' });
    const id = String(flow.id);
    for (const form of [id.toUpperCase(), id.replace(/-/g, ''), id.replace(/-/g, '').toUpperCase()]) {
      expect(await call('GET', `/api/flows/${form}`, '/flows/{id}')).toEqual({ status: 200, body: flow });
    }
    // Braces and the URN prefix are UUID forms for pydantic, but the route convertor does not match them.
    expect((await call('GET', `/api/flows/%7B${id}%7D`, '/flows/{id}')).status).toBe(404);
    expect((await call('GET', `/api/flows/urn:uuid:${id}`, '/flows/{id}')).status).toBe(404);
  });

  it('updates tags with 204 and deletes with 204', async () => {
    const { body: flow } = await call('POST', '/api/flows/', '/flows/', { name: 'mutable' });
    expect(
      (await call('PATCH', `/api/flows/${String(flow.id)}`, '/flows/{id}', { tags: ['x', 'y'] })).status,
    ).toBe(204);
    expect((await call('GET', `/api/flows/${String(flow.id)}`, '/flows/{id}')).body.tags).toEqual(['x', 'y']);
    expect((await call('DELETE', `/api/flows/${String(flow.id)}`, '/flows/{id}')).status).toBe(204);
    expect((await call('DELETE', `/api/flows/${String(flow.id)}`, '/flows/{id}')).status).toBe(404);
    expect((await call('PATCH', `/api/flows/${String(flow.id)}`, '/flows/{id}', { tags: [] })).status).toBe(
      404,
    );
  });

  it.each([
    [{}, ['body', 'name'], 'missing'],
    [{ name: 'a/b' }, ['body', 'name'], 'string_pattern_mismatch'],
    [{ name: 'ok', tags: null }, ['body', 'tags'], 'list_type'],
    [{ name: 'ok', labels: { nested: { no: 1 } } }, ['body', 'labels'], 'dict_type'],
  ])('rejects %j with 422 naming %j', async (body, loc, type) => {
    const response = await call('POST', '/api/flows/', '/flows/', body);
    expect(response.status).toBe(422);
    expect(response.body.exception_detail).toEqual(
      expect.arrayContaining([expect.objectContaining({ loc, type })]),
    );
  });

  describe('listing', () => {
    beforeAll(async () => {
      for (const [name, tags] of [
        ['list-a', ['prod', 'etl']],
        ['list-b', ['prod']],
        ['list-c', []],
      ] as const) {
        await call('POST', '/api/flows/', '/flows/', { name, tags });
      }
    });

    it('filters by name and tags, sorts and pages', async () => {
      const prod = await call('POST', '/api/flows/filter', '/flows/filter', {
        flows: { name: { like_: 'list-' }, tags: { all_: ['prod'] } },
        sort: 'NAME_DESC',
      });
      expect((prod.body as unknown as { name: string }[]).map((f) => f.name)).toEqual(['list-b', 'list-a']);
      const count = await call('POST', '/api/flows/count', '/flows/count', {
        flows: { name: { like_: 'list-' } },
      });
      expect(count.body).toBe(3);
      const page = await call('POST', '/api/flows/paginate', '/flows/paginate', {
        flows: { name: { like_: 'list-' } },
        limit: 2,
        page: 2,
      });
      expect(page.body).toMatchObject({ count: 3, limit: 2, pages: 2, page: 2 });
      expect((page.body.results as { name: string }[]).map((f) => f.name)).toEqual(['list-c']);
    });

    it('rejects an unknown key inside a filter and a limit over 200', async () => {
      const unknown = await call('POST', '/api/flows/filter', '/flows/filter', { flows: { nme: {} } });
      expect(unknown.status).toBe(422);
      expect(unknown.body.exception_detail).toEqual([
        expect.objectContaining({ type: 'extra_forbidden', loc: ['body', 'flows', 'nme'] }),
      ]);
      const tooMany = await call('POST', '/api/flows/filter', '/flows/filter', { limit: 201 });
      expect(tooMany).toEqual({
        status: 422,
        body: { detail: 'Invalid limit: must be less than or equal to 200.' },
      });
    });

    it('bulk-deletes matching flows up to the limit', async () => {
      const result = await call('POST', '/api/flows/bulk_delete', '/flows/bulk_delete', {
        flows: { tags: { all_: ['prod'] } },
        limit: 1,
      });
      expect((result.body.deleted as string[]).length).toBe(1);
      expect(
        (await call('POST', '/api/flows/count', '/flows/count', { flows: { tags: { all_: ['prod'] } } }))
          .body,
      ).toBe(1);
    });
  });
});
