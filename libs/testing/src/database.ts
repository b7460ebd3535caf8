import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource, DatabaseMigrator } from '@orrery/persistence';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';

export interface TestDatabase {
  /** postgresql:// URL of the fresh database. */
  url: string;
  /** Its name: always orrery_test_<random>. */
  name: string;
  /** An initialized DataSource on it (migrated to head when asked). */
  dataSource: DataSource;
  /** Destroys the DataSource and drops the database; call it in afterAll. */
  drop(): Promise<void>;
}

export interface PgliteTestDatabase {
  dataDir: string;
  dataSource: DataSource;
  /** Destroys the DataSource and removes the data directory. */
  drop(): Promise<void>;
}

/** Refuses anything that does not look like a throw-away test database (habit 6). */
export function assertTestDatabaseName(name: string): void {
  if (!/test/i.test(name)) {
    throw new Error(
      `refusing to touch database ${JSON.stringify(name)}: test databases must have "test" in their name`,
    );
  }
}

/** The server the integration tier runs on (set by jest-global-setup.js). */
export function testServerUrl(): string {
  const url = process.env.ORRERY_TEST_PG_URL;
  if (url === undefined || url === '') {
    throw new Error(
      'ORRERY_TEST_PG_URL is not set: run integration tests through jest (its global setup sets it)',
    );
  }
  return url;
}

/** Creates an empty database `orrery_test_<random>` on the test server; migrates it when `migrate` is true. */
export async function createTestDatabase(
  options: { migrate?: boolean; poolSize?: number } = {},
): Promise<TestDatabase> {
  const name = `orrery_test_${randomBytes(6).toString('hex')}`;
  const url = await createEmptyTestDatabase(name);
  const dataSource = createDataSource({ kind: 'postgres', url, poolSize: options.poolSize ?? 4 });
  try {
    await dataSource.initialize();
    if (options.migrate === true) {
      await new DatabaseMigrator(dataSource).upgrade();
    }
  } catch (error) {
    await dropTestDatabase(url, dataSource);
    throw error;
  }
  return { url, name, dataSource, drop: () => dropTestDatabase(url, dataSource) };
}

/** Creates the database and returns its URL, without opening a DataSource. */
export async function createEmptyTestDatabase(name: string): Promise<string> {
  assertTestDatabaseName(name);
  await withServerClient((client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Destroys `dataSource` (if given) and drops the database `url` names, kicking out other sessions. */
export async function dropTestDatabase(url: string, dataSource?: DataSource): Promise<void> {
  if (dataSource?.isInitialized) {
    await dataSource.destroy();
  }
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  assertTestDatabaseName(name);
  await withServerClient((client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
  );
}

/**
 * An embedded PGlite database in a fresh temp directory. PGlite takes seconds to start and allows
 * one live instance per process (typeorm-pglite keeps a singleton): open one per test file.
 */
export async function createPgliteTestDatabase(
  options: { migrate?: boolean } = {},
): Promise<PgliteTestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orrery-test-pglite-'));
  const dataSource = createDataSource({ kind: 'pglite', dataDir });
  const drop = async (): Promise<void> => {
    if (dataSource.isInitialized) {
      await dataSource.destroy();
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await dataSource.initialize();
    if (options.migrate === true) {
      await new DatabaseMigrator(dataSource).upgrade();
    }
  } catch (error) {
    await drop();
    throw error;
  }
  return { dataDir, dataSource, drop };
}

async function withServerClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
