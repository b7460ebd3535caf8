import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ContractValidator, createTestDatabase, startTestApi, type TestDatabase } from '@orrery/testing';

describe('/api/variables on PostgreSQL, against the contract', () => {
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

  /** The data of the lifecycle events written to the outbox for one variable, oldest first. */
  async function eventsOf(id: string): Promise<Array<Record<string, unknown>>> {
    const rows = (await db.dataSource.query(
      `SELECT data FROM outbox WHERE data->'resource'->>'prefect.resource.id' = $1 ORDER BY created, id`,
      [`prefect.variable.${id}`],
    )) as Array<{ data: Record<string, unknown> }>;
    return rows.map((r) => r.data);
  }

  it('creates with 201, any JSON value, and answers 409 on a taken name', async () => {
    const created = await call('POST', '/api/variables/', '/variables/', {
      name: 'my_var-1',
      value: { nested: [1, 'two', null] },
      tags: ['a'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'my_var-1',
      value: { nested: [1, 'two', null] },
      tags: ['a'],
    });
    expect(created.body.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    for (const [i, value] of ['text', 12, 1.5, true, null, [1, 2]].entries()) {
      const name = `value_${i}`;
      const response = await call('POST', '/api/variables', '/variables/', { name, value });
      expect(response).toMatchObject({ status: 201, body: { name, value, tags: [] } });
    }
    const again = await call('POST', '/api/variables/', '/variables/', { name: 'my_var-1', value: 1 });
    expect(again).toEqual({
      status: 409,
      body: { detail: "A variable with the name 'my_var-1' already exists." },
    });
  });

  it('reads by id and by name, and answers 404 "Variable not found."', async () => {
    const { body: variable } = await call('POST', '/api/variables/', '/variables/', {
      name: 'reader',
      value: 'x',
    });
    const id = String(variable.id);
    expect((await call('GET', `/api/variables/${id}`, '/variables/{id}')).body).toEqual(variable);
    expect((await call('GET', '/api/variables/name/reader', '/variables/name/{name}')).body).toEqual(
      variable,
    );
    expect(
      await call('GET', '/api/variables/00000000-0000-4000-8000-000000000000', '/variables/{id}'),
    ).toEqual({
      status: 404,
      body: { detail: 'Variable not found.' },
    });
    expect(await call('GET', '/api/variables/name/nobody', '/variables/name/{name}')).toEqual({
      status: 404,
      body: { detail: 'Variable not found.' },
    });
    expect((await call('GET', '/api/variables/not-a-uuid', '/variables/{id}')).body).toEqual({
      detail: 'Not Found',
    });
  });

  it('updates by id and by name with 204 (only the keys sent), and 404s the unknown', async () => {
    const { body: variable } = await call('POST', '/api/variables/', '/variables/', {
      name: 'mutable',
      value: 'v1',
      tags: ['t'],
    });
    const id = String(variable.id);
    expect((await call('PATCH', `/api/variables/${id}`, '/variables/{id}', { value: { v: 2 } })).status).toBe(
      204,
    );
    const afterValue = (await call('GET', `/api/variables/${id}`, '/variables/{id}')).body;
    expect(afterValue).toMatchObject({ name: 'mutable', value: { v: 2 }, tags: ['t'] });
    expect(Date.parse(String(afterValue.updated))).toBeGreaterThanOrEqual(
      Date.parse(String(variable.updated)),
    );
    expect(
      (
        await call('PATCH', '/api/variables/name/mutable', '/variables/name/{name}', {
          name: 'renamed',
          tags: [],
        })
      ).status,
    ).toBe(204);
    expect((await call('GET', `/api/variables/${id}`, '/variables/{id}')).body).toMatchObject({
      name: 'renamed',
      value: { v: 2 },
      tags: [],
    });
    // An explicit null value is a value.
    expect((await call('PATCH', `/api/variables/${id}`, '/variables/{id}', { value: null })).status).toBe(
      204,
    );
    expect((await call('GET', `/api/variables/${id}`, '/variables/{id}')).body.value).toBeNull();
    expect(
      (await call('PATCH', '/api/variables/name/mutable', '/variables/name/{name}', { value: 1 })).body,
    ).toEqual({ detail: 'Variable not found.' });
    expect(
      (
        await call('PATCH', '/api/variables/00000000-0000-4000-8000-000000000000', '/variables/{id}', {
          value: 1,
        })
      ).status,
    ).toBe(404);
    // Renaming onto a taken name is an integrity conflict, as upstream.
    await call('POST', '/api/variables/', '/variables/', { name: 'taken', value: 1 });
    const clash = await call('PATCH', `/api/variables/${id}`, '/variables/{id}', { name: 'taken' });
    expect(clash.status).toBe(409);
  });

  it('deletes by id and by name with 204, then 404', async () => {
    const { body: one } = await call('POST', '/api/variables/', '/variables/', {
      name: 'gone_by_id',
      value: 1,
    });
    await call('POST', '/api/variables/', '/variables/', { name: 'gone_by_name', value: 2 });
    expect((await call('DELETE', `/api/variables/${String(one.id)}`, '/variables/{id}')).status).toBe(204);
    expect((await call('DELETE', `/api/variables/${String(one.id)}`, '/variables/{id}')).body).toEqual({
      detail: 'Variable not found.',
    });
    expect((await call('DELETE', '/api/variables/name/gone_by_name', '/variables/name/{name}')).status).toBe(
      204,
    );
    expect((await call('DELETE', '/api/variables/name/gone_by_name', '/variables/name/{name}')).status).toBe(
      404,
    );
  });

  it('writes prefect.variable.created/updated/deleted into the outbox with the write', async () => {
    const { body: variable } = await call('POST', '/api/variables/', '/variables/', {
      name: 'evented',
      value: 'hello',
      tags: ['x'],
    });
    const id = String(variable.id);
    await call('PATCH', `/api/variables/${id}`, '/variables/{id}', { value: 'bye' });
    await call('DELETE', `/api/variables/${id}`, '/variables/{id}');
    const events = await eventsOf(id);
    expect(events.map((e) => e.event)).toEqual([
      'prefect.variable.created',
      'prefect.variable.updated',
      'prefect.variable.deleted',
    ]);
    expect(events[0]).toMatchObject({
      resource: { 'prefect.resource.id': `prefect.variable.${id}`, 'prefect.resource.name': 'evented' },
      related: [],
      payload: { name: 'evented', value: 'hello', tags: ['x'] },
    });
    expect(events[1]?.payload).toEqual({ name: 'evented', value: 'bye', tags: ['x'] });
    // A refused create says nothing.
    await call('POST', '/api/variables/', '/variables/', { name: 'taken_twice', value: 1 });
    const before = Number((await db.dataSource.query('SELECT count(*) AS n FROM outbox'))[0].n);
    await call('POST', '/api/variables/', '/variables/', { name: 'taken_twice', value: 1 });
    expect(Number((await db.dataSource.query('SELECT count(*) AS n FROM outbox'))[0].n)).toBe(before);
  });

  it.each([
    ['no name', { value: 1 }, ['body', 'name'], 'missing'],
    ['no value', { name: 'no_value' }, ['body', 'value'], 'missing'],
    ['an upper-case name', { name: 'Upper', value: 1 }, ['body', 'name'], 'value_error'],
    ['a 256-character name', { name: 'a'.repeat(256), value: 1 }, ['body', 'name'], 'value_error'],
    ['a 5002-character value', { name: 'big', value: 'x'.repeat(5000) }, ['body', 'value'], 'value_error'],
    ['null tags', { name: 'ok', value: 1, tags: null }, ['body', 'tags'], 'list_type'],
    ['a non-string tag', { name: 'ok', value: 1, tags: [1] }, ['body', 'tags'], 'string_type'],
  ])('rejects %s with 422 naming the field', async (_label, body, loc, type) => {
    const response = await call('POST', '/api/variables/', '/variables/', body);
    expect(response.status).toBe(422);
    expect(response.body.exception_detail).toEqual(
      expect.arrayContaining([expect.objectContaining({ loc, type })]),
    );
  });

  it("takes a 255-character name and refuses 256 with pydantic's after-validation length message", async () => {
    const longest = 'v'.repeat(255);
    expect((await call('POST', '/api/variables/', '/variables/', { name: longest, value: 1 })).status).toBe(
      201,
    );
    const tooLong = await call('PATCH', `/api/variables/name/${longest}`, '/variables/name/{name}', {
      name: 'v'.repeat(256),
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.exception_detail).toEqual([
      expect.objectContaining({
        loc: ['body', 'name'],
        msg: 'Value should have at most 255 items after validation, not 256',
      }),
    ]);
  });

  it('accepts a value of exactly 5000 serialized characters and rejects one more on update', async () => {
    const fits = 'x'.repeat(4998); // JSON string: two quotes + 4998
    expect((await call('POST', '/api/variables/', '/variables/', { name: 'edge', value: fits })).status).toBe(
      201,
    );
    const tooBig = await call('PATCH', '/api/variables/name/edge', '/variables/name/{name}', {
      value: `${fits}y`,
    });
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.exception_detail).toEqual([
      expect.objectContaining({
        loc: ['body', 'value'],
        msg: 'Value error, Variable value must be less than 5000 characters',
      }),
    ]);
  });

  describe('listing', () => {
    beforeAll(async () => {
      for (const [name, tags] of [
        ['list_b', ['prod', 'etl']],
        ['list_a', ['prod']],
        ['list_c', []],
      ] as const) {
        await call('POST', '/api/variables/', '/variables/', { name, value: name, tags });
      }
    });

    const names = (body: unknown) => (body as Array<{ name: string }>).map((v) => v.name);

    it('sorts by NAME_ASC by default and by the other sorts on request', async () => {
      const byDefault = await call('POST', '/api/variables/filter', '/variables/filter', {
        variables: { name: { like_: 'list_' } },
      });
      expect(names(byDefault.body)).toEqual(['list_a', 'list_b', 'list_c']);
      const desc = await call('POST', '/api/variables/filter', '/variables/filter', {
        variables: { name: { like_: 'list_' } },
        sort: 'NAME_DESC',
      });
      expect(names(desc.body)).toEqual(['list_c', 'list_b', 'list_a']);
      const newest = await call('POST', '/api/variables/filter', '/variables/filter', {
        variables: { name: { like_: 'list_' } },
        sort: 'CREATED_DESC',
      });
      expect(names(newest.body)).toEqual(['list_c', 'list_a', 'list_b']);
      const bad = await call('POST', '/api/variables/filter', '/variables/filter', { sort: 'NOPE' });
      expect(bad.status).toBe(422);
    });

    it('filters by name, id and tags, pages, and counts', async () => {
      const prod = await call('POST', '/api/variables/filter', '/variables/filter', {
        variables: { tags: { all_: ['prod'] } },
      });
      expect(names(prod.body)).toEqual(['list_a', 'list_b']);
      const untagged = await call('POST', '/api/variables/filter', '/variables/filter', {
        variables: { name: { any_: ['list_a', 'list_c'] }, tags: { is_null_: true } },
      });
      expect(names(untagged.body)).toEqual(['list_c']);
      const page = await call('POST', '/api/variables/filter', '/variables/filter', {
        variables: { name: { like_: 'list_' } },
        limit: 1,
        offset: 1,
      });
      expect(names(page.body)).toEqual(['list_b']);
      const b = (page.body as unknown as Array<{ id: string }>)[0]!.id;
      const byId = await call('POST', '/api/variables/filter', '/variables/filter', {
        variables: { id: { any_: [b] } },
      });
      expect(names(byId.body)).toEqual(['list_b']);
      expect(
        (
          await call('POST', '/api/variables/count', '/variables/count', {
            variables: { name: { like_: 'list_' } },
          })
        ).body,
      ).toBe(3);
      expect(
        (
          await call('POST', '/api/variables/count', '/variables/count', {
            variables: { operator: 'or_', name: { any_: ['list_c'] }, tags: { all_: ['etl'] } },
          })
        ).body,
      ).toBe(2);
    });

    it('rejects an unknown filter key and a limit over 200', async () => {
      const unknown = await call('POST', '/api/variables/filter', '/variables/filter', {
        variables: { nme: {} },
      });
      expect(unknown.status).toBe(422);
      expect(unknown.body.exception_detail).toEqual([
        expect.objectContaining({ type: 'extra_forbidden', loc: ['body', 'variables', 'nme'] }),
      ]);
      expect(await call('POST', '/api/variables/filter', '/variables/filter', { limit: 201 })).toEqual({
        status: 422,
        body: { detail: 'Invalid limit: must be less than or equal to 200.' },
      });
    });
  });
});
