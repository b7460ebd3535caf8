import { loadSettings } from '@orrery/config';
import { createDataSource } from '@orrery/persistence';
import { busOptionsFrom, databaseOptionsFrom } from './infrastructure-options';

const POSTGRES = {
  PREFECT_API_DATABASE_CONNECTION_URL: 'postgresql+asyncpg://postgres@127.0.0.1:5432/orrery',
};
const ARGS = 'PREFECT_SERVER_DATABASE_SQLALCHEMY_CONNECT_ARGS';

function cacheSize(env: Record<string, string>): number | undefined {
  const options = databaseOptionsFrom(loadSettings({ ...POSTGRES, ...env }));
  return options.kind === 'postgres' ? options.statementCacheSize : undefined;
}

describe('databaseOptionsFrom: the statement cache', () => {
  it('leaves the size to the persistence default when neither setting is given', () => {
    expect(cacheSize({})).toBeUndefined();
  });

  it('takes the statement cache size, else the prepared-statement cache size', () => {
    expect(cacheSize({ [`${ARGS}_STATEMENT_CACHE_SIZE`]: '20' })).toBe(20);
    expect(cacheSize({ [`${ARGS}_PREPARED_STATEMENT_CACHE_SIZE`]: '30' })).toBe(30);
    expect(
      cacheSize({ [`${ARGS}_STATEMENT_CACHE_SIZE`]: '20', [`${ARGS}_PREPARED_STATEMENT_CACHE_SIZE`]: '30' }),
    ).toBe(20);
  });

  it('turns named statements off when either is 0 (PgBouncer in transaction mode)', () => {
    expect(cacheSize({ [`${ARGS}_STATEMENT_CACHE_SIZE`]: '0' })).toBe(0);
    expect(
      cacheSize({ [`${ARGS}_STATEMENT_CACHE_SIZE`]: '50', [`${ARGS}_PREPARED_STATEMENT_CACHE_SIZE`]: '0' }),
    ).toBe(0);
  });
});

describe('databaseOptionsFrom: TLS and search_path', () => {
  it('passes neither when they are not set', () => {
    expect(databaseOptionsFrom(loadSettings(POSTGRES))).not.toHaveProperty('tls');
    expect(databaseOptionsFrom(loadSettings(POSTGRES))).not.toHaveProperty('searchPath');
  });

  it('passes the TLS files and host-name check when TLS is enabled, and the search_path', () => {
    const options = databaseOptionsFrom(
      loadSettings({
        ...POSTGRES,
        [`${ARGS}_TLS_ENABLED`]: 'true',
        [`${ARGS}_TLS_CA_FILE`]: '/etc/orrery/ca.pem',
        [`${ARGS}_TLS_CERT_FILE`]: '/etc/orrery/client.pem',
        [`${ARGS}_TLS_KEY_FILE`]: '/etc/orrery/client.key',
        [`${ARGS}_TLS_CHECK_HOSTNAME`]: 'false',
        [`${ARGS}_SEARCH_PATH`]: 'prefect',
      }),
    );
    expect(options).toMatchObject({
      searchPath: 'prefect',
      tls: {
        caFile: '/etc/orrery/ca.pem',
        certFile: '/etc/orrery/client.pem',
        keyFile: '/etc/orrery/client.key',
        checkHostname: false,
      },
    });
  });
});

describe('databaseOptionsFrom: echo and pool recycle reach the DataSource', () => {
  it('logs every statement with PREFECT_SERVER_DATABASE_ECHO and recycles pooled connections', () => {
    const options = databaseOptionsFrom(
      loadSettings({
        ...POSTGRES,
        PREFECT_SERVER_DATABASE_ECHO: 'true',
        PREFECT_SERVER_DATABASE_SQLALCHEMY_POOL_RECYCLE: '120',
      }),
    );
    const dataSource = createDataSource(options);
    expect(dataSource.options.logging).toEqual(['query']);
    expect(
      (dataSource.options as { extra?: { maxLifetimeSeconds?: number } }).extra?.maxLifetimeSeconds,
    ).toBe(120);
    const quiet = createDataSource(databaseOptionsFrom(loadSettings(POSTGRES)));
    expect(quiet.options.logging).toBe(false);
    expect((quiet.options as { extra?: { maxLifetimeSeconds?: number } }).extra?.maxLifetimeSeconds).toBe(
      3600,
    );
  });

  it('echoes on the embedded database too', () => {
    const options = databaseOptionsFrom(
      loadSettings({ PREFECT_HOME: '/tmp/x', PREFECT_SERVER_DATABASE_ECHO: '1' }),
    );
    expect(options).toMatchObject({ kind: 'pglite', echo: true });
  });
});

describe('busOptionsFrom: the messaging Redis connection', () => {
  it("passes upstream's socket settings, in milliseconds", () => {
    const options = busOptionsFrom(
      loadSettings({
        PREFECT_HOME: '/tmp/x',
        PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
        PREFECT_REDIS_MESSAGING_URL: 'redis://127.0.0.1:6379/0',
        PREFECT_REDIS_MESSAGING_SOCKET_TIMEOUT: '30',
        PREFECT_REDIS_MESSAGING_SOCKET_CONNECT_TIMEOUT: '2.5',
        PREFECT_REDIS_MESSAGING_HEALTH_CHECK_INTERVAL: '7',
      }),
    );
    expect(options.redis).toMatchObject({
      socketTimeoutMs: 30_000,
      connectTimeoutMs: 2500,
      healthCheckIntervalMs: 7000,
    });
  });
});
