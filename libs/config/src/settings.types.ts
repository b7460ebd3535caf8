import { type BackendKind, type LogLevel } from './setting.forms';

/*
 * The typed settings tree. Paths mirror Prefect's settings paths in camelCase
 * (`server.services.late_runs.loop_seconds` → `server.services.lateRuns.loopSeconds`). Durations
 * are numbers of seconds. The object handed out by loadSettings() is deeply frozen and plain JSON
 * (no Sets, no Dates) so it can be shown as-is once secrets are masked (settingsForDisplay).
 */

export type VacuumTarget = 'events' | 'flow_runs';

export interface Settings {
  /** PREFECT_HOME, absolute, `~` expanded. */
  readonly home: string;
  /**
   * Derived: `embedded` when the database is PGlite and the message broker is in-memory (a single
   * process owns everything), otherwise `external`.
   */
  readonly mode: 'embedded' | 'external';
  readonly api: { readonly url: string | null };
  readonly ui: { readonly url: string | null };
  readonly logging: { readonly level: LogLevel };
  readonly server: ServerSettings;
  readonly redis: RedisSettings;
}

/**
 * Orrery only: where the block-document encryption key lives when not in the database. At most
 * one of the two is set; with neither, the key is created in the `configuration` table (as
 * upstream keeps its Fernet key).
 */
export interface BlocksSettings {
  /** Base64 of 32 bytes (secret). */
  readonly encryptionKey: string | null;
  /** A file holding that base64 key (read when the key is first needed). */
  readonly encryptionKeyFile: string | null;
}

export interface ServerSettings {
  readonly loggingLevel: LogLevel;
  readonly analyticsEnabled: boolean;
  readonly metricsEnabled: boolean;
  readonly logRetryableErrors: boolean;
  readonly registerBlocksOnStart: boolean;
  readonly memoizeBlockAutoRegistration: boolean;
  readonly memoStorePath: string;
  readonly blocks: BlocksSettings;
  readonly deploymentScheduleMaxScheduledRuns: number;
  readonly api: ServerApiSettings;
  readonly concurrency: ServerConcurrencySettings;
  readonly database: DatabaseSettings;
  readonly deployments: { readonly concurrencySlotWaitSeconds: number };
  readonly docket: DocketSettings;
  readonly ephemeral: { readonly enabled: boolean; readonly startupTimeoutSeconds: number };
  readonly events: ServerEventsSettings;
  readonly flowRunGraph: { readonly maxNodes: number; readonly maxArtifacts: number };
  readonly logs: { readonly streamOutEnabled: boolean; readonly streamPublishingEnabled: boolean };
  readonly services: ServicesSettings;
  readonly tasks: ServerTasksSettings;
  readonly ui: ServerUiSettings;
  readonly workerChannel: WorkerChannelSettings;
}

export interface ServerApiSettings {
  readonly host: string;
  readonly port: number;
  readonly basePath: string | null;
  /** Secret: `user:pass` for basic auth; null = no auth. */
  readonly authString: string | null;
  readonly defaultLimit: number;
  readonly keepaliveTimeout: number;
  readonly csrfProtectionEnabled: boolean;
  readonly csrfTokenExpiration: number;
  readonly corsAllowedOrigins: readonly string[];
  readonly corsAllowedMethods: readonly string[];
  readonly corsAllowedHeaders: readonly string[];
  readonly websocketPingInterval: number;
  readonly websocketPingTimeout: number;
  /** Bytes; 0 = unlimited. */
  readonly maxParameterSize: number;
  /** Deepest nesting of arrays/objects accepted in a JSON request body (beyond upstream). */
  readonly maxJsonDepth: number;
  /** Most values (members and elements) accepted in one JSON request body or bulk item (beyond upstream). */
  readonly maxJsonValues: number;
  /** Most items accepted in one bulk body, `POST /logs/` and `POST /events` (beyond upstream). */
  readonly maxBulkItems: number;
  /** Bytes: largest body of an ordinary route and of each item of a bulk body (beyond upstream). */
  readonly maxBodySize: number;
  /** Bytes: largest body of a bulk route, `POST /logs/` and `POST /events` (beyond upstream). */
  readonly maxBulkBodySize: number;
}

export interface ServerConcurrencySettings {
  readonly leaseStorage: BackendKind;
  readonly initialDeploymentLeaseDuration: number;
  readonly maximumConcurrencySlotWaitSeconds: number;
}

export interface DatabaseSettings {
  /** `pglite` = embedded PostgreSQL-in-WASM under pgliteDataDir; `postgres` = connectionUrl. */
  readonly kind: 'pglite' | 'postgres';
  /** Normalised `postgresql://…` URL when kind is postgres (may hold a password: redactUrl() before showing). */
  readonly connectionUrl: string | null;
  /** PGlite data directory when kind is pglite (`memory://` for a throw-away in-memory database). */
  readonly pgliteDataDir: string | null;
  readonly driver: string | null;
  readonly host: string | null;
  readonly port: number | null;
  readonly user: string | null;
  readonly name: string | null;
  /** Secret. */
  readonly password: string | null;
  readonly echo: boolean;
  readonly migrateOnStart: boolean;
  readonly timeout: number;
  readonly connectionTimeout: number;
  readonly migrationTimeout: number | null;
  readonly sqlalchemy: {
    readonly poolSize: number;
    readonly maxOverflow: number;
    readonly poolRecycle: number;
    readonly poolTimeout: number;
    readonly connectArgs: {
      readonly applicationName: string | null;
      readonly searchPath: string | null;
      readonly statementCacheSize: number | null;
      readonly preparedStatementCacheSize: number | null;
      readonly tls: {
        readonly enabled: boolean;
        readonly caFile: string | null;
        readonly certFile: string | null;
        readonly keyFile: string | null;
        readonly checkHostname: boolean;
      };
    };
  };
}

export interface DocketSettings {
  readonly name: string;
  /** `memory://` or a `redis://`/`rediss://` URL (may hold a password). */
  readonly url: string;
  readonly kind: BackendKind;
}

export interface ServerEventsSettings {
  readonly streamOutEnabled: boolean;
  readonly relatedResourceCacheTtl: number;
  readonly maximumLabelsPerResource: number;
  readonly maximumRelatedResources: number;
  readonly maximumSizeBytes: number;
  readonly expiredBucketBuffer: number;
  readonly proactiveGranularity: number;
  readonly retentionPeriod: number;
  readonly maximumWebsocketBackfill: number;
  readonly websocketBackfillPageSize: number;
  readonly messagingBroker: BackendKind;
  readonly messagingCache: BackendKind;
  readonly causalOrdering: BackendKind;
  readonly maximumEventNameLength: number;
}

export interface ServicesSettings {
  /** The metrics endpoint of a process without the API (with `server.metricsEnabled`). */
  readonly metrics: { readonly host: string; readonly port: number };
  readonly cancellationCleanup: {
    readonly enabled: boolean;
    readonly loopSeconds: number;
    readonly cancellingTimeoutSeconds: number;
  };
  readonly dbVacuum: {
    /** A set, kept as a sorted array so the tree stays plain JSON. */
    readonly enabled: readonly VacuumTarget[];
    readonly loopSeconds: number;
    readonly retentionPeriod: number;
    readonly batchSize: number;
    readonly eventRetentionOverrides: Readonly<Record<string, number>>;
  };
  readonly eventPersister: {
    readonly enabled: boolean;
    readonly batchSize: number;
    readonly readBatchSize: number;
    readonly flushInterval: number;
    readonly queueMaxSize: number;
    readonly maxFlushRetries: number;
  };
  readonly eventLogger: { readonly enabled: boolean };
  readonly foreman: {
    readonly enabled: boolean;
    readonly loopSeconds: number;
    readonly inactivityHeartbeatMultiple: number;
    readonly fallbackHeartbeatIntervalSeconds: number;
    readonly deploymentLastPolledTimeoutSeconds: number;
    readonly workQueueLastPolledTimeoutSeconds: number;
  };
  readonly lateRuns: {
    readonly enabled: boolean;
    readonly loopSeconds: number;
    readonly afterSeconds: number;
  };
  readonly scheduler: {
    readonly enabled: boolean;
    readonly loopSeconds: number;
    readonly deploymentBatchSize: number;
    readonly maxRuns: number;
    readonly minRuns: number;
    readonly maxScheduledTime: number;
    readonly minScheduledTime: number;
    readonly insertBatchSize: number;
    readonly recentDeploymentsLoopSeconds: number;
  };
  readonly pauseExpirations: { readonly enabled: boolean; readonly loopSeconds: number };
  readonly repossessor: { readonly enabled: boolean; readonly loopSeconds: number };
  readonly cleanupReconciler: {
    readonly enabled: boolean;
    readonly loopSeconds: number;
    readonly batchSize: number;
  };
  readonly taskRunRecorder: {
    readonly enabled: boolean;
    readonly readBatchSize: number;
    readonly batchSize: number;
    readonly flushInterval: number;
  };
  readonly triggers: {
    /** Also switches the actions service (upstream shares the flag). */
    readonly enabled: boolean;
    readonly readBatchSize: number;
    readonly pgNotifyReconnectIntervalSeconds: number;
    readonly pgNotifyHeartbeatIntervalSeconds: number;
  };
  readonly actions: {
    /** Orrery's own switch for the actions service alone; the triggers flag switches both. */
    readonly enabled: boolean;
  };
}

export interface ServerTasksSettings {
  readonly tagConcurrencySlotWaitSeconds: number;
  readonly maxCacheKeyLength: number;
  readonly scheduling: {
    readonly maxScheduledQueueSize: number;
    readonly maxRetryQueueSize: number;
    readonly pendingTaskTimeout: number;
  };
}

export interface ServerUiSettings {
  readonly enabled: boolean;
  readonly v2Enabled: boolean;
  readonly apiUrl: string | null;
  readonly serveBase: string;
  readonly staticDirectory: string | null;
  readonly showPromotionalContent: boolean;
}

export interface WorkerChannelSettings {
  readonly cleanupQueueStorage: BackendKind;
  readonly cleanupLeaseSeconds: number;
  readonly cleanupMaxDeliveryAttempts: number;
  readonly cleanupCompletedIdempotencyRetentionSeconds: number | null;
}

/** One Redis connection, from a URL or from discrete fields (the URL wins). */
export interface RedisConnectionSettings {
  /** The effective `redis://` / `rediss://` URL (may hold a password: redactUrl() before showing). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username: string;
  /** Secret. */
  readonly password: string;
  readonly ssl: boolean;
  readonly healthCheckInterval: number;
  readonly socketTimeout: number | null;
  readonly socketConnectTimeout: number | null;
  readonly protocol: number;
}

export interface RedisSettings {
  readonly messaging: RedisConnectionSettings & {
    readonly publisher: {
      readonly batchSize: number;
      readonly publishEvery: number;
      readonly deduplicateBy: string | null;
    };
    readonly consumer: {
      readonly block: number;
      readonly minIdleTime: number;
      readonly maxRetries: number;
      readonly trimEvery: number;
      readonly trimIdleThreshold: number;
      readonly shouldProcessPendingMessages: boolean;
      readonly startingMessageId: string;
      readonly automaticallyAcknowledge: boolean;
    };
  };
  readonly workerCleanupQueue: RedisConnectionSettings & { readonly keyPrefix: string };
}
