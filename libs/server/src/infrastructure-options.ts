import type { Settings } from '@orrery/config';
import type { BusOptions, RedisBusOptions } from '@orrery/bus';
import type { LeaseStorageOptions } from '@orrery/lease-storage';
import { type DatabaseOptions, isRetryableDatabaseError, type PostgresTlsOptions } from '@orrery/persistence';
import { busTracePropagator, busTracingInterceptor } from '@orrery/telemetry';

/** The database a process uses: embedded PGlite under PREFECT_HOME, or PostgreSQL. */
export function databaseOptionsFrom(settings: Settings): DatabaseOptions {
  const database = settings.server.database;
  const connectArgs = database.sqlalchemy.connectArgs;
  if (database.kind === 'pglite') {
    return {
      kind: 'pglite',
      dataDir: database.pgliteDataDir ?? `${settings.home}/orrery-pglite`,
      echo: database.echo,
    };
  }
  return {
    kind: 'postgres',
    url: database.connectionUrl ?? '',
    poolSize: database.sqlalchemy.poolSize + database.sqlalchemy.maxOverflow,
    statementTimeoutSeconds: database.timeout,
    connectTimeoutSeconds: database.connectionTimeout,
    poolRecycleSeconds: database.sqlalchemy.poolRecycle,
    echo: database.echo,
    applicationName: database.sqlalchemy.connectArgs.applicationName ?? 'orrery',
    ...statementCacheSizeFrom(database.sqlalchemy.connectArgs),
    ...(connectArgs.searchPath === null ? {} : { searchPath: connectArgs.searchPath }),
    ...(connectArgs.tls.enabled ? { tls: tlsOptionsFrom(connectArgs.tls) } : {}),
  };
}

function tlsOptionsFrom(
  tls: Settings['server']['database']['sqlalchemy']['connectArgs']['tls'],
): PostgresTlsOptions {
  return {
    checkHostname: tls.checkHostname,
    ...(tls.caFile === null ? {} : { caFile: tls.caFile }),
    ...(tls.certFile === null ? {} : { certFile: tls.certFile }),
    ...(tls.keyFile === null ? {} : { keyFile: tls.keyFile }),
  };
}

/**
 * Upstream has two cache sizes (asyncpg's statement cache and SQLAlchemy's prepared-statement
 * cache); both are set to 0 behind PgBouncer in transaction mode. Either at 0 turns named
 * statements off; otherwise the statement cache size applies, then the other, then the default.
 */
function statementCacheSizeFrom(connectArgs: Settings['server']['database']['sqlalchemy']['connectArgs']): {
  statementCacheSize?: number;
} {
  const { statementCacheSize, preparedStatementCacheSize } = connectArgs;
  if (statementCacheSize === 0 || preparedStatementCacheSize === 0) return { statementCacheSize: 0 };
  const size = statementCacheSize ?? preparedStatementCacheSize;
  return size === null ? {} : { statementCacheSize: size };
}

/** The message bus: Redis Streams when the messaging broker is Redis, else in-process. */
export function busOptionsFrom(settings: Settings): BusOptions {
  const consumer = settings.redis.messaging.consumer;
  // Trace context rides in message attributes; a no-op unless the OpenTelemetry SDK was started.
  // A handler that fails because PostgreSQL is down retries in place: an outage never dead-letters.
  const common = {
    propagator: busTracePropagator,
    interceptor: busTracingInterceptor,
    isTransientError: isRetryableDatabaseError,
  };
  if (settings.server.events.messagingBroker !== 'redis') return { driver: 'memory', ...common };
  return {
    ...common,
    driver: 'redis',
    redis: redisBusOptionsFrom(settings.redis.messaging),
    consumer: {
      blockMs: Math.round(consumer.block * 1000),
      minIdleMs: Math.round(consumer.minIdleTime * 1000),
      maxDeliveries: consumer.maxRetries + 1,
      trimIntervalMs: Math.round(consumer.trimEvery * 1000),
      idleConsumerThresholdMs: Math.round(consumer.trimIdleThreshold * 1000),
    },
  };
}

/** The messaging Redis connection: URL and upstream's socket settings (seconds → ms). */
function redisBusOptionsFrom(messaging: Settings['redis']['messaging']): RedisBusOptions {
  const ms = (seconds: number | null): number | undefined =>
    seconds === null ? undefined : Math.round(seconds * 1000);
  return {
    url: messaging.url,
    connectionName: 'orrery',
    connectTimeoutMs: ms(messaging.socketConnectTimeout),
    socketTimeoutMs: ms(messaging.socketTimeout),
    healthCheckIntervalMs: ms(messaging.healthCheckInterval),
  };
}

/** Where periodic and per-item jobs run: BullMQ on the Docket Redis URL, else in-process. */
export function jobsRedisUrl(settings: Settings): string | null {
  return settings.server.docket.kind === 'redis' ? settings.server.docket.url : null;
}

/** A Redis URL to ask about live processes and consumer groups, if any Redis is configured. */
export function coordinationRedisUrl(settings: Settings): string | null {
  if (settings.server.events.messagingBroker === 'redis') return settings.redis.messaging.url;
  return jobsRedisUrl(settings);
}

/** Concurrency leases: Redis (on the messaging Redis, as `prefect_redis.lease_storage`) or in-process. */
export function leaseStorageOptionsFrom(settings: Settings): LeaseStorageOptions {
  if (settings.server.concurrency.leaseStorage !== 'redis') return { driver: 'memory' };
  return { driver: 'redis', url: settings.redis.messaging.url };
}
