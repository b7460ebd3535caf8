import { mkdirSync, readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { type Extension } from '@electric-sql/pglite';
import { MIGRATIONS, MIGRATIONS_TABLE_NAME } from '@orrery/migrations';
import { types as pgTypes } from 'pg';
import { DataSource, type LoggerOptions } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import {
  type DatabaseKind,
  type DatabaseOptions,
  type PgliteDatabaseOptions,
  type PostgresDatabaseOptions,
  type PostgresTlsOptions,
} from './database-options';
import { ENTITIES } from './entities';
import { keepMicrosecondTimestamps } from './microsecond-timestamps';
import { MICROSECOND_CLOCK } from './pglite-microsecond-clock';
import { installPgliteTransactionContext, PgliteSessionPool } from './pglite-session';
import { DEFAULT_STATEMENT_CACHE_SIZE, preparingClientClass } from './prepared-statements';

/**
 * Type OIDs read as the text PostgreSQL prints: timestamptz (1184), timestamp (1114), date (1082)
 * and interval (1186). The node drivers would otherwise build a millisecond JS Date (or an interval
 * object); Orrery parses the text into an Instant itself (decision 5).
 */
const TEXT_TYPE_OIDS: readonly number[] = [1184, 1114, 1082, 1186];

const identity = (value: string): string => value;

export interface DataSourceExtras {
  /** TypeORM logging (off by default). */
  logging?: LoggerOptions;
}

/**
 * Builds (does not initialize) a DataSource for PostgreSQL or embedded PGlite. Never synchronizes
 * and never runs migrations on initialize: schema changes go through DatabaseMigrator only.
 */
export function createDataSource(options: DatabaseOptions, extras: DataSourceExtras = {}): DataSource {
  const dataSource =
    options.kind === 'postgres' ? postgresDataSource(options, extras) : pgliteDataSource(options, extras);
  keepMicrosecondTimestamps(dataSource.driver);
  KINDS.set(dataSource, options.kind);
  return dataSource;
}

/** Which kind of database a DataSource made by createDataSource talks to. */
export function databaseKindOf(dataSource: DataSource): DatabaseKind {
  return KINDS.get(dataSource) ?? 'postgres';
}

const KINDS = new WeakMap<DataSource, DatabaseKind>();

/** Prefect settings carry SQLAlchemy URLs (postgresql+asyncpg://…); pg wants postgresql://. */
export function normalizeDatabaseUrl(url: string): string {
  return url.replace(/^postgres(?:ql)?\+[a-z0-9_]+:\/\//i, 'postgresql://');
}

function commonOptions(options: DatabaseOptions, extras: DataSourceExtras) {
  return {
    type: 'postgres' as const,
    entities: [...ENTITIES],
    migrations: [...MIGRATIONS],
    migrationsTableName: MIGRATIONS_TABLE_NAME,
    migrationsTransactionMode: 'each' as const,
    migrationsRun: false,
    synchronize: false,
    // Extensions belong to migrations (pg_trgm); TypeORM would otherwise try uuid-ossp.
    installExtensions: false,
    // Only informs TypeORM's schema comparison: uuid primary keys default to gen_random_uuid().
    uuidExtension: 'pgcrypto' as const,
    logging: extras.logging ?? (options.echo === true ? (['query'] as const) : false),
  };
}

function postgresDataSource(options: PostgresDatabaseOptions, extras: DataSourceExtras): DataSource {
  const textOids = new Set(TEXT_TYPE_OIDS);
  const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
    textOids.has(oid) ? identity : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser;
  const statementCacheSize = options.statementCacheSize ?? DEFAULT_STATEMENT_CACHE_SIZE;
  return new DataSource({
    ...commonOptions(options, extras),
    url: normalizeDatabaseUrl(options.url),
    poolSize: options.poolSize,
    applicationName: options.applicationName ?? 'orrery',
    connectTimeoutMS: Math.round((options.connectTimeoutSeconds ?? 10) * 1000),
    extra: {
      // Per pool, not pg's global registry: other pg users in the process keep their parsers.
      types: { getTypeParser },
      // Startup parameters, so every pooled session prints timestamps in UTC from its first query.
      options: startupOptions(options),
      ...(options.tls === undefined ? {} : { ssl: tlsConnectionOptions(options.tls) }),
      // pg-pool closes a connection this old when it is released (SQLAlchemy's pool_recycle).
      ...(options.poolRecycleSeconds === undefined ? {} : { maxLifetimeSeconds: options.poolRecycleSeconds }),
      // pg-pool builds its connections with this class.
      ...(statementCacheSize > 0 ? { Client: preparingClientClass(statementCacheSize) } : {}),
      // Unset: keep whatever the server or role configures.
      ...(options.statementTimeoutSeconds === undefined
        ? {}
        : { statement_timeout: Math.round(options.statementTimeoutSeconds * 1000) }),
    },
  });
}

/**
 * `-c name=value` startup parameters, values escaped as libpq reads them (backslash, space).
 * `jit=off`: Orrery's statements are short OLTP reads and writes; PostgreSQL's JIT triggers on
 * estimated cost alone, and one misestimate (the run graph's jsonb expansion) spent ~1 s compiling a
 * query that runs in 4 ms (ADR 0004).
 */
function startupOptions(options: PostgresDatabaseOptions): string {
  const parameters: [string, string][] = [
    ['TimeZone', 'UTC'],
    ['jit', 'off'],
  ];
  if (options.searchPath !== undefined) parameters.push(['search_path', options.searchPath]);
  return parameters.map(([name, value]) => `-c ${name}=${value.replace(/([\\ ])/g, '\\$1')}`).join(' ');
}

function readTlsFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    // Duck-typed: under Jest, fs errors come from another realm than this module's Error.
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    const reason = typeof code === 'string' ? code : String(error);
    throw new Error(`cannot read the PostgreSQL TLS ${what} ${path}: ${reason}`);
  }
}

/** node:tls options for pg: verified, TLS 1.2 or later, optional client certificate. */
function tlsConnectionOptions(tls: PostgresTlsOptions): ConnectionOptions {
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
    throw new Error('PostgreSQL mTLS needs both the client certificate file and its key file');
  }
  return {
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    ...(tls.caFile === undefined ? {} : { ca: readTlsFile(tls.caFile, 'CA file') }),
    ...(tls.certFile === undefined ? {} : { cert: readTlsFile(tls.certFile, 'certificate file') }),
    ...(tls.keyFile === undefined ? {} : { key: readTlsFile(tls.keyFile, 'key file') }),
    ...(tls.checkHostname ? {} : { checkServerIdentity: () => undefined }),
  };
}

/**
 * pg_trgm for PGlite. The package publishes its contrib builds with ESM-only type declarations, which
 * a CommonJS file may not import statically; the setup hook loads the real extension on first use.
 */
const PG_TRGM: Extension = {
  name: 'pg_trgm',
  setup: async (pg, emscriptenOptions) => {
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    return pg_trgm.setup(pg, emscriptenOptions);
  },
};

// typeorm-pglite keeps ONE PGlite instance per process and closes it when any DataSource using it
// is destroyed, so a second live PGlite DataSource would silently share (or lose) the first one.
let livePglite: DataSource | null = null;

function pgliteDataSource(options: PgliteDatabaseOptions, extras: DataSourceExtras): DataSource {
  if (livePglite?.isInitialized) {
    throw new Error('a PGlite DataSource is already open in this process; destroy it before opening another');
  }
  mkdirSync(options.dataDir, { recursive: true });
  const parsers = Object.fromEntries(TEXT_TYPE_OIDS.map((oid) => [oid, identity]));
  // The driver object only records PGlite's options; the pool TypeORM gets is ours (see pglite-session).
  new PGliteDriver({
    dataDir: options.dataDir,
    extensions: { pg_trgm: PG_TRGM, orrery_clock: MICROSECOND_CLOCK },
    parsers,
  });
  const dataSource = new DataSource({
    ...commonOptions(options, extras),
    driver: { Pool: PgliteSessionPool },
  });
  installPgliteTransactionContext(dataSource);
  livePglite = dataSource;
  return dataSource;
}
