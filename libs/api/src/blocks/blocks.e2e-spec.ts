import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource } from '@orrery/persistence';
import {
  createTestDatabase,
  freePort,
  OrreryProcess,
  PrivateRedis,
  type TestDatabase,
} from '@orrery/testing';

type Json = Record<string, unknown>;

/**
 * Two API replicas (`orrery server start --no-services`, built from dist/) starting at once on one
 * fresh PostgreSQL: both register the built-in blocks on start without conflict, a Secret block
 * saved through one replica (the SDK's calls: type by slug, schema by checksum, POST the document)
 * loads through the other as `Block.load` does, masked unless `include_secrets=true`, and the
 * stored `data` column never holds the secret in clear text.
 */
describe('blocks across two API replicas', () => {
  // The replicas name their Redis keys without a test prefix, so this suite runs a Redis of its own.
  let db: TestDatabase;
  let redis: PrivateRedis;
  let home: string;
  let replicas: { process: OrreryProcess; url: string }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    redis = await PrivateRedis.start();
    const redisUrl = redis.url();
    home = mkdtempSync(join(tmpdir(), 'orrery-blocks-e2e-'));
    replicas = await Promise.all(
      [1, 2].map(async () => {
        const port = await freePort();
        const process = OrreryProcess.start(['server', 'start', '--no-services', '--port', String(port)], {
          PREFECT_HOME: home,
          PREFECT_API_DATABASE_CONNECTION_URL: db.url,
          PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
          PREFECT_REDIS_MESSAGING_URL: redisUrl,
          PREFECT_SERVER_DOCKET_URL: redisUrl,
        });
        return { process, url: `http://127.0.0.1:${port}/api` };
      }),
    );
    await Promise.all(replicas.map((r) => r.process.waitForOutput(/orrery: ready/)));
  }, 60_000);

  afterAll(async () => {
    for (const replica of replicas) await replica.process.stop();
    await redis?.dispose();
    await db?.drop();
    if (home !== undefined) rmSync(home, { recursive: true, force: true });
  });

  async function request(
    base: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'x-prefect-api-version': '0.8.4',
        'user-agent': 'prefect/3.8.4 (API 0.8.4)',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as Json };
  }

  it('registers the catalogue once although both replicas registered it at start', async () => {
    const [counts] = (await db.dataSource.query(
      `SELECT (SELECT count(*) FROM block_type)::int AS types, (SELECT count(*) FROM block_schema)::int AS schemas,
              (SELECT count(*) FROM outbox WHERE data->>'event' = 'prefect.block-type.created')::int AS created`,
    )) as { types: number; schemas: number; created: number }[];
    expect(counts).toEqual({ types: 54, schemas: 64, created: 54 });
  });

  it('saves a Secret block through one replica and loads it through the other', async () => {
    const [first, second] = replicas.map((r) => r.url) as [string, string];
    const { body: type } = await request(first, 'GET', '/block_types/slug/secret');
    const { body: schemas } = await request(first, 'POST', '/block_schemas/filter', {
      block_schemas: { block_type_id: { any_: [type.id] } },
      limit: 1,
    });
    const schema = (schemas as unknown as Json[])[0]!;
    const byChecksum = await request(
      first,
      'GET',
      `/block_schemas/checksum/${encodeURIComponent(String(schema.checksum))}?version=${String(schema.version)}`,
    );
    expect(byChecksum.status).toBe(200);
    const secret = 'e2e-secret-value-7f3a';
    const saved = await request(first, 'POST', '/block_documents/', {
      name: 'e2e-secret',
      data: { value: secret },
      block_schema_id: schema.id,
      block_type_id: type.id,
      is_anonymous: false,
    });
    expect(saved.status).toBe(201);
    expect(saved.body.data).toEqual({ value: '********' });

    const load = '/block_types/slug/secret/block_documents/name/e2e-secret';
    expect((await request(second, 'GET', `${load}?include_secrets=true`)).body.data).toEqual({
      value: secret,
    });
    expect((await request(second, 'GET', load)).body.data).toEqual({ value: '********' });

    const [row] = (await db.dataSource.query(`SELECT data::text AS data FROM block_document WHERE id = $1`, [
      saved.body.id,
    ])) as { data: string }[];
    expect(row!.data).not.toContain(secret);
    const [keys] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM configuration`)) as {
      n: number;
    }[];
    expect(keys!.n).toBeGreaterThanOrEqual(1);
  });

  it('stores a variable through one replica and reads it by name through the other, as Variable.get does', async () => {
    const [first, second] = replicas.map((r) => r.url) as [string, string];
    const created = await request(first, 'POST', '/variables/', {
      name: 'e2e_variable',
      value: { region: 'eu-west-1', replicas: 3 },
      tags: ['e2e'],
    });
    expect(created.status).toBe(201);
    const read = await request(second, 'GET', '/variables/name/e2e_variable');
    expect(read).toMatchObject({
      status: 200,
      body: {
        id: created.body.id,
        name: 'e2e_variable',
        value: { region: 'eu-west-1', replicas: 3 },
        tags: ['e2e'],
      },
    });
    expect((await request(second, 'GET', '/variables/name/absent_variable')).status).toBe(404);
  });
});

/**
 * The same on the embedded default (`orrery server start`: PGlite, in-process bus): a Secret block
 * and a variable saved and read back as the SDK does, and after the server stopped, the database
 * files opened to check that the block document's `data` column never held the secret in clear.
 */
describe('a Secret block and a variable on the embedded server', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'orrery-blocks-embedded-e2e-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('masks the secret unless asked, reads the variable, and stores no clear-text secret', async () => {
    const port = await freePort();
    const server = OrreryProcess.start(['server', 'start'], {
      PREFECT_HOME: home,
      PREFECT_SERVER_API_PORT: String(port),
    });
    const api = `http://127.0.0.1:${port}/api`;
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${api}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-prefect-api-version': '0.8.4' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as Json };
    };
    const secret = 'embedded-secret-value-9c1d';
    let documentId = '';
    let exitCode: number | null = null;
    try {
      await server.waitForOutput(/orrery: ready/, 60_000);
      const { body: type } = await call('GET', '/block_types/slug/secret');
      const { body: schemas } = await call('POST', '/block_schemas/filter', {
        block_schemas: { block_type_id: { any_: [type.id] } },
        limit: 1,
      });
      const schema = (schemas as unknown as Json[])[0]!;
      const saved = await call('POST', '/block_documents/', {
        name: 'embedded-secret',
        data: { value: secret },
        block_schema_id: schema.id,
        block_type_id: type.id,
        is_anonymous: false,
      });
      expect(saved.status).toBe(201);
      documentId = String(saved.body.id);
      const load = '/block_types/slug/secret/block_documents/name/embedded-secret';
      expect((await call('GET', load)).body.data).toEqual({ value: '********' });
      expect((await call('GET', `${load}?include_secrets=true`)).body.data).toEqual({ value: secret });

      expect((await call('POST', '/variables/', { name: 'embedded_var', value: 'v1' })).status).toBe(201);
      expect((await call('GET', '/variables/name/embedded_var')).body).toMatchObject({
        name: 'embedded_var',
        value: 'v1',
      });
    } finally {
      exitCode = await server.stop();
    }
    if (exitCode !== 0) throw new Error(`the server exited with ${String(exitCode)}:\n${server.output()}`);

    const dataSource = createDataSource({ kind: 'pglite', dataDir: join(home, 'orrery-pglite') });
    await dataSource.initialize();
    try {
      const [row] = (await dataSource.query(`SELECT data::text AS data FROM block_document WHERE id = $1`, [
        documentId,
      ])) as { data: string }[];
      expect(row).toBeDefined();
      expect(row!.data).not.toContain(secret);
    } finally {
      await dataSource.destroy();
    }
  }, 120_000);
});
