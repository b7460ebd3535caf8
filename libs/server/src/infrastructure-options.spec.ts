import { loadSettings } from '@orrery/config';
import { databaseOptionsFrom } from './infrastructure-options';

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
