import { homedir } from 'node:os';
import { join } from 'node:path';
import { renderSettingsMarkdown } from './settings.doc';
import { loadSettings, settingDefinitions, settingsWithoutEffect } from './settings.loader';
import { SettingsError } from './settings.error';

/** The SettingsError message loadSettings throws for `env`, or a failure if it does not throw one. */
function errorFor(env: NodeJS.ProcessEnv): string {
  try {
    loadSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) return error.message;
    throw error;
  }
  throw new Error('expected a SettingsError');
}

describe('loadSettings defaults', () => {
  const settings = loadSettings({});

  it('puts home under ~/.prefect and the embedded database inside it', () => {
    expect(settings.home).toBe(join(homedir(), '.prefect'));
    expect(settings.server.database).toMatchObject({
      kind: 'pglite',
      connectionUrl: null,
      pgliteDataDir: join(homedir(), '.prefect', 'orrery-pglite'),
      migrateOnStart: true,
      timeout: 10,
      connectionTimeout: 5,
    });
    expect(settings.server.database.sqlalchemy.poolSize).toBe(5);
    expect(settings.mode).toBe('embedded');
  });

  it('uses the spec defaults for the API, logging and UI', () => {
    expect(settings.server.api).toMatchObject({
      host: '127.0.0.1',
      port: 4200,
      basePath: null,
      authString: null,
      defaultLimit: 200,
      keepaliveTimeout: 5,
      csrfProtectionEnabled: false,
      csrfTokenExpiration: 3600,
      corsAllowedOrigins: ['*'],
      websocketPingInterval: 20,
      websocketPingTimeout: 20,
      maxParameterSize: 524288,
      maxJsonDepth: 100,
      maxJsonValues: 20000,
      maxBulkItems: 100000,
      maxBodySize: 2097152,
      maxBulkBodySize: 16777216,
    });
    expect(settings.server.loggingLevel).toBe('WARNING');
    expect(settings.logging.level).toBe('INFO');
    expect(settings.server.metricsEnabled).toBe(false);
    expect(settings.server.analyticsEnabled).toBe(true);
    expect(settings.server.registerBlocksOnStart).toBe(true);
    expect(settings.server.ui.enabled).toBe(true);
    expect(settings.server.tasks.tagConcurrencySlotWaitSeconds).toBe(10);
    expect(settings.server.tasks.maxCacheKeyLength).toBe(2000);
    expect(settings.server.deployments.concurrencySlotWaitSeconds).toBe(30);
    expect(settings.server.concurrency.initialDeploymentLeaseDuration).toBe(300);
    expect(settings.server.deploymentScheduleMaxScheduledRuns).toBe(50);
  });

  it('uses the spec defaults for events, messaging and services', () => {
    expect(settings.server.events).toMatchObject({
      retentionPeriod: 7 * 86400,
      messagingBroker: 'memory',
      messagingCache: 'memory',
      causalOrdering: 'memory',
      streamOutEnabled: true,
      maximumWebsocketBackfill: 900,
    });
    expect(settings.server.docket).toEqual({ name: 'prefect-server', url: 'memory://', kind: 'memory' });
    expect(settings.server.concurrency.leaseStorage).toBe('memory');
    expect(settings.server.workerChannel.cleanupQueueStorage).toBe('memory');
    expect(settings.redis.messaging.url).toBe('redis://localhost:6379/0');
    expect(settings.server.services.lateRuns).toEqual({ enabled: true, loopSeconds: 5, afterSeconds: 15 });
    expect(settings.server.services.scheduler).toMatchObject({
      loopSeconds: 60,
      maxScheduledTime: 100 * 86400,
      minScheduledTime: 3600,
      recentDeploymentsLoopSeconds: 5,
    });
    expect(settings.server.services.dbVacuum).toEqual({
      enabled: ['events'],
      loopSeconds: 3600,
      retentionPeriod: 90 * 86400,
      batchSize: 200,
      eventRetentionOverrides: { 'prefect.flow-run.heartbeat': 604800 },
    });
    expect(settings.server.services.eventLogger.enabled).toBe(false);
    expect(settings.server.services.eventPersister.queueMaxSize).toBe(50000);
  });

  it('returns a frozen tree', () => {
    expect(Object.isFrozen(settings.server.api)).toBe(true);
    expect(Object.isFrozen(settings.server.services.dbVacuum.enabled)).toBe(true);
  });

  it('ignores unknown PREFECT_* variables', () => {
    expect(loadSettings({ PREFECT_SOMETHING_NEW: 'x', PREFECT_API_KEY: 'k' }).server.api.port).toBe(4200);
  });
});

describe('PREFECT_HOME', () => {
  it('expands ~ and moves the derived paths along', () => {
    const settings = loadSettings({ PREFECT_HOME: '~/orrery-home' });
    expect(settings.home).toBe(join(homedir(), 'orrery-home'));
    expect(settings.server.database.pgliteDataDir).toBe(join(homedir(), 'orrery-home', 'orrery-pglite'));
    expect(settings.server.memoStorePath).toBe(join(homedir(), 'orrery-home', 'memo_store.toml'));
  });
});

describe('precedence: canonical > alias > default', () => {
  const cases: [string, string, (s: ReturnType<typeof loadSettings>) => unknown, unknown, unknown][] = [
    [
      'PREFECT_SERVER_DATABASE_CONNECTION_URL',
      'PREFECT_API_DATABASE_CONNECTION_URL',
      (s) => s.server.database.connectionUrl,
      'postgresql://a@h1/db',
      'postgresql://a@h2/db',
    ],
    [
      'PREFECT_SERVER_EVENTS_MESSAGING_BROKER',
      'PREFECT_MESSAGING_BROKER',
      (s) => s.server.events.messagingBroker,
      'redis',
      'memory',
    ],
    [
      'PREFECT_SERVER_EVENTS_MESSAGING_CACHE',
      'PREFECT_MESSAGING_CACHE',
      (s) => s.server.events.messagingCache,
      'redis',
      'memory',
    ],
    [
      'PREFECT_SERVER_METRICS_ENABLED',
      'PREFECT_API_ENABLE_METRICS',
      (s) => s.server.metricsEnabled,
      true,
      false,
    ],
    ['PREFECT_SERVER_UI_ENABLED', 'PREFECT_UI_ENABLED', (s) => s.server.ui.enabled, true, false],
    [
      'PREFECT_SERVER_LOGGING_LEVEL',
      'PREFECT_LOGGING_SERVER_LEVEL',
      (s) => s.server.loggingLevel,
      'DEBUG',
      'ERROR',
    ],
    [
      'PREFECT_SERVER_DATABASE_SQLALCHEMY_POOL_SIZE',
      'PREFECT_SQLALCHEMY_POOL_SIZE',
      (s) => s.server.database.sqlalchemy.poolSize,
      7,
      9,
    ],
    [
      'PREFECT_SERVER_DATABASE_MIGRATE_ON_START',
      'PREFECT_API_DATABASE_MIGRATE_ON_START',
      (s) => s.server.database.migrateOnStart,
      true,
      false,
    ],
    [
      'PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED',
      'PREFECT_API_EVENTS_STREAM_OUT_ENABLED',
      (s) => s.server.events.streamOutEnabled,
      true,
      false,
    ],
    [
      'PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED',
      'PREFECT_SERVER_CSRF_PROTECTION_ENABLED',
      (s) => s.server.api.csrfProtectionEnabled,
      true,
      false,
    ],
    [
      'PREFECT_SERVER_EVENTS_RETENTION_PERIOD',
      'PREFECT_EVENTS_RETENTION_PERIOD',
      (s) => s.server.events.retentionPeriod,
      3600,
      7200,
    ],
    [
      'PREFECT_SERVER_TASKS_TAG_CONCURRENCY_SLOT_WAIT_SECONDS',
      'PREFECT_TASK_RUN_TAG_CONCURRENCY_SLOT_WAIT_SECONDS',
      (s) => s.server.tasks.tagConcurrencySlotWaitSeconds,
      1,
      2,
    ],
    [
      'PREFECT_SERVER_TASKS_MAX_CACHE_KEY_LENGTH',
      'PREFECT_API_TASK_CACHE_KEY_MAX_LENGTH',
      (s) => s.server.tasks.maxCacheKeyLength,
      10,
      20,
    ],
    [
      'PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS',
      'PREFECT_DEPLOYMENT_CONCURRENCY_SLOT_WAIT_SECONDS',
      (s) => s.server.deployments.concurrencySlotWaitSeconds,
      1,
      2,
    ],
    [
      'PREFECT_SERVER_SERVICES_LATE_RUNS_LOOP_SECONDS',
      'PREFECT_API_SERVICES_LATE_RUNS_LOOP_SECONDS',
      (s) => s.server.services.lateRuns.loopSeconds,
      7,
      9,
    ],
    [
      'PREFECT_SERVER_SERVICES_REPOSSESSOR_LOOP_SECONDS',
      'PREFECT_API_SERVICES_REPOSSESSOR_LOOP_SECONDS',
      (s) => s.server.services.repossessor.loopSeconds,
      7,
      9,
    ],
  ];
  const raw = (value: unknown): string =>
    typeof value === 'string' && value.startsWith('postgresql://')
      ? value
      : value === 'redis'
        ? 'prefect_redis.messaging'
        : value === 'memory'
          ? 'prefect.server.utilities.messaging.memory'
          : String(value);

  it.each(cases)(
    '%s wins over %s, which wins over the default',
    (canonical, alias, pick, canonicalValue, aliasValue) => {
      expect(pick(loadSettings({ [canonical]: raw(canonicalValue), [alias]: raw(aliasValue) }))).toEqual(
        canonicalValue,
      );
      expect(pick(loadSettings({ [alias]: raw(aliasValue) }))).toEqual(aliasValue);
      expect(pick(loadSettings({ [canonical]: '', [alias]: raw(aliasValue) }))).toEqual(aliasValue);
    },
  );

  it('names the alias in the error when the bad value came from the alias', () => {
    expect(errorFor({ PREFECT_API_SERVICES_LATE_RUNS_LOOP_SECONDS: 'soon' })).toBe(
      'PREFECT_API_SERVICES_LATE_RUNS_LOOP_SECONDS: expected a number greater than 0, got "soon"',
    );
    expect(errorFor({ PREFECT_SQLALCHEMY_POOL_SIZE: '0' })).toBe(
      'PREFECT_SQLALCHEMY_POOL_SIZE: expected an integer of at least 1, got "0"',
    );
  });

  it('does not read an alias at all when the canonical value is good', () => {
    expect(loadSettings({ PREFECT_SERVER_API_PORT: '4300' }).server.api.port).toBe(4300);
    expect(
      loadSettings({ PREFECT_SERVER_UI_ENABLED: 'false', PREFECT_UI_ENABLED: 'garbage' }).server.ui.enabled,
    ).toBe(false);
  });
});

describe('error lines', () => {
  it.each([
    [
      { PREFECT_SERVER_API_PORT: 'abc' },
      'PREFECT_SERVER_API_PORT: expected an integer between 1 and 65535, got "abc"',
    ],
    [
      { PREFECT_SERVER_API_PORT: '70000' },
      'PREFECT_SERVER_API_PORT: expected an integer between 1 and 65535, got "70000"',
    ],
    [
      { PREFECT_SERVER_UI_ENABLED: 'maybe' },
      'PREFECT_SERVER_UI_ENABLED: expected true or false (also 1/0, yes/no, on/off), got "maybe"',
    ],
    [
      { PREFECT_SERVER_LOGGING_LEVEL: 'LOUD' },
      'PREFECT_SERVER_LOGGING_LEVEL: expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got "LOUD"',
    ],
    [
      { PREFECT_SERVER_API_WEBSOCKET_PING_INTERVAL: '1.2.3' },
      'PREFECT_SERVER_API_WEBSOCKET_PING_INTERVAL: expected a number greater than 0, got "1.2.3"',
    ],
    [
      { PREFECT_SERVER_EVENTS_RETENTION_PERIOD: 'a week' },
      'PREFECT_SERVER_EVENTS_RETENTION_PERIOD: expected a duration greater than 0 seconds as a number of seconds (e.g. 3600) or ISO-8601 (e.g. PT1H, P7D), got "a week"',
    ],
    [
      { PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD: 'PT30M' },
      'PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD: expected a duration greater than 3600 seconds as a number of seconds (e.g. 3600) or ISO-8601 (e.g. PT1H, P7D), got "PT30M"',
    ],
    [
      { PREFECT_SERVER_SERVICES_DB_VACUUM_EVENT_RETENTION_OVERRIDES: '{"a":' },
      'PREFECT_SERVER_SERVICES_DB_VACUUM_EVENT_RETENTION_OVERRIDES: expected a JSON object mapping names to positive durations in seconds, e.g. {"prefect.flow-run.heartbeat": 604800}, got "{\\"a\\":"',
    ],
    [
      { PREFECT_SERVER_CONCURRENCY_INITIAL_DEPLOYMENT_LEASE_DURATION: '10' },
      'PREFECT_SERVER_CONCURRENCY_INITIAL_DEPLOYMENT_LEASE_DURATION: expected a number between 30 and 3600, got "10"',
    ],
  ])('%j → one line', (env, message) => {
    const line = errorFor(env);
    expect(line).toBe(message);
    expect(line).not.toContain('\n');
  });

  it('reports the first bad variable in reading order', () => {
    expect(
      errorFor({ PREFECT_SERVER_SERVICES_LATE_RUNS_LOOP_SECONDS: 'x', PREFECT_SERVER_API_PORT: 'abc' }),
    ).toMatch(/^PREFECT_SERVER_API_PORT:/);
  });

  it('never echoes a secret that fails validation', () => {
    const line = errorFor({ PREFECT_SERVER_DATABASE_CONNECTION_URL: 'mysql://root:hunter2@db/prefect' });
    expect(line).toMatch(/^PREFECT_SERVER_DATABASE_CONNECTION_URL: expected a PostgreSQL URL/);
    expect(line).toContain('mysql://root:********@db/prefect');
    expect(line).not.toContain('hunter2');
  });
});

describe('database', () => {
  it.each([
    ['postgresql+asyncpg://prefect:secret@db:5432/prefect', 'postgresql://prefect:secret@db:5432/prefect'],
    ['postgresql+psycopg://prefect:secret@db/prefect', 'postgresql://prefect:secret@db/prefect'],
    ['postgres://u@db/prefect', 'postgresql://u@db/prefect'],
    ['postgresql://u:p%40ss@db:6543/x', 'postgresql://u:p%40ss@db:6543/x'],
    ['postgresql+asyncpg://u@db/x?ssl=require', 'postgresql://u@db/x?sslmode=require'],
  ])('normalises %s', (input, expected) => {
    const database = loadSettings({ PREFECT_API_DATABASE_CONNECTION_URL: input }).server.database;
    expect(database.kind).toBe('postgres');
    expect(database.connectionUrl).toBe(expected);
    expect(database.pgliteDataDir).toBeNull();
  });

  it('makes the mode external with PostgreSQL', () => {
    expect(loadSettings({ PREFECT_SERVER_DATABASE_CONNECTION_URL: 'postgresql://db/x' }).mode).toBe(
      'external',
    );
  });

  it('refuses SQLite with a line that explains the embedded default', () => {
    const line = errorFor({
      PREFECT_API_DATABASE_CONNECTION_URL: 'sqlite+aiosqlite:////root/.prefect/prefect.db',
    });
    expect(line).toMatch(/^PREFECT_API_DATABASE_CONNECTION_URL: SQLite is not supported/);
    expect(line).toContain('PGlite');
    expect(line).toContain('$PREFECT_HOME');
    expect(line).toContain('unset it');
    expect(line).not.toContain('\n');
    expect(errorFor({ PREFECT_SERVER_DATABASE_DRIVER: 'sqlite+aiosqlite' })).toMatch(
      /^PREFECT_SERVER_DATABASE_DRIVER: SQLite is not supported/,
    );
  });

  it('accepts pglite:// for an explicit embedded directory', () => {
    expect(
      loadSettings({ PREFECT_SERVER_DATABASE_CONNECTION_URL: 'pglite:///var/lib/orrery' }).server.database,
    ).toMatchObject({
      kind: 'pglite',
      pgliteDataDir: '/var/lib/orrery',
      connectionUrl: null,
    });
    expect(
      loadSettings({ PREFECT_SERVER_DATABASE_CONNECTION_URL: 'pglite://~/db' }).server.database.pgliteDataDir,
    ).toBe(join(homedir(), 'db'));
    expect(
      loadSettings({ PREFECT_SERVER_DATABASE_CONNECTION_URL: 'pglite://memory' }).server.database
        .pgliteDataDir,
    ).toBe('memory://');
  });

  it('builds the URL from the discrete fields when the driver is postgresql+asyncpg', () => {
    const database = loadSettings({
      PREFECT_SERVER_DATABASE_DRIVER: 'postgresql+asyncpg',
      PREFECT_SERVER_DATABASE_HOST: 'db.internal',
      PREFECT_SERVER_DATABASE_USER: 'prefect',
      PREFECT_SERVER_DATABASE_PASSWORD: 'p@ss/word',
      PREFECT_API_DATABASE_NAME: 'orchestration',
    }).server.database;
    expect(database.kind).toBe('postgres');
    expect(database.connectionUrl).toBe('postgresql://prefect:p%40ss%2Fword@db.internal:5432/orchestration');
    expect(
      loadSettings({
        PREFECT_SERVER_DATABASE_DRIVER: 'postgresql+asyncpg',
        PREFECT_SERVER_DATABASE_HOST: 'db',
        PREFECT_SERVER_DATABASE_PORT: '6543',
      }).server.database.connectionUrl,
    ).toBe('postgresql://db:6543/');
  });

  it('lets the URL win over the discrete fields', () => {
    const database = loadSettings({
      PREFECT_SERVER_DATABASE_CONNECTION_URL: 'postgresql://url-host/x',
      PREFECT_SERVER_DATABASE_DRIVER: 'postgresql+asyncpg',
      PREFECT_SERVER_DATABASE_HOST: 'field-host',
    }).server.database;
    expect(database.connectionUrl).toBe('postgresql://url-host/x');
  });

  it('substitutes the password placeholder Prefect allows in the URL', () => {
    expect(
      loadSettings({
        PREFECT_API_DATABASE_CONNECTION_URL:
          'postgresql+asyncpg://prefect:${PREFECT_API_DATABASE_PASSWORD}@db/prefect',
        PREFECT_API_DATABASE_PASSWORD: 'pw',
      }).server.database.connectionUrl,
    ).toBe('postgresql://prefect:pw@db/prefect');
    expect(
      loadSettings({
        PREFECT_SERVER_DATABASE_CONNECTION_URL:
          'postgresql://prefect:${PREFECT_SERVER_DATABASE_PASSWORD}@db/prefect',
        PREFECT_SERVER_DATABASE_PASSWORD: 'pw2',
      }).server.database.connectionUrl,
    ).toBe('postgresql://prefect:pw2@db/prefect');
    expect(
      errorFor({
        PREFECT_SERVER_DATABASE_CONNECTION_URL: 'postgresql://u:${PREFECT_SERVER_DATABASE_PASSWORD}@db/x',
      }),
    ).toBe(
      'PREFECT_SERVER_DATABASE_PASSWORD: expected a password because PREFECT_SERVER_DATABASE_CONNECTION_URL refers to it, got nothing',
    );
  });

  it('asks for a host when the driver is set without one', () => {
    expect(errorFor({ PREFECT_SERVER_DATABASE_DRIVER: 'postgresql+asyncpg' })).toMatch(
      /^PREFECT_SERVER_DATABASE_HOST: /,
    );
  });
});

describe('redis messaging connection', () => {
  it('builds one URL from the discrete fields', () => {
    const redis = loadSettings({
      PREFECT_REDIS_MESSAGING_HOST: 'cache',
      PREFECT_REDIS_MESSAGING_PORT: '6380',
      PREFECT_REDIS_MESSAGING_DB: '2',
      PREFECT_REDIS_MESSAGING_PASSWORD: 's3cr:t',
      PREFECT_REDIS_MESSAGING_SSL: 'true',
    }).redis.messaging;
    expect(redis.url).toBe('rediss://:s3cr%3At@cache:6380/2');
    expect(loadSettings({ PREFECT_REDIS_MESSAGING_USERNAME: 'app' }).redis.messaging.url).toBe(
      'redis://app@localhost:6379/0',
    );
  });

  it('lets PREFECT_REDIS_MESSAGING_URL override the fields', () => {
    const redis = loadSettings({
      PREFECT_REDIS_MESSAGING_URL: 'rediss://:pw@r.example:6390/3',
      PREFECT_REDIS_MESSAGING_HOST: 'ignored',
    }).redis.messaging;
    expect(redis.url).toBe('rediss://:pw@r.example:6390/3');
  });

  it('refuses Redis Cluster URLs with a clear line', () => {
    const line = errorFor({ PREFECT_REDIS_MESSAGING_URL: 'redis+cluster://:pw@node1:7000' });
    expect(line).toMatch(
      /^PREFECT_REDIS_MESSAGING_URL: Redis Cluster URLs \(redis\+cluster:\/\/\) are not supported/,
    );
    expect(line).not.toContain(':pw@');
    expect(errorFor({ PREFECT_SERVER_DOCKET_URL: 'rediss+cluster://node1:7000' })).toMatch(
      /^PREFECT_SERVER_DOCKET_URL: Redis Cluster URLs/,
    );
  });

  it('refuses other schemes', () => {
    expect(errorFor({ PREFECT_REDIS_MESSAGING_URL: 'http://cache' })).toBe(
      'PREFECT_REDIS_MESSAGING_URL: expected a Redis URL (redis://[user:password@]host:6379/0, or rediss:// for TLS), got "http://cache"',
    );
  });

  it('reads the worker cleanup queue connection separately', () => {
    const settings = loadSettings({
      PREFECT_REDIS_WORKER_CLEANUP_QUEUE_HOST: 'other',
      PREFECT_REDIS_MESSAGING_HOST: 'main',
    });
    expect(settings.redis.workerCleanupQueue.url).toBe('redis://other:6379/0');
    expect(settings.redis.workerCleanupQueue.keyPrefix).toBe('prefect:worker-cleanup');
    expect(settings.redis.messaging.url).toBe('redis://main:6379/0');
  });
});

describe('backends named by Prefect module path', () => {
  it.each([
    [
      'PREFECT_SERVER_EVENTS_MESSAGING_BROKER',
      'prefect_redis.messaging',
      (s: ReturnType<typeof loadSettings>) => s.server.events.messagingBroker,
      'redis',
    ],
    [
      'PREFECT_SERVER_EVENTS_MESSAGING_BROKER',
      'prefect.server.utilities.messaging.memory',
      (s: ReturnType<typeof loadSettings>) => s.server.events.messagingBroker,
      'memory',
    ],
    [
      'PREFECT_SERVER_EVENTS_MESSAGING_BROKER',
      'REDIS',
      (s: ReturnType<typeof loadSettings>) => s.server.events.messagingBroker,
      'redis',
    ],
    [
      'PREFECT_SERVER_EVENTS_CAUSAL_ORDERING',
      'prefect_redis.ordering',
      (s: ReturnType<typeof loadSettings>) => s.server.events.causalOrdering,
      'redis',
    ],
    [
      'PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE',
      'prefect_redis.lease_storage',
      (s: ReturnType<typeof loadSettings>) => s.server.concurrency.leaseStorage,
      'redis',
    ],
    [
      'PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE',
      'prefect.server.concurrency.lease_storage.memory',
      (s: ReturnType<typeof loadSettings>) => s.server.concurrency.leaseStorage,
      'memory',
    ],
    [
      'PREFECT_SERVER_WORKER_CHANNEL_CLEANUP_QUEUE_STORAGE',
      'prefect_redis.cleanup_queue',
      (s: ReturnType<typeof loadSettings>) => s.server.workerChannel.cleanupQueueStorage,
      'redis',
    ],
    [
      'PREFECT_SERVER_WORKER_CHANNEL_CLEANUP_QUEUE_STORAGE',
      'memory',
      (s: ReturnType<typeof loadSettings>) => s.server.workerChannel.cleanupQueueStorage,
      'memory',
    ],
  ])('%s=%s → %s', (variable, value, pick, expected) => {
    expect(pick(loadSettings({ [variable]: value }))).toBe(expected);
  });

  it('refuses an unknown module', () => {
    expect(errorFor({ PREFECT_MESSAGING_BROKER: 'prefect_kafka.messaging' })).toMatch(
      /^PREFECT_MESSAGING_BROKER: expected memory or redis \(or a Prefect module path: .*prefect_redis\.messaging\), got "prefect_kafka\.messaging"$/,
    );
  });

  it('makes the mode external when the broker is Redis', () => {
    expect(loadSettings({ PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging' }).mode).toBe('external');
  });

  it('reads the docket URL', () => {
    expect(loadSettings({ PREFECT_SERVER_DOCKET_URL: 'redis://cache:6379/1' }).server.docket).toEqual({
      name: 'prefect-server',
      url: 'redis://cache:6379/1',
      kind: 'redis',
    });
    expect(errorFor({ PREFECT_SERVER_DOCKET_URL: 'amqp://x' })).toMatch(
      /^PREFECT_SERVER_DOCKET_URL: expected memory:\/\//,
    );
  });
});

describe('PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED', () => {
  it.each([
    ['events', ['events']],
    ['flow_runs', ['flow_runs']],
    ['flow_runs, events', ['events', 'flow_runs']],
    ['["events","flow_runs"]', ['events', 'flow_runs']],
    ['[]', []],
    ['true', ['events', 'flow_runs']],
    ['TRUE', ['events', 'flow_runs']],
    ['1', ['events', 'flow_runs']],
    ['false', ['events']],
    ['0', ['events']],
  ])('%s → %j', (raw, expected) => {
    expect(
      loadSettings({ PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED: raw }).server.services.dbVacuum.enabled,
    ).toEqual(expected);
  });

  it('refuses unknown targets', () => {
    expect(errorFor({ PREFECT_API_SERVICES_DB_VACUUM_ENABLED: 'events,logs' })).toBe(
      'PREFECT_API_SERVICES_DB_VACUUM_ENABLED: expected a comma-separated list or JSON list of events, flow_runs (or true/false), got "events,logs"',
    );
  });
});

describe('durations and overrides', () => {
  it('accepts ISO-8601 and seconds', () => {
    const settings = loadSettings({
      PREFECT_SERVER_EVENTS_RETENTION_PERIOD: 'P14D',
      PREFECT_SERVER_SERVICES_SCHEDULER_MAX_SCHEDULED_TIME: 'PT12H',
      PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS: '2.5',
      PREFECT_SERVER_SERVICES_DB_VACUUM_EVENT_RETENTION_OVERRIDES: '{"prefect.log.write": "P1D", "x.y": 60}',
    });
    expect(settings.server.events.retentionPeriod).toBe(14 * 86400);
    expect(settings.server.services.scheduler.maxScheduledTime).toBe(12 * 3600);
    expect(settings.server.services.lateRuns.afterSeconds).toBe(2.5);
    expect(settings.server.services.dbVacuum.eventRetentionOverrides).toEqual({
      'prefect.log.write': 86400,
      'x.y': 60,
    });
  });
});

describe('settingDefinitions', () => {
  const definitions = settingDefinitions();

  it('names every variable PREFECT_<PATH> and never twice', () => {
    const names = definitions.flatMap((definition) => [definition.env, ...definition.aliases]);
    expect(new Set(names).size).toBe(names.length);
    for (const definition of definitions) {
      expect(definition.env).toBe(`PREFECT_${definition.path.toUpperCase().replace(/\./g, '_')}`);
    }
  });

  it('gives every services setting the legacy PREFECT_API_SERVICES_ alias', () => {
    const services = definitions.filter((definition) =>
      definition.env.startsWith('PREFECT_SERVER_SERVICES_'),
    );
    expect(services.length).toBeGreaterThan(40);
    for (const definition of services) {
      expect(definition.aliases).toContain(
        definition.env.replace('PREFECT_SERVER_SERVICES_', 'PREFECT_API_SERVICES_'),
      );
    }
  });

  it('covers every variable of spec §7 and §8.5', () => {
    const names = new Set(definitions.flatMap((definition) => [definition.env, ...definition.aliases]));
    for (const name of [
      'PREFECT_SERVER_DATABASE_CONNECTION_URL',
      'PREFECT_API_DATABASE_CONNECTION_URL',
      'PREFECT_SERVER_DATABASE_SQLALCHEMY_CONNECT_ARGS_TLS_CHECK_HOSTNAME',
      'PREFECT_SERVER_DATABASE_MIGRATION_TIMEOUT',
      'PREFECT_SERVER_API_CSRF_TOKEN_EXPIRATION',
      'PREFECT_SERVER_UI_V2_ENABLED',
      'PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT',
      'PREFECT_UI_URL',
      'PREFECT_API_URL',
      'PREFECT_SERVER_LOG_RETRYABLE_ERRORS',
      'PREFECT_SERVER_EVENTS_MAXIMUM_EVENT_NAME_LENGTH',
      'PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED',
      'PREFECT_SERVER_DOCKET_NAME',
      'PREFECT_SERVER_CONCURRENCY_MAXIMUM_CONCURRENCY_SLOT_WAIT_SECONDS',
      'PREFECT_SERVER_WORKER_CHANNEL_CLEANUP_COMPLETED_IDEMPOTENCY_RETENTION_SECONDS',
      'PREFECT_REDIS_MESSAGING_SOCKET_CONNECT_TIMEOUT',
      'PREFECT_REDIS_MESSAGING_PUBLISHER_DEDUPLICATE_BY',
      'PREFECT_REDIS_MESSAGING_CONSUMER_AUTOMATICALLY_ACKNOWLEDGE',
      'PREFECT_REDIS_WORKER_CLEANUP_QUEUE_KEY_PREFIX',
      'PREFECT_SERVER_SERVICES_TRIGGERS_PG_NOTIFY_HEARTBEAT_INTERVAL_SECONDS',
      'PREFECT_SERVER_TASKS_SCHEDULING_PENDING_TASK_TIMEOUT',
      'PREFECT_SERVER_EPHEMERAL_ENABLED',
      'PREFECT_DEPLOYMENT_SCHEDULE_MAX_SCHEDULED_RUNS',
    ]) {
      expect(names).toContain(name);
    }
  });
});

describe('settings accepted for compatibility without effect', () => {
  it('reports each one set to something other than its default, with its reason', () => {
    expect(
      settingsWithoutEffect({
        PREFECT_SERVER_ANALYTICS_ENABLED: 'false',
        PREFECT_REDIS_MESSAGING_PROTOCOL: '2',
        PREFECT_SERVER_SERVICES_EVENT_PERSISTER_QUEUE_MAX_SIZE: '10',
        PREFECT_SERVER_API_PORT: '4300',
      }),
    ).toEqual([
      {
        variable: 'PREFECT_SERVER_ANALYTICS_ENABLED',
        reason: expect.stringMatching(/sends nothing anywhere/),
      },
      {
        variable: 'PREFECT_SERVER_SERVICES_EVENT_PERSISTER_QUEUE_MAX_SIZE',
        reason: expect.stringMatching(/no in-memory queue/),
      },
    ]);
    expect(settingsWithoutEffect({})).toEqual([]);
  });

  it('names the alias the value came from', () => {
    expect(settingsWithoutEffect({ PREFECT_API_SERVICES_CLEANUP_RECONCILER_ENABLED: 'false' })).toEqual([
      { variable: 'PREFECT_API_SERVICES_CLEANUP_RECONCILER_ENABLED', reason: expect.any(String) },
    ]);
  });

  it('marks them in docs/settings.md with the reason', () => {
    const persister = renderSettingsMarkdown()
      .split('\n')
      .find((line) => line.startsWith('| `PREFECT_SERVER_SERVICES_EVENT_PERSISTER_QUEUE_MAX_SIZE`'));
    expect(persister).toMatch(/\*\*Accepted for compatibility, no effect:\*\* the persister reads batches/);
  });
});
