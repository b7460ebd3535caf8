import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ContractValidator, contractCall, startTestApiOn } from '@orrery/testing';

type Json = Record<string, unknown>;

/*
 * The embedded server runs on PGlite: the statements of variables, artifacts and saved searches
 * that go beyond the filter compiler (upserts telling insert from update by xmax, UPDATE/DELETE
 * inside CTEs, the collection repoint) must work there too.
 */
describe('variables, artifacts and saved searches on PGlite', () => {
  const contract = new ContractValidator();
  let drop: () => Promise<void>;
  let app: NestFastifyApplication;
  beforeAll(async () => {
    ({ app, drop } = await startTestApiOn('pglite'));
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await drop();
  });

  const call = contractCall(() => app, contract);

  it('creates, renames, filters and deletes a variable', async () => {
    const created = await call('POST', '/api/variables/', '/variables/', { name: 'lite', value: [1] });
    expect(created.status).toBe(201);
    expect((await call('POST', '/api/variables/', '/variables/', { name: 'lite', value: 2 })).status).toBe(
      409,
    );
    expect(
      (await call('PATCH', '/api/variables/name/lite', '/variables/name/{name}', { name: 'lite2' })).status,
    ).toBe(204);
    const listed = await call('POST', '/api/variables/filter', '/variables/filter', {
      variables: { name: { like_: 'lite' } },
    });
    expect((listed.body as unknown as Json[]).map((v) => [v.name, v.value])).toEqual([['lite2', [1]]]);
    expect(
      (await call('DELETE', `/api/variables/${String(created.body.id)}`, '/variables/{id}')).status,
    ).toBe(204);
    expect((await call('GET', '/api/variables/name/lite2', '/variables/name/{name}')).status).toBe(404);
  });

  it('upserts, patches and repoints an artifact collection', async () => {
    const post = async (body: Json) => (await call('POST', '/api/artifacts/', '/artifacts/', body)).body;
    const latest = async () =>
      (await call('GET', '/api/artifacts/lite-key/latest', '/artifacts/{key}/latest')).body;
    const a1 = await post({ key: 'lite-key', data: 'one' });
    const a2 = await post({ key: 'lite-key', data: 'two' });
    expect(await latest()).toMatchObject({ data: 'two' });
    expect(
      (await call('PATCH', `/api/artifacts/${String(a2.id)}`, '/artifacts/{id}', { description: 'edited' }))
        .status,
    ).toBe(204);
    expect(await latest()).toMatchObject({ data: 'two', description: 'edited' });
    expect((await call('DELETE', `/api/artifacts/${String(a2.id)}`, '/artifacts/{id}')).status).toBe(204);
    expect(await latest()).toMatchObject({ data: 'one', created: a1.created });
    const collections = await call('POST', '/api/artifacts/latest/filter', '/artifacts/latest/filter', {});
    expect((collections.body as unknown as Json[]).map((c) => [c.key, c.latest_id])).toEqual([
      ['lite-key', a1.id],
    ]);
    expect((await call('DELETE', `/api/artifacts/${String(a1.id)}`, '/artifacts/{id}')).status).toBe(204);
    expect((await call('POST', '/api/artifacts/latest/count', '/artifacts/latest/count', {})).body).toBe(0);
  });

  it('tells a new saved search (201) from a replaced one (200)', async () => {
    const put = (filters: unknown[]) =>
      call('PUT', '/api/saved_searches/', '/saved_searches/', { name: 'lite', filters });
    expect((await put([])).status).toBe(201);
    const replaced = await put([
      { object: 'flow', property: 'name', type: 'string', operation: 'eq', value: 'x' },
    ]);
    expect(replaced.status).toBe(200);
    expect((replaced.body.filters as unknown[]).length).toBe(1);
    expect(
      (await call('DELETE', `/api/saved_searches/${String(replaced.body.id)}`, '/saved_searches/{id}'))
        .status,
    ).toBe(204);
  });
});
