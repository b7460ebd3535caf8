/** How to reach the database: an external PostgreSQL server, or embedded PGlite in a directory. */
export type DatabaseOptions = PostgresDatabaseOptions | PgliteDatabaseOptions;

export interface PostgresDatabaseOptions {
  kind: 'postgres';
  /** postgresql:// URL; SQLAlchemy-style postgresql+asyncpg:// is accepted and normalised. */
  url: string;
  poolSize?: number;
  /** Per-statement limit for every pooled connection; 0 means none, unset keeps the server's setting. */
  statementTimeoutSeconds?: number;
  applicationName?: string;
  /** How long to wait for a TCP connection before giving up (default 10 s). */
  connectTimeoutSeconds?: number;
  /**
   * Named prepared statements kept per connection (default 100, least recently used out); 0 sends
   * every statement unnamed, as PgBouncer in transaction mode requires. See prepared-statements.ts.
   */
  statementCacheSize?: number;
  /** PostgreSQL search_path of every pooled session; unset keeps the server's or role's. */
  searchPath?: string;
  /** Connect over TLS (mTLS with a client certificate and key); unset connects as the URL says. */
  tls?: PostgresTlsOptions;
  /** A pooled connection older than this is closed instead of reused (0 = never). */
  poolRecycleSeconds?: number;
  /** Log every SQL statement (`PREFECT_SERVER_DATABASE_ECHO`). */
  echo?: boolean;
}

/**
 * Upstream's TLS settings: the server certificate is always verified (against `caFile`, else the
 * system's CAs), TLS 1.2 at least; `checkHostname: false` accepts a certificate naming another host.
 */
export interface PostgresTlsOptions {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  checkHostname: boolean;
}

export interface PgliteDatabaseOptions {
  kind: 'pglite';
  /** Directory holding the embedded cluster; created if missing. */
  dataDir: string;
  /** Log every SQL statement (`PREFECT_SERVER_DATABASE_ECHO`). */
  echo?: boolean;
}

export type DatabaseKind = DatabaseOptions['kind'];
