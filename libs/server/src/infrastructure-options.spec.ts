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
