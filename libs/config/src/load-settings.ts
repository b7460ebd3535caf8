import { join } from 'node:path';
import {
  backendForm,
  booleanForm,
  choiceForm,
  durationForm,
  durationMapForm,
  integerForm,
  listForm,
  logLevelForm,
  numberForm,
  type SettingForm,
  textForm,
} from './setting-forms';
import {
  buildPostgresUrl,
  buildRedisUrl,
  expandPath,
  parseDatabaseUrl,
  parseDocketUrl,
  parseRedisUrl,
  pgliteDefaultDir,
  sqliteRefused,
  type DatabaseLocation,
} from './connection-urls';
import { SettingsError } from './settings.error';
import { type SettingDefinition, SettingsReader } from './settings.reader';
import {
  type DatabaseSettings,
  type RedisConnectionSettings,
  type ServicesSettings,
  type Settings,
  type VacuumTarget,
} from './settings.types';

/**
 * Reads every PREFECT_* server setting from `env` once, validates it and returns the typed,
 * deeply frozen settings tree. Throws SettingsError (one line) on the first bad value, in the order
 * the settings appear in docs/settings.md. Unknown PREFECT_* variables are ignored: clients and
 * servers often share one env file.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  return deepFreeze(buildSettings(new SettingsReader(env)));
}

/** Every setting loadSettings() reads, in reading order (the source of docs/settings.md). */
export function settingDefinitions(): readonly SettingDefinition[] {
  const reader = new SettingsReader({});
  buildSettings(reader);
  return reader.definitions;
}

const MESSAGING_MODULES = {
  memory: ['prefect.server.utilities.messaging.memory'],
  redis: ['prefect_redis.messaging'],
};
const ORDERING_MODULES = {
  memory: ['prefect.server.events.ordering.memory'],
  redis: ['prefect_redis.ordering'],
};
const LEASE_MODULES = {
  memory: ['prefect.server.concurrency.lease_storage.memory'],
  redis: ['prefect_redis.lease_storage'],
};
const CLEANUP_QUEUE_MODULES = {
  memory: ['prefect.server.worker_communication.cleanup_queue.memory'],
  redis: ['prefect_redis.cleanup_queue'],
};

function buildSettings(r: SettingsReader): Settings {
  const bool = booleanForm();
  const int = integerForm();
  const positiveInt = integerForm({ min: 1 });
  const num = numberForm();
  const positiveNum = numberForm({ above: 0 });
  const seconds = durationForm({ min: 0 });
  const text = textForm();

  const home = expandPath(
    r.read('home', text, {
      default: '~/.prefect',
      description: 'Directory for local state (PGlite data, PID files, memo store)',
    }),
  );

  const apiUrl = r.read('api.url', text, {
    default: null,
    description: 'URL clients use to reach the API; also the UI api_url fallback',
  });
  const uiUrl = r.read('ui.url', text, {
    default: null,
    description: 'Public URL of the UI (used in links)',
  });
  const loggingLevel = r.read('logging.level', logLevelForm(), {
    default: 'INFO',
    description: 'Default log level (client-side loggers and Orrery app logs)',
  });

  const server = {
    loggingLevel: r.read('server.logging_level', logLevelForm(), {
      default: 'WARNING',
      aliases: ['PREFECT_LOGGING_SERVER_LEVEL'],
      description: 'Log level of the server',
    }),
    analyticsEnabled: r.read('server.analytics_enabled', bool, {
      default: true,
      description: 'Send the telemetry heartbeat (a no-op in Orrery)',
    }),
    metricsEnabled: r.read('server.metrics_enabled', bool, {
      default: false,
      aliases: ['PREFECT_API_ENABLE_METRICS'],
      description: 'Serve Prometheus metrics at /api/metrics',
    }),
    logRetryableErrors: r.read('server.log_retryable_errors', bool, {
      default: false,
      aliases: ['PREFECT_API_LOG_RETRYABLE_ERRORS'],
      description: 'Log full tracebacks of retryable database errors',
    }),
    registerBlocksOnStart: r.read('server.register_blocks_on_start', bool, {
      default: true,
      aliases: ['PREFECT_API_BLOCKS_REGISTER_ON_START'],
      description: 'Register the built-in block types at start-up',
    }),
    memoizeBlockAutoRegistration: r.read('server.memoize_block_auto_registration', bool, {
      default: true,
      aliases: ['PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION'],
      description: 'Skip block registration when the memo store says nothing changed',
    }),
    memoStorePath: expandPath(
      r.read('server.memo_store_path', text, {
        default: join(home, 'memo_store.toml'),
        defaultText: '$PREFECT_HOME/memo_store.toml',
        aliases: ['PREFECT_MEMO_STORE_PATH'],
        description: 'File that memoizes block auto-registration',
      }),
    ),
    deploymentScheduleMaxScheduledRuns: r.read('server.deployment_schedule_max_scheduled_runs', positiveInt, {
      default: 50,
      aliases: ['PREFECT_DEPLOYMENT_SCHEDULE_MAX_SCHEDULED_RUNS'],
      description: 'Upper bound accepted for a schedule max_scheduled_runs',
    }),
    api: readApi(r),
    concurrency: {
      leaseStorage: r.read('server.concurrency.lease_storage', backendForm(LEASE_MODULES), {
        default: 'memory',
        defaultText: 'prefect.server.concurrency.lease_storage.memory',
        description: 'Concurrency lease store: memory (one process) or redis (HA)',
      }),
      initialDeploymentLeaseDuration: r.read(
        'server.concurrency.initial_deployment_lease_duration',
        numberForm({ min: 30, max: 3600 }),
        {
          default: 300,
          description: 'Seconds a deployment concurrency lease lives before its first renewal',
        },
      ),
      maximumConcurrencySlotWaitSeconds: r.read(
        'server.concurrency.maximum_concurrency_slot_wait_seconds',
        numberForm({ min: 0 }),
        { default: 30, description: 'Retry-After cap for non-tag concurrency limits' },
      ),
    },
    database: readDatabase(r, home),
    deployments: {
      concurrencySlotWaitSeconds: r.read(
        'server.deployments.concurrency_slot_wait_seconds',
        numberForm({ min: 0 }),
        {
          default: 30,
          aliases: ['PREFECT_DEPLOYMENT_CONCURRENCY_SLOT_WAIT_SECONDS'],
          description: 'Delay before retrying a flow run held in AwaitingConcurrencySlot',
        },
      ),
    },
    docket: readDocket(r),
    ephemeral: {
      enabled: r.read('server.ephemeral.enabled', bool, {
        default: false,
        aliases: ['PREFECT_SERVER_ALLOW_EPHEMERAL_MODE'],
        description: 'Allow an in-process ephemeral server (client-side; read for compatibility)',
      }),
      startupTimeoutSeconds: r.read('server.ephemeral.startup_timeout_seconds', positiveInt, {
        default: 20,
        description: 'Seconds to wait for an ephemeral server to start',
      }),
    },
    events: readEvents(r),
    flowRunGraph: {
      maxNodes: r.read('server.flow_run_graph.max_nodes', positiveInt, {
        default: 10000,
        aliases: ['PREFECT_API_MAX_FLOW_RUN_GRAPH_NODES'],
        description: 'Maximum nodes returned by the flow-run graph endpoint',
      }),
      maxArtifacts: r.read('server.flow_run_graph.max_artifacts', positiveInt, {
        default: 10000,
        aliases: ['PREFECT_API_MAX_FLOW_RUN_GRAPH_ARTIFACTS'],
        description: 'Maximum artifacts returned by the flow-run graph endpoint',
      }),
    },
    logs: {
      streamOutEnabled: r.read('server.logs.stream_out_enabled', bool, {
        default: false,
        description: 'Run the log distributor (/api/logs/out websockets)',
      }),
      streamPublishingEnabled: r.read('server.logs.stream_publishing_enabled', bool, {
        default: false,
        description: 'Publish written logs to the logs stream',
      }),
    },
    services: readServices(r, { bool, int, positiveInt, num, positiveNum, seconds }),
    tasks: {
      tagConcurrencySlotWaitSeconds: r.read(
        'server.tasks.tag_concurrency_slot_wait_seconds',
        numberForm({ min: 0 }),
        {
          default: 10,
          aliases: ['PREFECT_TASK_RUN_TAG_CONCURRENCY_SLOT_WAIT_SECONDS'],
          description: 'Task WAIT delay and Retry-After cap for tag concurrency limits',
        },
      ),
      maxCacheKeyLength: r.read('server.tasks.max_cache_key_length', positiveInt, {
        default: 2000,
        aliases: ['PREFECT_API_TASK_CACHE_KEY_MAX_LENGTH'],
        description: 'Longest accepted task cache key',
      }),
      scheduling: {
        maxScheduledQueueSize: r.read('server.tasks.scheduling.max_scheduled_queue_size', positiveInt, {
          default: 1000,
          aliases: ['PREFECT_TASK_SCHEDULING_MAX_SCHEDULED_QUEUE_SIZE'],
          description: 'Capacity of the per-task-key scheduled queue for background tasks',
        }),
        maxRetryQueueSize: r.read('server.tasks.scheduling.max_retry_queue_size', positiveInt, {
          default: 100,
          aliases: ['PREFECT_TASK_SCHEDULING_MAX_RETRY_QUEUE_SIZE'],
          description: 'Capacity of the per-task-key retry queue for background tasks',
        }),
        pendingTaskTimeout: r.read('server.tasks.scheduling.pending_task_timeout', seconds, {
          default: 0,
          aliases: ['PREFECT_TASK_SCHEDULING_PENDING_TASK_TIMEOUT'],
          description: 'Reschedule a PENDING background task after this long (0 = never)',
        }),
      },
    },
    ui: {
      enabled: r.read('server.ui.enabled', bool, {
        default: true,
        aliases: ['PREFECT_UI_ENABLED'],
        description: 'Serve the UI',
      }),
      v2Enabled: r.read('server.ui.v2_enabled', bool, { default: true, description: 'Offer the v2 UI' }),
      apiUrl: r.read('server.ui.api_url', text, {
        default: null,
        defaultText: '— (PREFECT_API_URL, else http://<host>:<port>/api)',
        aliases: ['PREFECT_UI_API_URL'],
        description: 'API URL the UI calls',
      }),
      serveBase: r.read('server.ui.serve_base', text, {
        default: '/',
        aliases: ['PREFECT_UI_SERVE_BASE'],
        description: 'Path the UI is served under',
      }),
      staticDirectory: r.read('server.ui.static_directory', text, {
        default: null,
        aliases: ['PREFECT_UI_STATIC_DIRECTORY'],
        description: 'Directory the built UI is copied to and served from',
      }),
      showPromotionalContent: r.read('server.ui.show_promotional_content', bool, {
        default: true,
        description: 'Show promotional content in the UI',
      }),
    },
    workerChannel: {
      cleanupQueueStorage: r.read(
        'server.worker_channel.cleanup_queue_storage',
        backendForm(CLEANUP_QUEUE_MODULES),
        {
          default: 'memory',
          defaultText: 'prefect.server.worker_communication.cleanup_queue.memory',
          description: 'Worker cleanup queue store: memory (one process) or redis (HA)',
        },
      ),
      cleanupLeaseSeconds: r.read('server.worker_channel.cleanup_lease_seconds', positiveNum, {
        default: 30,
        description: 'Lease on a delivered worker cleanup message',
      }),
      cleanupMaxDeliveryAttempts: r.read('server.worker_channel.cleanup_max_delivery_attempts', positiveInt, {
        default: 3,
        description: 'Deliveries before a cleanup message is dead-lettered',
      }),
      cleanupCompletedIdempotencyRetentionSeconds: r.read(
        'server.worker_channel.cleanup_completed_idempotency_retention_seconds',
        numberForm({ min: 0 }),
        {
          default: null,
          description: 'How long completed cleanup ids are remembered (unset = default retention)',
        },
      ),
    },
  };

  const redis = {
    messaging: {
      ...readRedisConnection(r, 'redis.messaging', 'Redis for messaging, caches, ordering and leases'),
      publisher: {
        batchSize: r.read('redis.messaging.publisher.batch_size', positiveInt, {
          default: 5,
          description: 'Messages buffered before a publisher flush',
        }),
        publishEvery: r.read('redis.messaging.publisher.publish_every', seconds, {
          default: 10,
          description: 'Longest a published message waits in the buffer',
        }),
        deduplicateBy: r.read('redis.messaging.publisher.deduplicate_by', text, {
          default: null,
          description: 'Attribute used to drop duplicate messages',
        }),
      },
      consumer: {
        block: r.read('redis.messaging.consumer.block', seconds, {
          default: 1,
          description: 'XREADGROUP BLOCK time',
        }),
        minIdleTime: r.read('redis.messaging.consumer.min_idle_time', seconds, {
          default: 5,
          description: 'Idle time before a pending message is reclaimed',
        }),
        maxRetries: r.read('redis.messaging.consumer.max_retries', integerForm({ min: 0 }), {
          default: 3,
          description: 'Deliveries before a message goes to the dead-letter stream',
        }),
        trimEvery: r.read('redis.messaging.consumer.trim_every', seconds, {
          default: 60,
          description: 'Interval between stream trims',
        }),
        trimIdleThreshold: r.read('redis.messaging.consumer.trim_idle_threshold', seconds, {
          default: 300,
          description: 'Groups idle longer than this do not hold trimming back',
        }),
        shouldProcessPendingMessages: r.read(
          'redis.messaging.consumer.should_process_pending_messages',
          bool,
          {
            default: true,
            description: 'Reclaim pending messages of dead consumers',
          },
        ),
        startingMessageId: r.read('redis.messaging.consumer.starting_message_id', text, {
          default: '0',
          description: 'Id a new consumer group starts from',
        }),
        automaticallyAcknowledge: r.read('redis.messaging.consumer.automatically_acknowledge', bool, {
          default: true,
          description: 'Acknowledge messages whose handler returned',
        }),
      },
    },
    workerCleanupQueue: {
      ...readRedisConnection(r, 'redis.worker_cleanup_queue', 'Redis for the worker cleanup queue'),
      keyPrefix: r.read('redis.worker_cleanup_queue.key_prefix', text, {
        default: 'prefect:worker-cleanup',
        description: 'Key prefix of the worker cleanup queue',
      }),
    },
  };

  const mode =
    server.database.kind === 'pglite' && server.events.messagingBroker === 'memory' ? 'embedded' : 'external';

  return {
    home,
    mode,
    api: { url: apiUrl },
    ui: { url: uiUrl },
    logging: { level: loggingLevel },
    server,
    redis,
  };
}

function readApi(r: SettingsReader): Settings['server']['api'] {
  const cors = listForm();
  return {
    host: r.read('server.api.host', textForm(), {
      default: '127.0.0.1',
      description: 'Address the API binds to',
    }),
    port: r.read('server.api.port', integerForm({ min: 1, max: 65535 }), {
      default: 4200,
      description: 'Port the API listens on',
    }),
    basePath: r.read('server.api.base_path', textForm(), {
      default: null,
      defaultText: '— (/api)',
      description: 'Mount path of the REST API',
    }),
    authString: r.read('server.api.auth_string', textForm(), {
      default: null,
      secret: true,
      description: 'Secret. `user:pass` required as HTTP basic auth on every route but GET health/ready',
    }),
    defaultLimit: r.read('server.api.default_limit', integerForm({ min: 1 }), {
      default: 200,
      aliases: ['PREFECT_API_DEFAULT_LIMIT'],
      description: 'Default and maximum `limit` of list/filter endpoints',
    }),
    keepaliveTimeout: r.read('server.api.keepalive_timeout', integerForm({ min: 0 }), {
      default: 5,
      description: 'HTTP keep-alive timeout in seconds',
    }),
    csrfProtectionEnabled: r.read('server.api.csrf_protection_enabled', booleanForm(), {
      default: false,
      aliases: ['PREFECT_SERVER_CSRF_PROTECTION_ENABLED'],
      description: 'Require CSRF tokens on mutating requests',
    }),
    csrfTokenExpiration: r.read('server.api.csrf_token_expiration', durationForm({ above: 0 }), {
      default: 3600,
      aliases: ['PREFECT_SERVER_CSRF_TOKEN_EXPIRATION'],
      description: 'Lifetime of a CSRF token',
    }),
    corsAllowedOrigins: r.read('server.api.cors_allowed_origins', cors, {
      default: ['*'],
      aliases: ['PREFECT_SERVER_CORS_ALLOWED_ORIGINS'],
      description: 'CORS allowed origins',
    }),
    corsAllowedMethods: r.read('server.api.cors_allowed_methods', cors, {
      default: ['*'],
      aliases: ['PREFECT_SERVER_CORS_ALLOWED_METHODS'],
      description: 'CORS allowed methods',
    }),
    corsAllowedHeaders: r.read('server.api.cors_allowed_headers', cors, {
      default: ['*'],
      aliases: ['PREFECT_SERVER_CORS_ALLOWED_HEADERS'],
      description: 'CORS allowed headers',
    }),
    websocketPingInterval: r.read('server.api.websocket_ping_interval', numberForm({ above: 0 }), {
      default: 20,
      description: 'Seconds between websocket pings',
    }),
    websocketPingTimeout: r.read('server.api.websocket_ping_timeout', numberForm({ above: 0 }), {
      default: 20,
      description: 'Seconds to wait for a pong before closing',
    }),
    maxParameterSize: r.read('server.api.max_parameter_size', integerForm({ min: 0 }), {
      default: 524288,
      description: 'Largest flow-run/deployment parameters in bytes (0 = unlimited)',
    }),
  };
}

function readDatabase(r: SettingsReader, home: string): DatabaseSettings {
  const urlPath = 'server.database.connection_url';
  const rawUrl = r.read(urlPath, textForm(), {
    default: null,
    defaultText: '— (embedded PGlite at $PREFECT_HOME/orrery-pglite)',
    aliases: ['PREFECT_API_DATABASE_CONNECTION_URL'],
    secret: true,
    url: true,
    description:
      'Secret. postgresql:// (postgresql+asyncpg:// and postgres:// accepted) or pglite://<dir>; sqlite is refused',
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
    location = parseDatabaseUrl(urlFound, home);
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
        description: 'Seconds after which a pooled connection is replaced',
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
          'Prepared statement cache size (0 behind PgBouncer in transaction mode)',
        ),
        preparedStatementCacheSize: cacheSize(
          'server.database.sqlalchemy.connect_args.prepared_statement_cache_size',
          'Prepared statement cache size (0 behind PgBouncer in transaction mode)',
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

function readDocket(r: SettingsReader): Settings['server']['docket'] {
  const name = r.read('server.docket.name', textForm(), {
    default: 'prefect-server',
    description: 'Namespace of periodic/background job keys',
  });
  const url = r.read('server.docket.url', textForm(), {
    default: 'memory://',
    url: true,
    description:
      'Job runner backend: memory:// (one process) or redis://… (required with several service replicas)',
  });
  return { name, ...parseDocketUrl(r.rawOf('server.docket.url'), url) };
}

function readEvents(r: SettingsReader): Settings['server']['events'] {
  const positiveInt = integerForm({ min: 1 });
  const seconds = durationForm({ min: 0 });
  return {
    streamOutEnabled: r.read('server.events.stream_out_enabled', booleanForm(), {
      default: true,
      aliases: ['PREFECT_API_EVENTS_STREAM_OUT_ENABLED'],
      description: 'Run the distributor (/api/events/out websockets)',
    }),
    relatedResourceCacheTtl: r.read('server.events.related_resource_cache_ttl', seconds, {
      default: 300,
      aliases: ['PREFECT_API_EVENTS_RELATED_RESOURCE_CACHE_TTL'],
      description: 'TTL of the flow-run related-resource cache',
    }),
    maximumLabelsPerResource: r.read('server.events.maximum_labels_per_resource', positiveInt, {
      default: 500,
      aliases: ['PREFECT_EVENTS_MAXIMUM_LABELS_PER_RESOURCE'],
      description: 'Labels accepted per event resource',
    }),
    maximumRelatedResources: r.read('server.events.maximum_related_resources', positiveInt, {
      default: 100,
      aliases: ['PREFECT_EVENTS_MAXIMUM_RELATED_RESOURCES'],
      description: 'Related resources accepted per event',
    }),
    maximumSizeBytes: r.read('server.events.maximum_size_bytes', positiveInt, {
      default: 1500000,
      aliases: ['PREFECT_EVENTS_MAXIMUM_SIZE_BYTES'],
      description: 'Largest accepted event in bytes',
    }),
    expiredBucketBuffer: r.read('server.events.expired_bucket_buffer', seconds, {
      default: 60,
      aliases: ['PREFECT_EVENTS_EXPIRED_BUCKET_BUFFER'],
      description: 'Grace period before an expired trigger bucket is swept',
    }),
    proactiveGranularity: r.read('server.events.proactive_granularity', durationForm({ above: 0 }), {
      default: 5,
      aliases: ['PREFECT_EVENTS_PROACTIVE_GRANULARITY'],
      description: 'Interval of proactive trigger evaluation',
    }),
    retentionPeriod: r.read('server.events.retention_period', durationForm({ above: 0 }), {
      default: 604800,
      aliases: ['PREFECT_EVENTS_RETENTION_PERIOD'],
      description: 'Events older than this are deleted by db-vacuum',
    }),
    maximumWebsocketBackfill: r.read('server.events.maximum_websocket_backfill', seconds, {
      default: 900,
      aliases: ['PREFECT_EVENTS_MAXIMUM_WEBSOCKET_BACKFILL'],
      description: 'How far back /api/events/out backfills',
    }),
    websocketBackfillPageSize: r.read('server.events.websocket_backfill_page_size', positiveInt, {
      default: 250,
      aliases: ['PREFECT_EVENTS_WEBSOCKET_BACKFILL_PAGE_SIZE'],
      description: 'Rows per backfill page',
    }),
    messagingBroker: r.read('server.events.messaging_broker', backendForm(MESSAGING_MODULES), {
      default: 'memory',
      defaultText: 'prefect.server.utilities.messaging.memory',
      aliases: ['PREFECT_MESSAGING_BROKER'],
      description: 'Message broker: memory (one process) or redis (Redis Streams)',
    }),
    messagingCache: r.read('server.events.messaging_cache', backendForm(MESSAGING_MODULES), {
      default: 'memory',
      defaultText: 'prefect.server.utilities.messaging.memory',
      aliases: ['PREFECT_MESSAGING_CACHE'],
      description: 'De-duplication cache: memory or redis',
    }),
    causalOrdering: r.read('server.events.causal_ordering', backendForm(ORDERING_MODULES), {
      default: 'memory',
      defaultText: 'prefect.server.events.ordering.memory',
      description: 'Causal-ordering store: memory or redis',
    }),
    maximumEventNameLength: r.read('server.events.maximum_event_name_length', positiveInt, {
      default: 1024,
      description: 'Longest accepted event name',
    }),
  };
}

interface CommonForms {
  bool: ReturnType<typeof booleanForm>;
  int: ReturnType<typeof integerForm>;
  positiveInt: ReturnType<typeof integerForm>;
  num: ReturnType<typeof numberForm>;
  positiveNum: ReturnType<typeof numberForm>;
  seconds: ReturnType<typeof durationForm>;
}

const VACUUM_TARGETS: readonly VacuumTarget[] = ['events', 'flow_runs'];

/**
 * PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED is a set of targets. Forms: `events,flow_runs`, a JSON
 * list `["events"]`, or a legacy boolean (true → both, false → events only, as upstream maps them).
 */
function vacuumTargetsForm(): SettingForm<VacuumTarget[]> {
  const expected = 'a comma-separated list or JSON list of events, flow_runs (or true/false)';
  return {
    label: 'set of events, flow_runs (or legacy boolean)',
    parse(raw) {
      const text = raw.trim();
      const lower = text.toLowerCase();
      if (['true', '1', 'yes', 'on', 't', 'y'].includes(lower))
        return { ok: true, value: ['events', 'flow_runs'] };
      if (['false', '0', 'no', 'off', 'f', 'n'].includes(lower)) return { ok: true, value: ['events'] };
      let items: unknown[];
      if (text.startsWith('[')) {
        try {
          const parsed: unknown = JSON.parse(text);
          if (!Array.isArray(parsed)) return { ok: false, expected };
          items = parsed;
        } catch {
          return { ok: false, expected };
        }
      } else {
        items = text
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== '');
      }
      const targets = new Set<VacuumTarget>();
      for (const item of items) {
        const target = VACUUM_TARGETS.find((candidate) => candidate === item);
        if (target === undefined) return { ok: false, expected };
        targets.add(target);
      }
      return { ok: true, value: VACUUM_TARGETS.filter((target) => targets.has(target)) };
    },
  };
}

function readServices(r: SettingsReader, f: CommonForms): ServicesSettings {
  const enabled = (service: string, label: string, fallback = true): boolean =>
    r.read(`server.services.${service}.enabled`, f.bool, {
      default: fallback,
      description: `Run the ${label} service`,
    });
  const loop = (service: string, fallback: number, description: string): number =>
    r.read(`server.services.${service}.loop_seconds`, f.positiveNum, { default: fallback, description });
  const int = (service: string, key: string, fallback: number, description: string): number =>
    r.read(`server.services.${service}.${key}`, f.positiveInt, { default: fallback, description });
  const num = (service: string, key: string, fallback: number, description: string): number =>
    r.read(`server.services.${service}.${key}`, f.positiveNum, { default: fallback, description });
  const duration = (service: string, key: string, fallback: number, description: string): number =>
    r.read(`server.services.${service}.${key}`, f.seconds, { default: fallback, description });

  return {
    cancellationCleanup: {
      enabled: enabled('cancellation_cleanup', 'cancellation-cleanup'),
      loopSeconds: loop('cancellation_cleanup', 20, 'Interval of the cancellation-cleanup monitors'),
      cancellingTimeoutSeconds: num(
        'cancellation_cleanup',
        'cancelling_timeout_seconds',
        300,
        'A run stuck in CANCELLING this long is marked Cancelled',
      ),
    },
    dbVacuum: {
      enabled: r.read('server.services.db_vacuum.enabled', vacuumTargetsForm(), {
        default: ['events'],
        description: 'What db-vacuum deletes: events, flow_runs (a set; legacy true = both, false = events)',
      }),
      loopSeconds: loop('db_vacuum', 3600, 'Interval of the db-vacuum finders'),
      retentionPeriod: r.read('server.services.db_vacuum.retention_period', durationForm({ above: 3600 }), {
        default: 7776000,
        description: 'Terminal top-level flow runs older than this are deleted (when flow_runs is enabled)',
      }),
      batchSize: int('db_vacuum', 'batch_size', 200, 'Rows per delete transaction'),
      eventRetentionOverrides: r.read(
        'server.services.db_vacuum.event_retention_overrides',
        durationMapForm(),
        {
          default: { 'prefect.flow-run.heartbeat': 604800 },
          description: 'Per event type retention in seconds, each capped by the events retention period',
        },
      ),
    },
    eventPersister: {
      enabled: enabled('event_persister', 'event-persister'),
      batchSize: int('event_persister', 'batch_size', 20, 'Events per flush'),
      readBatchSize: int('event_persister', 'read_batch_size', 1, 'Messages per stream read'),
      flushInterval: num('event_persister', 'flush_interval', 5, 'Seconds between flushes'),
      queueMaxSize: int(
        'event_persister',
        'queue_max_size',
        50000,
        'Buffered events before new ones are dropped',
      ),
      maxFlushRetries: int(
        'event_persister',
        'max_flush_retries',
        5,
        'Failed flushes before a batch is dropped',
      ),
    },
    eventLogger: { enabled: enabled('event_logger', 'event-logger (prints each event; a debug aid)', false) },
    foreman: {
      enabled: enabled('foreman', 'foreman'),
      loopSeconds: loop('foreman', 15, 'Interval of the worker/pool/deployment/queue health check'),
      inactivityHeartbeatMultiple: int(
        'foreman',
        'inactivity_heartbeat_multiple',
        3,
        'Missed heartbeat intervals before a worker is OFFLINE',
      ),
      fallbackHeartbeatIntervalSeconds: int(
        'foreman',
        'fallback_heartbeat_interval_seconds',
        30,
        'Heartbeat interval assumed for workers that did not send one',
      ),
      deploymentLastPolledTimeoutSeconds: int(
        'foreman',
        'deployment_last_polled_timeout_seconds',
        60,
        'Seconds without a poll before a deployment is NOT_READY',
      ),
      workQueueLastPolledTimeoutSeconds: int(
        'foreman',
        'work_queue_last_polled_timeout_seconds',
        60,
        'Seconds without a poll before a work queue is NOT_READY',
      ),
    },
    lateRuns: {
      enabled: enabled('late_runs', 'late-runs'),
      loopSeconds: loop('late_runs', 5, 'Interval of the late-runs monitor'),
      afterSeconds: duration(
        'late_runs',
        'after_seconds',
        15,
        'A Scheduled run this far past its start is marked Late',
      ),
    },
    scheduler: {
      enabled: enabled('scheduler', 'scheduler'),
      loopSeconds: loop('scheduler', 60, 'Interval of the scheduler'),
      deploymentBatchSize: int('scheduler', 'deployment_batch_size', 100, 'Deployments per scheduler page'),
      maxRuns: int('scheduler', 'max_runs', 100, 'Most future runs scheduled per schedule'),
      minRuns: int('scheduler', 'min_runs', 3, 'Fewest future runs scheduled per schedule'),
      maxScheduledTime: duration(
        'scheduler',
        'max_scheduled_time',
        8640000,
        'Schedule no further ahead than this',
      ),
      minScheduledTime: duration(
        'scheduler',
        'min_scheduled_time',
        3600,
        'Always schedule at least this far ahead',
      ),
      insertBatchSize: int('scheduler', 'insert_batch_size', 500, 'Runs per insert statement'),
      recentDeploymentsLoopSeconds: num(
        'scheduler',
        'recent_deployments_loop_seconds',
        5,
        'Interval of the recently-changed-deployments scheduler',
      ),
    },
    pauseExpirations: {
      enabled: enabled('pause_expirations', 'pause-expirations'),
      loopSeconds: loop('pause_expirations', 5, 'Interval of the expired-pause monitor'),
    },
    repossessor: {
      enabled: enabled('repossessor', 'repossessor'),
      loopSeconds: loop('repossessor', 15, 'Interval of the expired-lease monitor'),
    },
    cleanupReconciler: {
      enabled: enabled('cleanup_reconciler', 'cleanup-reconciler'),
      loopSeconds: loop('cleanup_reconciler', 5, 'Interval of the cleanup-delivery reconciler'),
      batchSize: int('cleanup_reconciler', 'batch_size', 100, 'Expired cleanup leases handled per tick'),
    },
    taskRunRecorder: {
      enabled: enabled('task_run_recorder', 'task-run-recorder'),
      readBatchSize: int('task_run_recorder', 'read_batch_size', 1, 'Messages per stream read'),
      batchSize: int('task_run_recorder', 'batch_size', 1, 'Task-run events per flush'),
      flushInterval: num('task_run_recorder', 'flush_interval', 5, 'Seconds between flushes'),
    },
    triggers: {
      enabled: enabled('triggers', 'triggers and actions'),
      readBatchSize: int('triggers', 'read_batch_size', 1, 'Messages per stream read'),
      pgNotifyReconnectIntervalSeconds: int(
        'triggers',
        'pg_notify_reconnect_interval_seconds',
        10,
        'Delay before re-opening the automation-changes LISTEN connection',
      ),
      pgNotifyHeartbeatIntervalSeconds: int(
        'triggers',
        'pg_notify_heartbeat_interval_seconds',
        5,
        'Health-check interval of the LISTEN connection',
      ),
    },
  };
}

function readRedisConnection(r: SettingsReader, prefix: string, purpose: string): RedisConnectionSettings {
  const urlPath = `${prefix}.url`;
  const url = r.read(urlPath, textForm(), {
    default: null,
    defaultText: '— (built from the fields below)',
    secret: true,
    url: true,
    description: `Secret. ${purpose}: redis:// or rediss:// URL; overrides HOST/PORT/DB/USERNAME/PASSWORD/SSL; redis+cluster:// is refused`,
  });
  const host = r.read(`${prefix}.host`, textForm(), { default: 'localhost', description: 'Redis host' });
  const port = r.read(`${prefix}.port`, integerForm({ min: 1, max: 65535 }), {
    default: 6379,
    description: 'Redis port',
  });
  const db = r.read(`${prefix}.db`, integerForm({ min: 0 }), {
    default: 0,
    description: 'Redis database number',
  });
  const username = r.read(`${prefix}.username`, textForm(), {
    default: 'default',
    description: 'Redis ACL user',
  });
  const password = r.read(`${prefix}.password`, textForm(), {
    default: '',
    defaultText: '""',
    secret: true,
    description: 'Secret. Redis password',
  });
  const ssl = r.read(`${prefix}.ssl`, booleanForm(), { default: false, description: 'Use TLS (rediss://)' });
  const rest = {
    healthCheckInterval: r.read(`${prefix}.health_check_interval`, integerForm({ min: 0 }), {
      default: 20,
      description: 'Seconds between connection health checks',
    }),
    socketTimeout: r.read(`${prefix}.socket_timeout`, numberForm({ above: 0 }), {
      default: null,
      description: 'Socket read timeout in seconds (unset = none)',
    }),
    socketConnectTimeout: r.read(`${prefix}.socket_connect_timeout`, numberForm({ above: 0 }), {
      default: null,
      description: 'Socket connect timeout in seconds (unset = none)',
    }),
    protocol: r.read(`${prefix}.protocol`, integerForm({ min: 2, max: 3 }), {
      default: 2,
      description: 'RESP protocol version',
    }),
  };
  const urlFound = r.rawOf(urlPath);
  const effectiveUrl =
    url !== null && urlFound !== undefined
      ? parseRedisUrl(urlFound)
      : buildRedisUrl({ host, port, db, username, password, ssl });
  return { url: effectiveUrl, host, port, db, username, password, ssl, ...rest };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
