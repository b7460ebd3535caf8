import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  BLOCK_ENCRYPTION_KEY_NAME,
  blockSchemaChecksum,
  BlockRegistrationService,
  BUILT_IN_BLOCKS,
} from '@orrery/blocks';
import {
  ContractValidator,
  contractDirectory,
  createTestDatabase,
  lazy,
  startTestApi,
  type TestDatabase,
} from '@orrery/testing';

type Json = Record<string, unknown>;

const core = lazy(
  () =>
    JSON.parse(readFileSync(join(contractDirectory(), 'core-blocks.json'), 'utf8')) as {
      block_types: { slug: string }[];
      block_schemas: { checksum: string; version: string }[];
    },
);

describe('/api/block_types, /block_schemas, /block_documents on PostgreSQL, against the contract', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  /**
   * Calls the API and checks the response against the contract. POST /block_schemas/ declares
   * only 201, yet Prefect answers 200 at run time for an existing schema (same model); such a
   * body is checked as the declared status.
   */
  async function call(method: string, url: string, path: string, body?: unknown, contractStatus?: number) {
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
    contract.assert({ method, path, status: contractStatus ?? response.statusCode, body: parsed });
    return { status: response.statusCode, body: parsed as Json };
  }

  /** The lifecycle events written to the outbox for one block document (or type), oldest first. */
  async function eventsOf(id: unknown, kind = 'block-document'): Promise<Json[]> {
    const rows = (await db.dataSource.query(
      `SELECT data FROM outbox WHERE data->'resource'->>'prefect.resource.id' = $1 ORDER BY created, id`,
      [`prefect.${kind}.${String(id)}`],
    )) as { data: Json }[];
    return rows.map((r) => r.data);
  }

  async function list(url: string, path: string, body: unknown = {}): Promise<Json[]> {
    const { status, body: result } = await call('POST', url, path, body);
    expect(status).toBe(200);
    return result as unknown as Json[];
  }

  async function typeAndSchema(slug: string): Promise<{ type: Json; schema: Json }> {
    const { body: type } = await call('GET', `/api/block_types/slug/${slug}`, '/block_types/slug/{slug}');
    const [schema] = await list('/api/block_schemas/filter', '/block_schemas/filter', {
      block_schemas: { block_type_id: { any_: [type.id] } },
      limit: 1,
    });
    return { type, schema: schema! };
  }

  describe('registration on start', () => {
    it('registers the 54 block types and 64 schemas of a fresh Prefect server', async () => {
      const types = await list('/api/block_types/filter', '/block_types/filter', { limit: 200 });
      expect(types.map((t) => t.slug).sort()).toEqual(core.block_types.map((t) => t.slug).sort());
      const schemas = await list('/api/block_schemas/filter', '/block_schemas/filter', { limit: 200 });
      expect(schemas.map((s) => `${String(s.checksum)}@${String(s.version)}`).sort()).toEqual(
        core.block_schemas.map((s) => `${s.checksum}@${s.version}`).sort(),
      );
      for (const slug of ['secret', 'webhook', 'custom-webhook', 'slack-webhook', 'local-file-system'])
        expect(types.some((t) => t.slug === slug)).toBe(true);
      expect(
        types
          .filter((t) => t.is_protected)
          .map((t) => t.slug)
          .sort(),
      ).toEqual(['local-file-system', 'secret', 'webhook']);
    });

    it("answers a type's newest schema first, in Prefect's registration order", async () => {
      const contractTypes = JSON.parse(
        readFileSync(join(contractDirectory(), 'core-blocks.json'), 'utf8'),
      ) as {
        block_types: { id: string; slug: string }[];
        block_schemas: { block_type_id: string; checksum: string; version: string; created: string }[];
      };
      const slugOf = new Map(contractTypes.block_types.map((t) => [t.id, t.slug]));
      const newest = new Map<string, string>();
      for (const schema of [...contractTypes.block_schemas].sort((a, b) =>
        a.created.localeCompare(b.created),
      ))
        newest.set(slugOf.get(schema.block_type_id)!, `${schema.checksum}@${schema.version}`);
      for (const [slug, expected] of newest) {
        const { schema } = await typeAndSchema(slug);
        expect({ slug, schema: `${String(schema.checksum)}@${String(schema.version)}` }).toEqual({
          slug,
          schema: expected,
        });
      }
    });

    it('is idempotent and race-safe when replicas register at once', async () => {
      const registration = app.get(BlockRegistrationService);
      const { body: before } = await call('GET', '/api/block_types/slug/secret', '/block_types/slug/{slug}');
      await Promise.all([registration.register(BUILT_IN_BLOCKS), registration.register(BUILT_IN_BLOCKS)]);
      const sql = db.dataSource;
      const [counts] = (await sql.query(
        `SELECT (SELECT count(*) FROM block_type)::int AS types, (SELECT count(*) FROM block_schema)::int AS schemas`,
      )) as { types: number; schemas: number }[];
      expect(counts).toEqual({ types: 54, schemas: 64 });
      // Nothing differed, so nothing was written.
      const { body: after } = await call('GET', '/api/block_types/slug/secret', '/block_types/slug/{slug}');
      expect(after.updated).toBe(before.updated);
      // Only the first registration said anything.
      expect((await eventsOf(after.id, 'block-type')).map((e) => e.event)).toEqual([
        'prefect.block-type.created',
      ]);
      expect(
        (
          await call(
            'POST',
            '/api/block_types/install_system_block_types',
            '/block_types/install_system_block_types',
          )
        ).status,
      ).toBe(200);
    });

    it('links schemas to the schemas their block_schema_references name', async () => {
      const [row] = (await db.dataSource.query(
        `SELECT count(*)::int AS n FROM block_schema_reference r
           JOIN block_schema p ON p.id = r.parent_block_schema_id
           JOIN block_type t ON t.id = p.block_type_id WHERE t.slug = 's3-bucket'`,
      )) as { n: number }[];
      expect(row!.n).toBeGreaterThan(0);
    });

    it('answers GET /block_capabilities/ with every declared capability', async () => {
      const { status, body } = await call('GET', '/api/block_capabilities/', '/block_capabilities/');
      expect(status).toBe(200);
      expect(body).toEqual(expect.arrayContaining(['notify', 'write-path', 'read-path', 'get-directory']));
    });
  });

  describe('block types', () => {
    it('creates with 201, refuses a taken slug (409) and "Prefect…" names (403)', async () => {
      const created = await call('POST', '/api/block_types/', '/block_types/', {
        name: 'My Block',
        slug: 'my-block',
        description: 'a <b> & c',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        slug: 'my-block',
        is_protected: false,
        description: 'a &lt;b&gt; &amp; c',
      });
      const again = await call('POST', '/api/block_types/', '/block_types/', {
        name: 'Other',
        slug: 'my-block',
      });
      expect(again).toEqual({ status: 409, body: { detail: 'Block type with name "Other" already exists' } });
      const reserved = await call('POST', '/api/block_types/', '/block_types/', {
        name: 'prefect thing',
        slug: 'p',
      });
      expect(reserved.status).toBe(403);
      expect(
        (await call('POST', '/api/block_types/', '/block_types/', { name: 'x', slug: 'Bad Slug' })).status,
      ).toBe(422);
      expect(
        (await call('GET', `/api/block_types/${String(created.body.id)}`, '/block_types/{id}')).body,
      ).toEqual(created.body);
      const missing = await call(
        'GET',
        '/api/block_types/00000000-0000-4000-8000-000000000000',
        '/block_types/{id}',
      );
      expect(missing).toEqual({ status: 404, body: { detail: 'Block type not found' } });
    });

    it('PATCH writes only when a field differs', async () => {
      const { body: type } = await call('POST', '/api/block_types/', '/block_types/', {
        name: 'Patched',
        slug: 'patched',
        logo_url: 'a',
      });
      const url = `/api/block_types/${String(type.id)}`;
      expect((await call('PATCH', url, '/block_types/{id}', { logo_url: 'a' })).status).toBe(204);
      expect((await call('GET', url, '/block_types/{id}')).body.updated).toBe(type.updated);
      expect((await call('PATCH', url, '/block_types/{id}', { logo_url: 'b' })).status).toBe(204);
      const { body: changed } = await call('GET', url, '/block_types/{id}');
      expect(changed.logo_url).toBe('b');
      expect(changed.updated).not.toBe(type.updated);
      const events = await eventsOf(type.id, 'block-type');
      expect(events.map((e) => e.event)).toEqual([
        'prefect.block-type.created',
        'prefect.block-type.updated',
      ]);
      expect(events[1]).toMatchObject({
        resource: {
          'prefect.resource.id': `prefect.block-type.${String(type.id)}`,
          'prefect.resource.name': 'Patched',
        },
        payload: { name: 'Patched', slug: 'patched', logo_url: 'b', is_protected: false },
      });
      expect(
        (
          await call(
            'PATCH',
            '/api/block_types/00000000-0000-4000-8000-000000000000',
            '/block_types/{id}',
            {},
          )
        ).status,
      ).toBe(404);
    });

    it('refuses to delete protected types (403) and deletes others', async () => {
      const { type: secret } = await typeAndSchema('secret');
      const refused = await call('DELETE', `/api/block_types/${String(secret.id)}`, '/block_types/{id}');
      expect(refused).toEqual({ status: 403, body: { detail: 'protected block types cannot be deleted.' } });
      const { body: doomed } = await call('POST', '/api/block_types/', '/block_types/', {
        name: 'Doomed',
        slug: 'doomed',
      });
      expect(
        (await call('DELETE', `/api/block_types/${String(doomed.id)}`, '/block_types/{id}')).status,
      ).toBe(204);
      expect((await call('GET', `/api/block_types/${String(doomed.id)}`, '/block_types/{id}')).status).toBe(
        404,
      );
    });

    it('filters by name and by their schemas’ capabilities', async () => {
      const notify = await list('/api/block_types/filter', '/block_types/filter', {
        block_schemas: { block_capabilities: { all_: ['notify'] } },
      });
      expect(notify.map((t) => t.slug)).toEqual(expect.arrayContaining(['slack-webhook', 'custom-webhook']));
      expect(notify.map((t) => t.slug)).not.toContain('secret');
      const named = await list('/api/block_types/filter', '/block_types/filter', {
        block_types: { name: { like_: 'webhook' } },
      });
      expect(named.every((t) => String(t.name).toLowerCase().includes('webhook'))).toBe(true);
    });
  });

  describe('block schemas', () => {
    it('creates with 201 and the SDK checksum, answers 200 with the same schema again, 404 for an unknown type', async () => {
      const { body: type } = await call('POST', '/api/block_types/', '/block_types/', {
        name: 'Schema Owner',
        slug: 'schema-owner',
      });
      const fields = {
        title: 'SchemaOwner',
        type: 'object',
        properties: { token: { title: 'Token', type: 'string', format: 'password', writeOnly: true } },
        block_type_slug: 'schema-owner',
        secret_fields: ['token'],
        block_schema_references: {},
      };
      const body = { fields, block_type_id: type.id, capabilities: ['do-things'], version: '1.0' };
      const first = await call('POST', '/api/block_schemas/', '/block_schemas/', body);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        checksum: blockSchemaChecksum(fields),
        fields,
        version: '1.0',
        block_type: type,
      });
      const again = await call('POST', '/api/block_schemas/', '/block_schemas/', body, 201);
      expect(again).toEqual({ status: 200, body: first.body });
      const checksum = encodeURIComponent(String(first.body.checksum));
      expect(
        (await call('GET', `/api/block_schemas/checksum/${checksum}`, '/block_schemas/checksum/{checksum}'))
          .body,
      ).toEqual(first.body);
      expect(
        (
          await call(
            'GET',
            `/api/block_schemas/checksum/${checksum}?version=2.0`,
            '/block_schemas/checksum/{checksum}',
          )
        ).status,
      ).toBe(404);
      expect(
        (await call('GET', `/api/block_schemas/${String(first.body.id)}`, '/block_schemas/{id}')).body,
      ).toEqual(first.body);
      const orphan = await call('POST', '/api/block_schemas/', '/block_schemas/', {
        ...body,
        block_type_id: '00000000-0000-4000-8000-000000000000',
      });
      expect(orphan.status).toBe(404);
      expect(
        (await call('DELETE', `/api/block_schemas/${String(first.body.id)}`, '/block_schemas/{id}')).status,
      ).toBe(204);
    });

    it('creates a nested block schema the parent names but nobody registered, and 409s an unknown nested type', async () => {
      await call('POST', '/api/block_types/', '/block_types/', { name: 'Child Block', slug: 'child-block' });
      const { body: parentType } = await call('POST', '/api/block_types/', '/block_types/', {
        name: 'Parent Block',
        slug: 'parent-block',
      });
      const child = {
        title: 'ChildBlock',
        type: 'object',
        properties: { token: { title: 'Token', type: 'string' } },
        block_type_slug: 'child-block',
        secret_fields: [],
        block_schema_references: {},
      };
      const childChecksum = blockSchemaChecksum(child);
      const parent = (slug: string) => ({
        title: 'ParentBlock',
        type: 'object',
        properties: { child: { $ref: '#/definitions/ChildBlock' } },
        block_type_slug: 'parent-block',
        secret_fields: [],
        block_schema_references: { child: { block_type_slug: slug, block_schema_checksum: childChecksum } },
        definitions: { ChildBlock: { ...child, block_type_slug: slug } },
      });
      const created = await call('POST', '/api/block_schemas/', '/block_schemas/', {
        fields: parent('child-block'),
        block_type_id: parentType.id,
      });
      expect(created.status).toBe(201);
      const nested = await call(
        'GET',
        `/api/block_schemas/checksum/${encodeURIComponent(childChecksum)}`,
        '/block_schemas/checksum/{checksum}',
      );
      expect(nested.body).toMatchObject({ version: 'non-versioned', capabilities: [], fields: child });
      expect((nested.body.block_type as Json).slug).toBe('child-block');
      const [link] = (await db.dataSource.query(
        `SELECT name, reference_block_schema_id FROM block_schema_reference WHERE parent_block_schema_id = $1`,
        [created.body.id],
      )) as { name: string; reference_block_schema_id: string }[];
      expect(link).toEqual({ name: 'child', reference_block_schema_id: nested.body.id });

      const unknown = await call('POST', '/api/block_schemas/', '/block_schemas/', {
        fields: parent('no-such-type'),
        block_type_id: parentType.id,
      });
      expect(unknown).toEqual({
        status: 409,
        body: {
          detail:
            "Cannot create block schema because block type 'no-such-type' was not found.Did you forget to register the block type?",
        },
      });
    });

    it('finds a built-in schema by the checksum the SDK computes, and protects it from deletion', async () => {
      const { schema } = await typeAndSchema('secret');
      const url = `/api/block_schemas/checksum/${encodeURIComponent(String(schema.checksum))}`;
      expect((await call('GET', url, '/block_schemas/checksum/{checksum}')).body).toEqual(schema);
      const refused = await call('DELETE', `/api/block_schemas/${String(schema.id)}`, '/block_schemas/{id}');
      expect(refused.status).toBe(403);
    });
  });

  describe('block documents', () => {
    it('masks every data value in the body a 422 echoes (upstream echoes secrets in clear)', async () => {
      const { type } = await typeAndSchema('secret');
      const sent = {
        name: 'echo-test',
        data: { value: 'echo-secret-5e2a', nested: { token: 'tok-77' } },
        block_type_id: type.id,
      };
      const created = await call('POST', '/api/block_documents/', '/block_documents/', sent);
      expect(created.status).toBe(422);
      expect(JSON.stringify(created.body)).not.toMatch(/echo-secret-5e2a|tok-77/);
      expect(created.body.request_body).toEqual({
        ...sent,
        data: { value: '********', nested: { token: '********' } },
      });
      const patched = await call(
        'PATCH',
        `/api/block_documents/${type.id as string}`,
        '/block_documents/{id}',
        {
          data: { value: 'echo-secret-5e2a' },
          merge_existing_data: 'not-a-boolean',
        },
      );
      expect(patched.status).toBe(422);
      expect(JSON.stringify(patched.body)).not.toContain('echo-secret-5e2a');
    });

    it('stores a Secret block encrypted, reads it masked, and in clear only with include_secrets', async () => {
      const { type, schema } = await typeAndSchema('secret');
      const secret = 'hunter2-do-not-leak';
      const created = await call('POST', '/api/block_documents/', '/block_documents/', {
        name: 'my-secret',
        data: { value: secret },
        block_schema_id: schema.id,
        block_type_id: type.id,
        is_anonymous: false,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'my-secret',
        data: { value: '********' },
        block_type_name: 'Secret',
        block_schema: schema,
        block_type: type,
        block_document_references: {},
        is_anonymous: false,
      });

      // What Block.load calls.
      const loadUrl = '/api/block_types/slug/secret/block_documents/name/my-secret';
      const loadPath = '/block_types/slug/{slug}/block_documents/name/{block_document_name}';
      expect((await call('GET', `${loadUrl}?include_secrets=true`, loadPath)).body.data).toEqual({
        value: secret,
      });
      expect((await call('GET', loadUrl, loadPath)).body.data).toEqual({ value: '********' });
      expect((await call('GET', `${loadUrl}?include_secrets=false`, loadPath)).body.data).toEqual({
        value: '********',
      });
      expect((await call('GET', `${loadUrl}?include_secrets=maybe`, loadPath)).status).toBe(422);
      const byId = `/api/block_documents/${String(created.body.id)}`;
      expect((await call('GET', `${byId}?include_secrets=true`, '/block_documents/{id}')).body.data).toEqual({
        value: secret,
      });
      expect(
        (await call('GET', '/api/block_types/slug/secret/block_documents/name/nobody', loadPath)).status,
      ).toBe(404);

      // At rest: no clear text in the data column, and the key lives in configuration.
      const [row] = (await db.dataSource.query(
        `SELECT data::text AS data FROM block_document WHERE id = $1`,
        [created.body.id],
      )) as { data: string }[];
      expect(row!.data).not.toContain(secret);
      expect(row!.data).not.toContain('hunter2');
      const keys = (await db.dataSource.query(`SELECT key FROM configuration WHERE key = $1`, [
        BLOCK_ENCRYPTION_KEY_NAME,
      ])) as unknown[];
      expect(keys).toHaveLength(1);

      const duplicate = await call('POST', '/api/block_documents/', '/block_documents/', {
        name: 'my-secret',
        data: { value: 'x' },
        block_schema_id: schema.id,
        block_type_id: type.id,
      });
      expect(duplicate).toEqual({ status: 409, body: { detail: 'Block already exists' } });
    });

    it('keeps stored secrets when a masked document is posted back, merges or replaces data', async () => {
      const { type, schema } = await typeAndSchema('slack-webhook');
      const { body: doc } = await call('POST', '/api/block_documents/', '/block_documents/', {
        name: 'alerts',
        data: { url: 'https://hooks.slack.com/services/T/B/secret', notify_type: 'info' },
        block_schema_id: schema.id,
        block_type_id: type.id,
      });
      const url = `/api/block_documents/${String(doc.id)}`;
      expect((doc.data as Json).url).toBe('********');
      // The UI sends back what it read: the mask must not overwrite the secret.
      expect(
        (
          await call('PATCH', url, '/block_documents/{id}', {
            data: { url: '********', notify_type: 'warning' },
          })
        ).status,
      ).toBe(204);
      let read = (await call('GET', `${url}?include_secrets=true`, '/block_documents/{id}')).body;
      expect(read.data).toEqual({
        url: 'https://hooks.slack.com/services/T/B/secret',
        notify_type: 'warning',
      });
      // merge_existing_data (default true) keeps keys left out.
      await call('PATCH', url, '/block_documents/{id}', { data: { allow_private_urls: false } });
      read = (await call('GET', `${url}?include_secrets=true`, '/block_documents/{id}')).body;
      expect(read.data).toEqual({
        url: 'https://hooks.slack.com/services/T/B/secret',
        notify_type: 'warning',
        allow_private_urls: false,
      });
      // Concurrent merges of one document serialise on its row: neither loses the other's key.
      await Promise.all([
        call('PATCH', url, '/block_documents/{id}', { data: { concurrent_a: 'a' } }),
        call('PATCH', url, '/block_documents/{id}', { data: { concurrent_b: 'b' } }),
      ]);
      read = (await call('GET', `${url}?include_secrets=true`, '/block_documents/{id}')).body;
      expect(read.data).toMatchObject({ concurrent_a: 'a', concurrent_b: 'b' });
      await call('PATCH', url, '/block_documents/{id}', {
        data: { url: 'https://new' },
        merge_existing_data: false,
      });
      read = (await call('GET', `${url}?include_secrets=true`, '/block_documents/{id}')).body;
      expect(read.data).toEqual({ url: 'https://new' });
      expect(
        (
          await call(
            'PATCH',
            '/api/block_documents/00000000-0000-4000-8000-000000000000',
            '/block_documents/{id}',
            { data: {} },
          )
        ).status,
      ).toBe(404);
    });

    it('stores $ref values as references, reads nested documents inline and masks their secrets', async () => {
      const aws = await typeAndSchema('aws-credentials');
      const s3 = await typeAndSchema('s3-bucket');
      const { body: credentials } = await call('POST', '/api/block_documents/', '/block_documents/', {
        data: { aws_access_key_id: 'AKIA', aws_secret_access_key: 'very-secret-key' },
        block_schema_id: aws.schema.id,
        block_type_id: aws.type.id,
        is_anonymous: true,
      });
      expect(String(credentials.name)).toMatch(/^anonymous-[0-9a-f-]{36}$/);
      const { status, body: bucket } = await call('POST', '/api/block_documents/', '/block_documents/', {
        name: 'my-bucket',
        data: { bucket_name: 'b', credentials: { $ref: { block_document_id: credentials.id } } },
        block_schema_id: s3.schema.id,
        block_type_id: s3.type.id,
      });
      expect(status).toBe(201);
      expect(bucket.data).toEqual({
        bucket_name: 'b',
        credentials: { aws_access_key_id: 'AKIA', aws_secret_access_key: '********' },
      });
      expect(bucket.block_document_references).toEqual({
        credentials: {
          block_document: {
            id: credentials.id,
            name: credentials.name,
            block_type: aws.type,
            is_anonymous: true,
            block_document_references: {},
          },
        },
      });
      const clear = await call(
        'GET',
        `/api/block_documents/${String(bucket.id)}?include_secrets=true`,
        '/block_documents/{id}',
      );
      expect((clear.body.data as Json).credentials).toEqual({
        aws_access_key_id: 'AKIA',
        aws_secret_access_key: 'very-secret-key',
      });

      // Anonymous documents are hidden unless asked for.
      const visible = await list('/api/block_documents/filter', '/block_documents/filter', {});
      expect(visible.map((d) => d.id)).toContain(bucket.id);
      expect(visible.map((d) => d.id)).not.toContain(credentials.id);
      const anonymous = await list('/api/block_documents/filter', '/block_documents/filter', {
        block_documents: { is_anonymous: { eq_: true } },
      });
      expect(anonymous.map((d) => d.id)).toEqual([credentials.id]);
      const count = await call('POST', '/api/block_documents/count', '/block_documents/count', {
        block_documents: { is_anonymous: null },
      });
      expect(count.body).toBe(visible.length + 1);
      const withSecrets = await list('/api/block_documents/filter', '/block_documents/filter', {
        block_types: { slug: { any_: ['s3-bucket'] } },
        include_secrets: true,
      });
      expect(((withSecrets[0]!.data as Json).credentials as Json).aws_secret_access_key).toBe(
        'very-secret-key',
      );
      const forType = await call(
        'GET',
        '/api/block_types/slug/s3-bucket/block_documents',
        '/block_types/slug/{slug}/block_documents',
      );
      expect((forType.body as unknown as Json[]).map((d) => d.id)).toEqual([bucket.id]);

      // Replacing the reference with plain data drops the reference row.
      await call('PATCH', `/api/block_documents/${String(bucket.id)}`, '/block_documents/{id}', {
        data: { bucket_name: 'b', credentials: { aws_access_key_id: 'inline' } },
        merge_existing_data: false,
      });
      const [refs] = (await db.dataSource.query(
        `SELECT count(*)::int AS n FROM block_document_reference WHERE parent_block_document_id = $1`,
        [bucket.id],
      )) as { n: number }[];
      expect(refs!.n).toBe(0);
    });

    it('answers 400 for a reference without an id, 422 for a bad name, 404 and 204 on delete', async () => {
      const { type, schema } = await typeAndSchema('secret');
      const base = { block_schema_id: schema.id, block_type_id: type.id };
      const noId = await call('POST', '/api/block_documents/', '/block_documents/', {
        ...base,
        name: 'bad-ref',
        data: { value: { $ref: {} } },
      });
      expect(noId).toEqual({
        status: 400,
        body: { detail: 'Received block reference without a block_document_id in key value' },
      });
      expect(
        (
          await call('POST', '/api/block_documents/', '/block_documents/', {
            ...base,
            name: 'Bad_Name',
            data: {},
          })
        ).status,
      ).toBe(422);
      expect(
        (await call('POST', '/api/block_documents/', '/block_documents/', { ...base, data: {} })).status,
      ).toBe(422);
      // A reference to a document that does not exist breaks the foreign key: 409, as upstream.
      const dangling = await call('POST', '/api/block_documents/', '/block_documents/', {
        ...base,
        name: 'dangling',
        data: { value: { $ref: { block_document_id: '00000000-0000-4000-8000-000000000000' } } },
      });
      expect(dangling.status).toBe(409);
      // A reference that would make a document reach itself: 400, and nothing changes.
      const { body: leaf } = await call('POST', '/api/block_documents/', '/block_documents/', {
        ...base,
        name: 'leaf',
        data: { value: 'l' },
      });
      const { body: root } = await call('POST', '/api/block_documents/', '/block_documents/', {
        ...base,
        name: 'root',
        data: { value: { $ref: { block_document_id: leaf.id } } },
      });
      const cycle = await call('PATCH', `/api/block_documents/${String(leaf.id)}`, '/block_documents/{id}', {
        data: { value: { $ref: { block_document_id: root.id } } },
      });
      expect(cycle.status).toBe(400);
      expect(String(cycle.body.detail)).toContain('cycle');
      const unchanged = await call(
        'GET',
        `/api/block_documents/${String(leaf.id)}?include_secrets=true`,
        '/block_documents/{id}',
      );
      expect(unchanged.body.data).toEqual({ value: 'l' });
      const { body: doc } = await call('POST', '/api/block_documents/', '/block_documents/', {
        ...base,
        name: 'short-lived',
        data: { value: 'v' },
      });
      const url = `/api/block_documents/${String(doc.id)}`;
      expect((await call('DELETE', url, '/block_documents/{id}')).status).toBe(204);
      expect((await call('GET', url, '/block_documents/{id}')).status).toBe(404);
      expect((await call('DELETE', url, '/block_documents/{id}')).status).toBe(404);
    });

    it('emits prefect.block-document.* events with the write, without secrets, none for anonymous', async () => {
      const { type, schema } = await typeAndSchema('slack-webhook');
      const { body: doc } = await call('POST', '/api/block_documents/', '/block_documents/', {
        name: 'evented',
        data: { url: 'https://hooks.slack.com/services/secret', notify_type: 'info' },
        block_schema_id: schema.id,
        block_type_id: type.id,
      });
      const url = `/api/block_documents/${String(doc.id)}`;
      await call('PATCH', url, '/block_documents/{id}', { data: { notify_type: 'failure' } });
      await call('DELETE', url, '/block_documents/{id}');
      const events = await eventsOf(doc.id);
      expect(events.map((e) => e.event)).toEqual([
        'prefect.block-document.created',
        'prefect.block-document.updated',
        'prefect.block-document.deleted',
      ]);
      expect(events[0]).toMatchObject({
        resource: {
          'prefect.resource.id': `prefect.block-document.${String(doc.id)}`,
          'prefect.resource.name': 'evented',
        },
        related: [
          {
            'prefect.resource.id': `prefect.block-type.${String(type.id)}`,
            'prefect.resource.role': 'block-type',
            'prefect.resource.name': 'Slack Webhook',
          },
          {
            'prefect.resource.id': `prefect.block-schema.${String(schema.id)}`,
            'prefect.resource.role': 'block-schema',
          },
        ],
        payload: {
          name: 'evented',
          data: { notify_type: 'info' },
          block_schema: { capabilities: ['notify'], block_type: { id: type.id, name: 'Slack Webhook' } },
        },
      });
      expect(JSON.stringify(events)).not.toContain('hooks.slack.com');
      expect((events[1]!.payload as Json).data).toEqual({ notify_type: 'failure' });

      const secret = await typeAndSchema('secret');
      const { body: anonymous } = await call('POST', '/api/block_documents/', '/block_documents/', {
        data: { value: 'v' },
        block_schema_id: secret.schema.id,
        block_type_id: secret.type.id,
        is_anonymous: true,
      });
      expect(await eventsOf(anonymous.id)).toEqual([]);
    });
  });
});
