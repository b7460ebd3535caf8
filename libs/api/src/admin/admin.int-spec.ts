import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BusModule } from '@orrery/bus';
import { loadSettings, SettingsModule } from '@orrery/config';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule } from '@orrery/outbox';
import { type DatabaseOptions, PersistenceModule } from '@orrery/persistence';
import {
  ContractValidator,
  contractDirectory,
  createPgliteTestDatabase,
  createTestDatabase,
  TEST_API_OPTIONS,
  contractCall,
} from '@orrery/testing';
import { ApiModule } from '../api.module';
import { createHttpApplication } from '../http/create-http-application';
import { RestApiModule } from '../rest-api.module';
import { DATABASE_PROBE } from '../root/ports';

/** Settings of a server configured with secrets, which /admin/settings must never reveal. */
const SECRET_SETTINGS = loadSettings({
  PREFECT_HOME: '/srv/prefect',
  PREFECT_SERVER_API_AUTH_STRING: 'admin:auth-secret-1f2e',
  PREFECT_API_DATABASE_PASSWORD: 'db-secret-3d4c',
  PREFECT_API_DATABASE_CONNECTION_URL: 'postgresql+asyncpg://orrery:url-secret-5b6a@db.internal:5432/orrery',
  PREFECT_REDIS_MESSAGING_PASSWORD: 'redis-secret-7e8f',
});

/** The REST API as a server process composes it, settings included. */
async function startApi(database: DatabaseOptions): Promise<NestFastifyApplication> {
  @Module({
    imports: [
      SettingsModule.forRoot(SECRET_SETTINGS),
      PersistenceModule.forRoot(database),
      BusModule.forRoot({ driver: 'memory' }),
      JobsModule.forRoot({ driver: 'in-process' }),
      OutboxModule.forRoot(),
      ApiModule.forRoot({
        options: TEST_API_OPTIONS,
        providers: [{ provide: DATABASE_PROBE, useValue: { ping: () => Promise.resolve() } }],
      }),
      RestApiModule,
    ],
  })
  class AdminTestRoot {}
  const app = await createHttpApplication(AdminTestRoot, TEST_API_OPTIONS, {
    log() {},
    error() {},
    warn() {},
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

type Json = Record<string, unknown>;

describe.each([
  ['PostgreSQL', 'postgres'],
  ['PGlite (embedded)', 'pglite'],
] as const)('admin and UI support endpoints on %s, against the contract', (_label, kind) => {
  const contract = new ContractValidator();
  let drop: () => Promise<void>;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    if (kind === 'postgres') {
      const db = await createTestDatabase({ migrate: true, poolSize: 1 });
      drop = () => db.drop();
      app = await startApi({ kind: 'postgres', url: db.url, poolSize: 3 });
    } else {
      // One live PGlite per process: migrate, close, then let the API open the same directory.
      const db = await createPgliteTestDatabase({ migrate: true });
      await db.dataSource.destroy();
      drop = () => db.drop();
      app = await startApi({ kind: 'pglite', dataDir: db.dataDir });
    }
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  const call = contractCall(() => app, contract);

  describe('GET /admin/settings', () => {
    it('serves the settings tree in snake_case with every secret masked', async () => {
      const { status, body } = await call('GET', '/api/admin/settings', '/admin/settings');
      expect(status).toBe(200);
      const text = JSON.stringify(body);
      for (const secret of ['auth-secret-1f2e', 'db-secret-3d4c', 'url-secret-5b6a', 'redis-secret-7e8f']) {
        expect(text).not.toContain(secret);
      }
      const server = body.server as Json;
      expect((server.api as Json).auth_string).toBe('********');
      expect((server.database as Json).password).toBe('********');
      expect((server.database as Json).connection_url).toBe(
        'postgresql://orrery:********@db.internal:5432/orrery',
      );
      expect(server.api).toMatchObject({ default_limit: expect.any(Number) as unknown });
      expect(body.home).toEqual(expect.any(String));
      // Prefect's shapes: durations as ISO 8601, CORS lists comma-separated.
      expect((server.api as Json).csrf_token_expiration).toMatch(/^P/);
      expect(typeof (server.api as Json).cors_allowed_origins).toBe('string');
    });
  });

  describe('/admin/storage', () => {
    async function blockDocument(slug: string, capabilities: string[]): Promise<string> {
      const { body: type } = await call('POST', '/api/block_types/', '/block_types/', { name: slug, slug });
      const { body: schema } = await call('POST', '/api/block_schemas/', '/block_schemas/', {
        fields: { title: slug, type: 'object', properties: { basepath: { type: 'string' } } },
        block_type_id: type.id,
        capabilities,
      });
      const { body: document } = await call('POST', '/api/block_documents/', '/block_documents/', {
        name: `${slug}-doc`,
        data: { basepath: '/tmp/results' },
        block_schema_id: schema.id,
        block_type_id: type.id,
      });
      return String(document.id);
    }

    it('sets, reads and clears the default result storage block; refuses unknown and non-storage blocks', async () => {
      expect(await call('GET', '/api/admin/storage', '/admin/storage')).toEqual({
        status: 200,
        body: { default_result_storage_block_id: null },
      });
      const storage = await blockDocument('results-store', ['read-path', 'write-path']);
      const plain = await blockDocument('not-a-store', []);

      const set = await call('PUT', '/api/admin/storage', '/admin/storage', {
        default_result_storage_block_id: storage,
      });
      expect(set).toEqual({ status: 200, body: { default_result_storage_block_id: storage } });
      expect((await call('GET', '/api/admin/storage', '/admin/storage')).body).toEqual({
        default_result_storage_block_id: storage,
      });

      const missing = '0195f2a8-0000-7000-8000-000000000404';
      expect(
        await call('PUT', '/api/admin/storage', '/admin/storage', {
          default_result_storage_block_id: missing,
        }),
      ).toEqual({ status: 404, body: { detail: `Block document ${missing} not found.` } });
      expect(
        await call('PUT', '/api/admin/storage', '/admin/storage', { default_result_storage_block_id: plain }),
      ).toEqual({
        status: 422,
        body: { detail: `Block document ${plain} cannot be used for result storage.` },
      });
      const bad = await call('PUT', '/api/admin/storage', '/admin/storage', {
        default_result_storage_block_id: 'x',
      });
      expect(bad.status).toBe(422);
      expect(JSON.stringify(bad.body)).toContain('default_result_storage_block_id');
      // Refusals left the setting alone.
      expect((await call('GET', '/api/admin/storage', '/admin/storage')).body).toEqual({
        default_result_storage_block_id: storage,
      });

      expect((await call('DELETE', '/api/admin/storage', '/admin/storage')).status).toBe(204);
      expect((await call('GET', '/api/admin/storage', '/admin/storage')).body).toEqual({
        default_result_storage_block_id: null,
      });
      // Deleting the block document takes the default with it.
      await call('PUT', '/api/admin/storage', '/admin/storage', { default_result_storage_block_id: storage });
      expect((await call('DELETE', `/api/block_documents/${storage}`, '/block_documents/{id}')).status).toBe(
        204,
      );
      expect((await call('GET', '/api/admin/storage', '/admin/storage')).body).toEqual({
        default_result_storage_block_id: null,
      });
      // Capabilities of registered schemas, for the UI's block pickers.
      const capabilities = await call('GET', '/api/block_capabilities/', '/block_capabilities/');
      expect(capabilities.body).toEqual(expect.arrayContaining(['read-path', 'write-path']));
    });
  });

  describe('GET /collections/views/{view}', () => {
    it('serves the process worker metadata exactly as the registry view has it, without network', async () => {
      const registry = JSON.parse(
        readFileSync(join(contractDirectory(), 'aggregate-worker-metadata.json'), 'utf8'),
      ) as Record<string, Record<string, unknown>>;
      const { status, body } = await call(
        'GET',
        '/api/collections/views/aggregate-worker-metadata',
        '/collections/views/{view}',
      );
      expect(status).toBe(200);
      expect((body.prefect as Json).process).toEqual(registry.prefect!.process);
      expect(Object.keys(body.prefect as Json)).not.toContain('prefect-agent');
    });

    it('404s for views without content here and for unknown views', async () => {
      expect(await call('GET', '/api/collections/views/demo-flows', '/collections/views/{view}')).toEqual({
        status: 404,
        body: { detail: 'Requested content missing for view demo-flows' },
      });
      expect(await call('GET', '/api/collections/views/nope', '/collections/views/{view}')).toEqual({
        status: 404,
        body: { detail: 'View nope not found in registry' },
      });
    });
  });

  describe.each([['/templates/validate'], ['/automations/templates/validate']])('POST %s', (path) => {
    const url = `/api${path}`;
    it('accepts well-formed templates with an empty 200', async () => {
      for (const template of [
        'Flow run {{ flow_run.name }} entered {{ flow_run.state.name }}',
        '{% if flow_run.tags %}{% for t in flow_run.tags %}{{ t }}{% else %}-{% endfor %}{% endif %}',
        '{# a comment #}{% set x = 1 %}{% raw %}{{ not parsed {% %}{% endraw %}',
        '',
      ]) {
        expect(await call('POST', url, path, template)).toEqual({ status: 200, body: null });
      }
    });

    it('answers a syntax error with 422 {error: {line, message, source}}', async () => {
      const unclosed = 'line one\n{{ flow_run.name';
      expect(await call('POST', url, path, unclosed)).toEqual({
        status: 422,
        body: {
          error: {
            line: 2,
            message: "unexpected end of template, expected 'end of print statement'.",
            source: unclosed,
          },
        },
      });
      const openBlock = '{% if x %}\nyes\n';
      const open = await call('POST', url, path, openBlock);
      expect(open.status).toBe(422);
      expect((open.body.error as Json).message).toContain(
        "The innermost block that needs to be closed is 'if'",
      );
      const stray = await call('POST', url, path, 'a\n{% endfor %}');
      expect(stray).toMatchObject({
        status: 422,
        body: { error: { line: 2, message: "Encountered unknown tag 'endfor'." } },
      });
      expect((await call('POST', url, path, { not: 'a string' })).status).toBe(422);
    });
  });

  describe('POST /ui/schemas/validate', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        retries: { type: 'integer', minimum: 0 },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['name'],
    };
    const validate = (body: unknown) =>
      call('POST', '/api/ui/schemas/validate', '/ui/schemas/validate', body);

    it('says valid for conforming values, placeholders and hydrated values included', async () => {
      expect((await validate({ schema, values: { name: 'a', retries: 1, tags: ['x'] } })).body).toEqual({
        errors: [],
        valid: true,
      });
      const placeholders = {
        name: { __prefect_kind: 'jinja', template: '{{ flow_run.name }}' },
        retries: { __prefect_kind: 'json', value: '3' },
      };
      expect((await validate({ schema, values: placeholders })).body).toEqual({ errors: [], valid: true });
    });

    it('nests errors by property and index, required fields under their own name', async () => {
      const { status, body } = await validate({ schema, values: { retries: -1, tags: ['ok', 2] } });
      expect(status).toBe(200);
      expect(body.valid).toBe(false);
      expect(body.errors).toEqual(
        expect.arrayContaining([
          { property: 'name', errors: ["'name' is a required property"] },
          { property: 'retries', errors: ['-1 is less than the minimum of 0'] },
          { property: 'tags', errors: [{ index: 1, errors: ["2 is not of type 'string'"] }] },
        ]),
      );
    });

    it('refuses an invalid schema and a body without schema or values with 422', async () => {
      const invalid = await validate({ schema: { type: 'no-such-type' }, values: {} });
      expect(invalid.status).toBe(422);
      expect(String(invalid.body.detail)).toMatch(/^Invalid schema: /);
      const missing = await validate({ schema });
      expect(missing.status).toBe(422);
      expect(JSON.stringify(missing.body)).toContain('values');
    });
  });

  it('GET /ui-settings describes the API to the UI', async () => {
    const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/ui-settings' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ api_url: expect.any(String) as unknown, auth: null, flags: [] });
  });
});
