import {
  buildPostgresUrl,
  type DatabaseLocation,
  parseDatabaseUrl,
  pgliteDefaultDir,
  sqliteRefused,
} from './connection-url.parsers';
import { booleanForm, choiceForm, integerForm, numberForm, textForm } from './setting.forms';
import { SettingsError } from './settings.error';
import { type RawSetting, type SettingsReader } from './settings.reader';
import { type DatabaseSettings } from './settings.types';

const PASSWORD_PLACEHOLDERS = ['${PREFECT_API_DATABASE_PASSWORD}', '${PREFECT_SERVER_DATABASE_PASSWORD}'];

/**
 * Prefect lets the URL reference the password setting (`postgresql+asyncpg://u:${PREFECT_SERVER_DATABASE_PASSWORD}@db/x`)
 * so the secret can come from its own variable; the value is substituted as-is, like upstream does.
 */
function withPasswordPlaceholders(found: RawSetting, password: string | null): RawSetting {
  if (!PASSWORD_PLACEHOLDERS.some((placeholder) => found.raw.includes(placeholder))) return found;
  if (password === null) {
    throw new SettingsError(
      'PREFECT_SERVER_DATABASE_PASSWORD',
      `expected a password because ${found.variable} refers to it, got nothing`,
    );
  }
  const raw = PASSWORD_PLACEHOLDERS.reduce(
    (url, placeholder) => url.split(placeholder).join(password),
    found.raw,
  );
  return { variable: found.variable, raw };
}

/**
 * `server.database.*`. Where the data lives: a PostgreSQL URL (asyncpg/psycopg spellings
 * normalised), one built from the discrete fields, an explicit `pglite://` directory, or — when
 * nothing is set — the embedded PGlite database under PREFECT_HOME.
 */
export function readDatabaseSettings(r: SettingsReader, home: string): DatabaseSettings {
  const urlPath = 'server.database.connection_url';
  const rawUrl = r.read(urlPath, textForm(), {
    default: null,
    defaultText: '— (embedded PGlite at $PREFECT_HOME/orrery-pglite)',
    aliases: ['PREFECT_API_DATABASE_CONNECTION_URL'],
    secret: true,
    url: true,
    description:
      'Secret. postgresql:// (postgresql+asyncpg:// and postgres:// accepted) or pglite://<dir>; may contain ${PREFECT_SERVER_DATABASE_PASSWORD}; sqlite is refused',
  });
  const driverPath = 'server.database.driver';
  const driver = r.read(driverPath, choiceForm(['postgresql+asyncpg', 'sqlite+aiosqlite'] as const), {
    default: null,
    aliases: ['PREFECT_API_DATABASE_DRIVER'],
    description: 'With postgresql+asyncpg, build the URL from HOST/PORT/USER/PASSWORD/NAME',
  });
  const host = r.read('server.database.host', textForm(), {
    default: null,
    aliases: ['PREFECT_API_DATABASE_HOST'],
    description: 'Database host (with DRIVER)',
  });
  const port = r.read('server.database.port', integerForm({ min: 1, max: 65535 }), {
    default: null,
    defaultText: '— (5432)',
    aliases: ['PREFECT_API_DATABASE_PORT'],
    description: 'Database port (with DRIVER)',
  });
  const user = r.read('server.database.user', textForm(), {
    default: null,
    aliases: ['PREFECT_API_DATABASE_USER'],
    description: 'Database user (with DRIVER)',
  });
  const name = r.read('server.database.name', textForm(), {
    default: null,
    aliases: ['PREFECT_API_DATABASE_NAME'],
    description: 'Database name (with DRIVER)',
  });
  const password = r.read('server.database.password', textForm(), {
    default: null,
    aliases: ['PREFECT_API_DATABASE_PASSWORD'],
    secret: true,
    description: 'Secret. Database password (with DRIVER)',
  });

  let location: DatabaseLocation;
  const urlFound = r.rawOf(urlPath);
  if (rawUrl !== null && urlFound !== undefined) {
    location = parseDatabaseUrl(withPasswordPlaceholders(urlFound, password), home);
  } else if (driver === 'sqlite+aiosqlite') {
    throw sqliteRefused(r.rawOf(driverPath)!);
  } else if (driver === 'postgresql+asyncpg') {
    if (host === null) {
      throw new SettingsError(
        'PREFECT_SERVER_DATABASE_HOST',
        `expected a host name because PREFECT_SERVER_DATABASE_DRIVER is postgresql+asyncpg, got nothing`,
      );
    }
    location = {
      kind: 'postgres',
      connectionUrl: buildPostgresUrl({ host, port, user, password, name }),
      pgliteDataDir: null,
    };
  } else {
    location = { kind: 'pglite', connectionUrl: null, pgliteDataDir: pgliteDefaultDir(home) };
  }

  const timeout = (path: string, fallback: number, description: string, aliases: string[] = []): number =>
    r.read(path, numberForm({ above: 0 }), { default: fallback, aliases, description });
  const optionalText = (path: string, description: string): string | null =>
    r.read(path, textForm(), { default: null, description });
  const cacheSize = (path: string, description: string): number | null =>
    r.read(path, integerForm({ min: 0 }), { default: null, description });

  return {
    ...location,
    driver,
    host,
    port,
    user,
    name,
    password,
    echo: r.read('server.database.echo', booleanForm(), {
      default: false,
      aliases: ['PREFECT_API_DATABASE_ECHO'],
      description: 'Log every SQL statement',
    }),
    migrateOnStart: r.read('server.database.migrate_on_start', booleanForm(), {
      default: true,
      aliases: ['PREFECT_API_DATABASE_MIGRATE_ON_START'],
      description:
        'Run migrations at start-up (turn off in HA; run `orrery server database upgrade -y` once)',
    }),
    timeout: timeout('server.database.timeout', 10, 'Statement timeout in seconds', [
      'PREFECT_API_DATABASE_TIMEOUT',
    ]),
    connectionTimeout: timeout('server.database.connection_timeout', 5, 'Connect timeout in seconds', [
      'PREFECT_API_DATABASE_CONNECTION_TIMEOUT',
    ]),
    migrationTimeout: r.read('server.database.migration_timeout', numberForm({ above: 0 }), {
      default: null,
      description: 'Statement timeout for migrations (unset = none)',
    }),
    sqlalchemy: {
      poolSize: r.read('server.database.sqlalchemy.pool_size', integerForm({ min: 1 }), {
        default: 5,
        aliases: ['PREFECT_SQLALCHEMY_POOL_SIZE'],
        description: 'Connections kept in the pool',
      }),
      maxOverflow: r.read('server.database.sqlalchemy.max_overflow', integerForm({ min: 0 }), {
        default: 10,
        aliases: ['PREFECT_SQLALCHEMY_MAX_OVERFLOW'],
        description: 'Extra connections allowed above the pool size',
      }),
      poolRecycle: r.read('server.database.sqlalchemy.pool_recycle', integerForm({ min: 0 }), {
        default: 3600,
        description: 'Seconds after which a pooled connection is replaced (0 = never)',
      }),
      poolTimeout: timeout(
        'server.database.sqlalchemy.pool_timeout',
        30,
        'Seconds to wait for a free pooled connection',
      ),
      connectArgs: {
        applicationName: optionalText(
          'server.database.sqlalchemy.connect_args.application_name',
          'PostgreSQL application_name of server connections',
        ),
        searchPath: optionalText(
          'server.database.sqlalchemy.connect_args.search_path',
          'PostgreSQL search_path',
        ),
        statementCacheSize: cacheSize(
          'server.database.sqlalchemy.connect_args.statement_cache_size',
          'Named prepared statements kept per PostgreSQL connection (100 when unset); 0 turns them off, as PgBouncer in transaction mode needs',
        ),
        preparedStatementCacheSize: cacheSize(
          'server.database.sqlalchemy.connect_args.prepared_statement_cache_size',
          'Read when the statement cache size is unset; 0 also turns named prepared statements off',
        ),
        tls: {
          enabled: r.read('server.database.sqlalchemy.connect_args.tls.enabled', booleanForm(), {
            default: false,
            description: 'Connect to PostgreSQL over (m)TLS',
          }),
          caFile: optionalText(
            'server.database.sqlalchemy.connect_args.tls.ca_file',
            'CA bundle for the server certificate',
          ),
          certFile: optionalText(
            'server.database.sqlalchemy.connect_args.tls.cert_file',
            'Client certificate (mTLS)',
          ),
          keyFile: optionalText('server.database.sqlalchemy.connect_args.tls.key_file', 'Client key (mTLS)'),
          checkHostname: r.read('server.database.sqlalchemy.connect_args.tls.check_hostname', booleanForm(), {
            default: true,
            description: 'Verify the server host name',
          }),
        },
      },
    },
  };
}
