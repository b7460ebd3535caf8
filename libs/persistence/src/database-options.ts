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
}

export interface PgliteDatabaseOptions {
  kind: 'pglite';
  /** Directory holding the embedded cluster; created if missing. */
  dataDir: string;
}

export type DatabaseKind = DatabaseOptions['kind'];
