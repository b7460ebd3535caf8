import { join } from 'node:path';
import { readApiSettings } from './api-settings.section';
import { expandPath } from './connection-url.parsers';
import { readDatabaseSettings } from './database-settings.section';
import { readDocketSettings, readEventsSettings } from './events-settings.section';
import { readRedisSettings } from './redis-settings.section';
import { readServicesSettings } from './services-settings.section';
import {
  backendForm,
  base64KeyForm,
  booleanForm,
  durationForm,
  integerForm,
  logLevelForm,
  numberForm,
  textForm,
} from './setting.forms';
import { SettingsError } from './settings.error';
import { type SettingDefinition, type SettingWithoutEffect, SettingsReader } from './settings.reader';
import { type Settings } from './settings.types';

/**
 * Reads every PREFECT_* server setting from `env` once, validates it and returns the typed,
 * deeply frozen settings tree. Throws SettingsError (one line) on the first bad value, in the order
 * the settings appear in docs/settings.md. Unknown PREFECT_* variables are ignored: clients and
 * servers often share one env file.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const settings = buildSettings(new SettingsReader(env));
  if (settings.server.blocks.encryptionKey !== null && settings.server.blocks.encryptionKeyFile !== null) {
    throw new SettingsError(
      'PREFECT_SERVER_BLOCKS_ENCRYPTION_KEY_FILE',
      'set either it or PREFECT_SERVER_BLOCKS_ENCRYPTION_KEY, not both',
    );
  }
  return deepFreeze(settings);
}

/**
 * The settings Orrery accepts for compatibility without acting on them that `env` sets to something
 * other than their default, each with the reason: processes warn about them once at start-up.
 */
export function settingsWithoutEffect(env: NodeJS.ProcessEnv = process.env): readonly SettingWithoutEffect[] {
  const reader = new SettingsReader(env);
  buildSettings(reader);
  return reader.setWithoutEffect;
}

/** Every setting loadSettings() reads, in reading order (the source of docs/settings.md). */
export function settingDefinitions(): readonly SettingDefinition[] {
  const reader = new SettingsReader({});
  buildSettings(reader);
  return reader.definitions;
}

const expandOptionalPath = (path: string | null): string | null => (path === null ? null : expandPath(path));

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
  const positiveInt = integerForm({ min: 1 });
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
    description: "Default level of the Prefect SDK's loggers",
  });

  const server = {
    loggingLevel: r.read('server.logging_level', logLevelForm(), {
      default: 'WARNING',
      aliases: ['PREFECT_LOGGING_SERVER_LEVEL'],
      description: 'Log level of the server',
    }),
    analyticsEnabled: r.read('server.analytics_enabled', bool, {
      default: true,
      description: 'Send the telemetry heartbeat',
    }),
    metricsEnabled: r.read('server.metrics_enabled', bool, {
      default: false,
      aliases: ['PREFECT_API_ENABLE_METRICS'],
      description: 'Prometheus metrics (/api/metrics, or the services metrics port)',
    }),
    logRetryableErrors: r.read('server.log_retryable_errors', bool, {
      default: false,
      aliases: ['PREFECT_API_LOG_RETRYABLE_ERRORS'],
      description:
        'Log the stack of each retryable error (a 503 while PostgreSQL or Redis is away) at error level',
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
    blocks: {
      encryptionKey: r.read('server.blocks.encryption_key', base64KeyForm(32), {
        default: null,
        secret: true,
        description:
          'Orrery only. Secret. Key of block document data (base64 of 32 bytes); kept out of the database so a dump alone reveals no block secrets. Rotate with `orrery server blocks rotate-key`',
      }),
      encryptionKeyFile: expandOptionalPath(
        r.read('server.blocks.encryption_key_file', text, {
          default: null,
          description:
            'Orrery only. File holding PREFECT_SERVER_BLOCKS_ENCRYPTION_KEY (e.g. a mounted secret); unset with the key unset: the key lives in the database',
        }),
      ),
    },
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
    api: readApiSettings(r),
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
    database: readDatabaseSettings(r, home),
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
    docket: readDocketSettings(r),
    ephemeral: {
      enabled: r.read('server.ephemeral.enabled', bool, {
        default: false,
        aliases: ['PREFECT_SERVER_ALLOW_EPHEMERAL_MODE'],
        description: 'Allow the client to start an in-process ephemeral server',
      }),
      startupTimeoutSeconds: r.read('server.ephemeral.startup_timeout_seconds', positiveInt, {
        default: 20,
        description: 'Seconds to wait for an ephemeral server to start',
      }),
    },
    events: readEventsSettings(r),
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
    services: readServicesSettings(r),
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
        description: 'Serve the web UI at PREFECT_UI_SERVE_BASE (off: `/` answers 404, the API is unchanged)',
      }),
      v2Enabled: r.read('server.ui.v2_enabled', bool, {
        default: true,
        description: 'Offer the v2 UI (Orrery ships only the v1 UI, so /ui-settings always says v1)',
      }),
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
        defaultText: '$PREFECT_HOME/ui_build',
        aliases: ['PREFECT_UI_STATIC_DIRECTORY'],
        description:
          'Directory the built UI is copied to (base URL templated in) and served from; its v1/ unless it holds a UI_SERVE_BASE file',
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

  const redis = readRedisSettings(r);

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

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
