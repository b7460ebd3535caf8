import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOCK_ENCRYPTION_KEY_NAME, BlockDataCipher, blockKeyId } from '@orrery/blocks';
import {
  createTestDatabase,
  type OrreryProcess,
  runOrrery,
  startOrreryServer,
  type TestDatabase,
} from '@orrery/testing';

type Json = Record<string, unknown>;

/**
 * Issue 11 item 4: the block encryption key outside the database. Block secrets saved with the
 * database-kept key are moved to an external key by `orrery server blocks rotate-key`, after which a
 * dump of the database holds neither the secrets nor any key; a second rotation moves them to
 * another key, and a rotation that cannot read the data changes nothing.
 */
describe('block encryption key outside the database, and its rotation', () => {
  let db: TestDatabase;
  let dir: string;
  let keyA: string;
  let keyB: string;
  const secrets = ['rotation-secret-one-9c1e', 'rotation-secret-two-4b7d'];

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    dir = mkdtempSync(join(tmpdir(), 'orrery-block-keys-'));
    keyA = BlockDataCipher.generateKey();
    keyB = BlockDataCipher.generateKey();
    writeFileSync(join(dir, 'a.key'), `${keyA}\n`);
    writeFileSync(join(dir, 'b.key'), keyB);
  });

  afterAll(async () => {
    await db?.drop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const env = (keyFile?: string): Record<string, string> => ({
    PREFECT_HOME: dir,
    PREFECT_API_DATABASE_CONNECTION_URL: db.url,
    PREFECT_SERVER_DATABASE_MIGRATE_ON_START: 'false',
    ...(keyFile === undefined ? {} : { PREFECT_SERVER_BLOCKS_ENCRYPTION_KEY_FILE: join(dir, keyFile) }),
  });

  async function withServer<T>(keyFile: string | undefined, use: (url: string) => Promise<T>): Promise<T> {
    let server: { process: OrreryProcess; url: string } | null = null;
    try {
      server = await startOrreryServer(env(keyFile), ['--no-services']);
      return await use(server.url);
    } finally {
      await server?.process.stop();
    }
  }

  async function call(
    url: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as Json };
  }

  async function saveSecret(url: string, name: string, value: string): Promise<void> {
    const { body: type } = await call(url, 'GET', '/block_types/slug/secret');
    const { body: schemas } = await call(url, 'POST', '/block_schemas/filter', {
      block_schemas: { block_type_id: { any_: [type.id] } },
      limit: 1,
    });
    const schema = (schemas as unknown as Json[])[0] as Json;
    const saved = await call(url, 'POST', '/block_documents/', {
      name,
      data: { value },
      block_schema_id: schema.id,
      block_type_id: type.id,
      is_anonymous: false,
    });
    expect(saved.status).toBe(201);
  }

  const load = async (url: string, name: string): Promise<unknown> =>
    (await call(url, 'GET', `/block_types/slug/secret/block_documents/name/${name}?include_secrets=true`))
      .body.data;

  /** Every row of every table of the database as text: what a dump would hold. */
  async function dump(): Promise<string> {
    const tables = (await db.dataSource.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
    )) as { tablename: string }[];
    const parts: string[] = [];
    for (const { tablename } of tables) {
      const rows = (await db.dataSource.query(
        `SELECT row_to_json(t)::text AS row FROM "${tablename}" t`,
      )) as {
        row: string;
      }[];
      parts.push(...rows.map((r) => r.row));
    }
    return parts.join('\n');
  }

  const storedForms = async (): Promise<string[]> =>
    (
      (await db.dataSource.query(`SELECT data #>> '{}' AS data FROM block_document ORDER BY name`)) as {
        data: string;
      }[]
    ).map((r) => r.data.split(':').slice(0, 2).join(':'));

  it('moves block secrets from the database key to an external key; a dump then holds neither', async () => {
    await withServer(undefined, (url) => saveSecret(url, 'first', secrets[0] as string));
    const before = await dump();
    expect(before).not.toContain(secrets[0]);
    expect(before).toContain(BLOCK_ENCRYPTION_KEY_NAME); // the key sits beside the data

    const rotated = await runOrrery(['server', 'blocks', 'rotate-key', '-y'], env('a.key'));
    expect(rotated).toMatchObject({ code: 0 });
    expect(rotated.stdout).toContain(`re-encrypted 1 block document(s) with key ${blockKeyId(keyA)}`);

    const after = await dump();
    expect(after).not.toContain(secrets[0]);
    expect(after).not.toContain(BLOCK_ENCRYPTION_KEY_NAME);
    expect(after).not.toContain(keyA);
    expect(await storedForms()).toEqual([`v2:${blockKeyId(keyA)}`]);

    await withServer('a.key', async (url) => {
      expect(await load(url, 'first')).toEqual({ value: secrets[0] });
      await saveSecret(url, 'second', secrets[1] as string);
    });
    const [configuration] = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM configuration WHERE key = $1`,
      [BLOCK_ENCRYPTION_KEY_NAME],
    )) as { n: number }[];
    expect(configuration?.n).toBe(0); // a server with an external key never creates one
  }, 180_000);

  it('rotates to another external key with the previous one, and changes nothing without it', async () => {
    const refused = await runOrrery(['server', 'blocks', 'rotate-key', '-y'], env('b.key'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('nothing changed');
    expect(await storedForms()).toEqual([`v2:${blockKeyId(keyA)}`, `v2:${blockKeyId(keyA)}`]);

    const rotated = await runOrrery(
      ['server', 'blocks', 'rotate-key', '-y', '--previous-key-file', join(dir, 'a.key')],
      env('b.key'),
    );
    expect(rotated).toMatchObject({ code: 0 });
    expect(rotated.stdout).toContain(`re-encrypted 2 block document(s) with key ${blockKeyId(keyB)}`);
    expect(await storedForms()).toEqual([`v2:${blockKeyId(keyB)}`, `v2:${blockKeyId(keyB)}`]);
    expect(await dump()).not.toContain(secrets[1]);

    await withServer('b.key', async (url) => {
      expect(await load(url, 'first')).toEqual({ value: secrets[0] });
      expect(await load(url, 'second')).toEqual({ value: secrets[1] });
    });
  }, 180_000);
});
