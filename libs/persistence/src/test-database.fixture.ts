import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
import { createDataSource } from './create-data-source';
import { DatabaseMigrator } from './database-migrator';

// Test databases for this lib's own int-specs. @orrery/testing offers the same helpers to everyone
// else, but it depends on this lib, and Nx forbids the cycle back; so this copy stays local.

export interface LocalTestDatabase {
  url: string;
  dataSource: DataSource;
  drop(): Promise<void>;
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<LocalTestDatabase> {
  const url = await createEmptyTestDatabase();
  const dataSource = createDataSource({ kind: 'postgres', url, poolSize: 4 });
  const drop = (): Promise<void> => dropTestDatabase(url, dataSource);
  try {
    await dataSource.initialize();
    if (options.migrate === true) await new DatabaseMigrator(dataSource).upgrade();
  } catch (error) {
    await drop();
    throw error;
  }
  return { url, dataSource, drop };
}

/** Creates `orrery_test_<random>` on ORRERY_TEST_PG_URL and returns its URL. */
export async function createEmptyTestDatabase(): Promise<string> {
  const name = `orrery_test_${randomBytes(6).toString('hex')}`;
  await withServerClient((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropTestDatabase(url: string, dataSource?: DataSource): Promise<void> {
  if (dataSource?.isInitialized) await dataSource.destroy();
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/test/i.test(name)) throw new Error(`refusing to drop ${JSON.stringify(name)}: not a test database`);
  await withServerClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export async function createPgliteTestDatabase(): Promise<LocalTestDatabase & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orrery-test-pglite-'));
  const dataSource = createDataSource({ kind: 'pglite', dataDir });
  const drop = async (): Promise<void> => {
    if (dataSource.isInitialized) await dataSource.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await dataSource.initialize();
  } catch (error) {
    await drop();
    throw error;
  }
  return { url: dataDir, dataDir, dataSource, drop };
}

function serverUrl(): string {
  const url = process.env.ORRERY_TEST_PG_URL;
  if (url === undefined || url === '') throw new Error('ORRERY_TEST_PG_URL is not set (run through jest)');
  return url;
}

async function withServerClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
