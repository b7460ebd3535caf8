import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ContractValidator, contractCall, startTestApiOn } from '@orrery/testing';

type Json = Record<string, unknown>;

/*
 * The embedded server runs on PGlite (one connection): registration on start (upserts telling
 * insert from update by xmax), the recursive reference reads and the document writes, which read
 * and write inside one transaction, must work there too.
 */
describe('blocks on PGlite', () => {
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

  async function typeAndSchema(slug: string): Promise<{ type: Json; schema: Json }> {
    const { body: type } = await call('GET', `/api/block_types/slug/${slug}`, '/block_types/slug/{slug}');
    const { body: schemas } = await call('POST', '/api/block_schemas/filter', '/block_schemas/filter', {
      block_schemas: { block_type_id: { any_: [type.id] } },
      limit: 1,
    });
    return { type, schema: (schemas as unknown as Json[])[0]! };
  }

  it('registers the catalogue on start', async () => {
    const { body: types } = await call('POST', '/api/block_types/filter', '/block_types/filter', {});
    expect(types).toHaveLength(54);
    const { body: schemas } = await call('POST', '/api/block_schemas/filter', '/block_schemas/filter', {});
    expect(schemas).toHaveLength(64);
  });

  it('stores, nests, masks, patches and deletes block documents', async () => {
    const aws = await typeAndSchema('aws-credentials');
    const s3 = await typeAndSchema('s3-bucket');
    const { body: credentials } = await call('POST', '/api/block_documents/', '/block_documents/', {
      name: 'creds',
      data: { aws_access_key_id: 'AKIA', aws_secret_access_key: 'pglite-secret' },
      block_schema_id: aws.schema.id,
      block_type_id: aws.type.id,
    });
    const { status, body: bucket } = await call('POST', '/api/block_documents/', '/block_documents/', {
      name: 'bucket',
      data: { bucket_name: 'b', credentials: { $ref: { block_document_id: credentials.id } } },
      block_schema_id: s3.schema.id,
      block_type_id: s3.type.id,
    });
    expect(status).toBe(201);
    expect((bucket.data as Json).credentials).toEqual({
      aws_access_key_id: 'AKIA',
      aws_secret_access_key: '********',
    });
    const url = `/api/block_documents/${String(credentials.id)}`;
    expect(
      (
        await call('PATCH', url, '/block_documents/{id}', {
          data: { aws_secret_access_key: '********', region_name: 'x' },
        })
      ).status,
    ).toBe(204);
    const { body: read } = await call('GET', `${url}?include_secrets=true`, '/block_documents/{id}');
    expect(read.data).toEqual({
      aws_access_key_id: 'AKIA',
      aws_secret_access_key: 'pglite-secret',
      region_name: 'x',
    });
    const load = await call(
      'GET',
      '/api/block_types/slug/s3-bucket/block_documents/name/bucket?include_secrets=true',
      '/block_types/slug/{slug}/block_documents/name/{block_document_name}',
    );
    expect(((load.body.data as Json).credentials as Json).aws_secret_access_key).toBe('pglite-secret');
    expect((await call('DELETE', url, '/block_documents/{id}')).status).toBe(204);
  });
});
