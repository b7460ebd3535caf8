import { type DynamicModule, type INestApplicationContext, Logger, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ApiModule,
  type ApiOptions,
  BROKER_PROBE,
  createHttpApplication,
  CSRF_TOKEN_STORE,
  SERVER_REPORT_SOURCE,
  findUiBuild,
  normaliseServeBase,
  DATABASE_PROBE,
  METRICS_SCRAPER,
  RestApiModule,
} from '@orrery/api';
import { BusModule, MessageBus } from '@orrery/bus';
import {
  redactUrl,
  type Settings,
  SettingsModule,
  settingsWithoutEffect,
  vacuumEventsHeldBack,
} from '@orrery/config';
import { JobsModule } from '@orrery/jobs';
import { LeaseStorageModule } from '@orrery/lease-storage';
import { OutboxModule } from '@orrery/outbox';
import {
  CsrfTokenRepository,
  createDataSource,
  DATA_SOURCE,
  DatabaseMigrator,
  type DatabaseOptions,
  describeConnectionError,
  PersistenceModule,
} from '@orrery/persistence';
import { type MetricsHandle, OrreryLogger, startMetrics } from '@orrery/telemetry';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { describeDatabase } from './database-admin';
import {
  busOptionsFrom,
  coordinationRedisUrl,
  databaseOptionsFrom,
  jobsRedisUrl,
  leaseStorageOptionsFrom,
} from './infrastructure-options';
import { PROCESS_GAUGES_SCOPE, ProcessGauges, serveMetrics } from './process-metrics';
import { planProcess, type ProcessPlan, type ServiceSelection } from './process-plan';
import { gatherServerReport } from './gather-services-report';
import { PROCESS_REGISTRY_TTL_SECONDS, ProcessRegistry } from './process-registry';
import { checkRedisReachable, redisUrlsOf } from './redis-preflight';
import { API_PROCESS_SERVICES, NOT_IMPLEMENTED, SERVICE_MODULES } from './service-modules';

export interface RunOptions {
  readonly api: boolean;
  readonly selection: ServiceSelection;
  /** Where start-up lines go (the first thing an operator reads); stdout by default. */
  readonly print?: (line: string) => void;
}

/** A start-up failure the operator can act on: printed as one line, no stack trace. */
class StartupError extends Error {}

/** The API options of this process, from the settings tree. */
export function apiOptionsFrom(settings: Settings): ApiOptions {
  const api = settings.server.api;
  const prefix = api.basePath ?? '/api';
  const join = (list: readonly string[]): string => (list.includes('*') ? '*' : list.join(','));
  return {
    prefix,
    authString: api.authString,
    csrfEnabled: api.csrfProtectionEnabled,
    csrfTokenExpirationSeconds: api.csrfTokenExpiration,
    cors: {
      origins: join(api.corsAllowedOrigins),
      methods: join(api.corsAllowedMethods),
      headers: join(api.corsAllowedHeaders),
    },
    bodyLimitBytes: api.maxBulkBodySize,
    maxBodyBytes: api.maxBodySize,
    ui: {
      apiUrl: settings.server.ui.apiUrl ?? settings.api.url ?? `http://${api.host}:${api.port}${prefix}`,
      enabled: settings.server.ui.enabled,
      serveBase: settings.server.ui.serveBase,
      staticDirectory: settings.server.ui.staticDirectory ?? `${settings.home}/ui_build`,
      buildDirectory: findUiBuild(),
    },
    accessLog: true,
    defaultLimit: api.defaultLimit,
    maxParameterSize: api.maxParameterSize,
    websocketPing: { intervalSeconds: api.websocketPingInterval, timeoutSeconds: api.websocketPingTimeout },
    maxJsonDepth: api.maxJsonDepth,
    maxJsonValues: api.maxJsonValues,
    maxBulkItems: api.maxBulkItems,
    logRetryableErrors: settings.server.logRetryableErrors,
  };
}

/**
 * Runs one Orrery process: the all-in-one server, the API only (`--no-services`), every enabled
 * service (`services start`) or a single-service app. Every shape composes the same modules; the
 * settings decide which service modules load. Resolves once the process is serving; SIGTERM/SIGINT
 * close it cleanly (in-flight requests, messages and jobs finish first), even during start-up.
 */
export async function runOrreryProcess(
  settings: Settings,
  options: RunOptions,
): Promise<INestApplicationContext> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logger = new OrreryLogger(settings.server.loggingLevel);
  Logger.overrideLogger(logger);

  let app: INestApplicationContext | null = null;
  let registry: { stop(): Promise<void> } | null = null;
  let metricsServer: { url: string; close(): Promise<void> } | null = null;
  const shutdown = (signal: string): void => {
    print(`orrery: ${signal} received, shutting down`);
    void (async () => {
      try {
        await registry?.stop();
        await metricsServer?.close();
        await app?.close();
        process.exit(0);
      } catch (error) {
        process.stderr.write(`orrery: error while shutting down: ${String(error)}\n`);
        process.exit(1);
      }
    })();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));

  try {
    const plan = planProcess(settings, options.api, options.selection);
    if (!options.api && plan.services.length === 0) throw new StartupError('No services are enabled!');
    const database = databaseOptionsFrom(settings);
    const serviceModules = announce(settings, plan, database, options.api, print);
    await prepareDatabase(settings, database, print);
    for (const url of redisUrlsOf(settings)) {
      await checkRedisReachable(url).catch((error: Error) => {
        throw new StartupError(error.message);
      });
    }
    const metrics = startMetrics({
      serviceName: metricsServiceName(options.api, plan),
      prometheus: settings.server.metricsEnabled,
    });
    const root = processModule(settings, database, options.api, serviceModules, metrics);
    app = options.api
      ? await listen(root, settings, logger, print)
      : await NestFactory.createApplicationContext(root, { logger, abortOnError: false });
    await app.init();
    const running = plan.services
      .filter(
        (s) => SERVICE_MODULES[s.name] !== undefined || (options.api && API_PROCESS_SERVICES.has(s.name)),
      )
      .map((s) => s.name);
    if (metrics?.prometheus === true && !options.api) {
      metricsServer = await serveMetrics(metrics, settings).catch((error: unknown) => {
        throw new StartupError(`cannot serve metrics: ${String(error)}`);
      });
      print(`orrery: metrics on ${metricsServer.url}`);
    }
    registry = await registerProcess(settings, options.api, running, metricsServer?.url ?? null);
    print(`orrery: ready (${[...(options.api ? ['api'] : []), ...running].join(', ') || 'no services'})`);
    return app;
  } catch (error) {
    const message =
      error instanceof StartupError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    process.stderr.write(`orrery: ${message}\n`);
    await metricsServer?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    process.exit(1);
  }
}

/** Prints what this process is about to run, and returns the modules of its implemented services. */
function announce(
  settings: Settings,
  plan: ProcessPlan,
  database: DatabaseOptions,
  api: boolean,
  print: (line: string) => void,
): (Type<unknown> | DynamicModule)[] {
  const jobsUrl = jobsRedisUrl(settings);
  print(`orrery: database ${describeDatabase(database)}`);
  print(
    `orrery: message bus ${settings.server.events.messagingBroker === 'redis' ? `Redis Streams at ${redactUrl(settings.redis.messaging.url)}` : 'in-process'}`,
  );
  print(`orrery: jobs ${jobsUrl === null ? 'in-process' : `BullMQ at ${redactUrl(jobsUrl)}`}`);
  const leases = leaseStorageOptionsFrom(settings);
  print(
    `orrery: concurrency leases ${leases.driver === 'redis' ? `Redis at ${redactUrl(leases.url)}` : 'in-process'}`,
  );
  for (const { variable, reason } of settingsWithoutEffect()) {
    print(`orrery: warning: ${variable} is set but has no effect in Orrery: ${reason}`);
  }
  for (const service of plan.disabled) print(`orrery: service ${service.name} disabled by ${service.envVar}`);
  if (vacuumEventsHeldBack(settings)) {
    print(
      'orrery: db-vacuum leaves events alone: PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED is false, ' +
        'and only persisted events are vacuumed',
    );
  }
  const modules: (Type<unknown> | DynamicModule)[] = [];
  for (const service of plan.services) {
    const factory = SERVICE_MODULES[service.name];
    if (API_PROCESS_SERVICES.has(service.name)) {
      print(
        `orrery: service ${service.name} ${api ? 'runs in this API process' : 'runs in the API processes'}`,
      );
    } else if (factory === undefined) {
      print(`orrery: service ${service.name} ${NOT_IMPLEMENTED[service.name] ?? 'not implemented'}`);
    } else {
      modules.push(factory(settings));
      print(`orrery: service ${service.name} starting`);
    }
  }
  return modules;
}

/** One connection attempt before Nest starts (an unreachable database is one line), then migrate-on-start. */
async function prepareDatabase(
  settings: Settings,
  database: DatabaseOptions,
  print: (line: string) => void,
): Promise<void> {
  const probe = createDataSource(database);
  try {
    await probe.initialize();
  } catch (error) {
    throw new StartupError(
      describeConnectionError(error, database.kind === 'postgres' ? database.url : database.dataDir),
    );
  }
  try {
    if (settings.server.database.migrateOnStart) {
      const migrator = new DatabaseMigrator(probe, {
        onProgress: (line: string) => print(`orrery: database ${line}`),
        statementTimeoutSeconds: settings.server.database.migrationTimeout ?? 0,
      });
      await migrator.upgrade({});
    }
  } catch (error) {
    throw new StartupError(
      `database migration failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await probe.destroy();
  }
}

/**
 * The root module of an API process with no services: the module `/api/openapi.json` describes.
 * For tooling that inspects the application's routes without starting it (Nest's preview mode).
 */
export function apiProcessModule(settings: Settings): Type<unknown> {
  return processModule(settings, databaseOptionsFrom(settings), true, [], null);
}

/** The root module of this process: infrastructure from the settings, the API if asked, the services. */
function processModule(
  settings: Settings,
  database: DatabaseOptions,
  api: boolean,
  services: (Type<unknown> | DynamicModule)[],
  metrics: MetricsHandle | null,
): Type<unknown> {
  const jobsUrl = jobsRedisUrl(settings);
  const apiModule = ApiModule.forRoot({
    options: apiOptionsFrom(settings),
    providers: [
      { provide: CSRF_TOKEN_STORE, useClass: CsrfTokenRepository },
      {
        provide: SERVER_REPORT_SOURCE,
        useValue: { report: () => gatherServerReport(settings, PROCESS_REGISTRY_TTL_SECONDS) },
      },
      {
        provide: DATABASE_PROBE,
        inject: [DATA_SOURCE],
        useFactory: (dataSource: DataSource) => ({
          ping: async () => void (await dataSource.query('SELECT 1')),
        }),
      },
      { provide: BROKER_PROBE, inject: [MessageBus], useFactory: (bus: MessageBus) => bus },
      ...(metrics?.prometheus === true ? [{ provide: METRICS_SCRAPER, useValue: metrics }] : []),
    ],
  });
  @Module({
    imports: [
      SettingsModule.forRoot(settings),
      PersistenceModule.forRoot(database),
      BusModule.forRoot(busOptionsFrom(settings)),
      JobsModule.forRoot(
        jobsUrl === null
          ? { driver: 'in-process' }
          : { driver: 'bullmq', redis: { url: jobsUrl }, prefix: settings.server.docket.name },
      ),
      LeaseStorageModule.forRoot(leaseStorageOptionsFrom(settings)),
      OutboxModule.forRoot(),
      ...(api ? [apiModule, RestApiModule] : []),
      ...services,
    ],
    providers:
      metrics === null
        ? []
        : [{ provide: PROCESS_GAUGES_SCOPE, useValue: { cluster: services.length > 0 } }, ProcessGauges],
  })
  class OrreryProcessModule {}
  return OrreryProcessModule;
}

async function listen(
  root: Type<unknown>,
  settings: Settings,
  logger: OrreryLogger,
  print: (line: string) => void,
): Promise<INestApplicationContext> {
  const apiOptions = apiOptionsFrom(settings);
  const http = await createHttpApplication(root, apiOptions, logger, (line) => logger.access(line));
  const { host, port, keepaliveTimeout } = settings.server.api;
  try {
    await http.listen(port, host);
  } catch (error) {
    await http.close().catch(() => undefined);
    const code = (error as { code?: string }).code;
    throw new StartupError(
      code === 'EADDRINUSE'
        ? `port ${port} on ${host} is already in use`
        : `cannot listen on ${host}:${port}: ${String(error)}`,
    );
  }
  (http.getHttpServer() as { keepAliveTimeout: number }).keepAliveTimeout = keepaliveTimeout * 1000;
  print(`orrery: API listening on http://${host}:${port}${apiOptions.prefix}`);
  const ui = apiOptions.ui;
  if (!ui.enabled) print('orrery: UI disabled by PREFECT_UI_ENABLED');
  else if ((ui.buildDirectory ?? null) === null)
    print('orrery: UI not built (npm start builds it); not served');
  else print(`orrery: UI at http://${host}:${port}${normaliseServeBase(ui.serveBase ?? '/')}`);
  return http;
}

/** With Redis configured, keeps this process visible to `orrery server services ls`. */
async function registerProcess(
  settings: Settings,
  api: boolean,
  services: readonly string[],
  metricsUrl: string | null,
): Promise<{ stop(): Promise<void> } | null> {
  const redisUrl = coordinationRedisUrl(settings);
  if (redisUrl === null) return null;
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  redis.on('error', () => undefined); // ioredis reconnects by itself; a failed heartbeat is logged
  const apiUrl = api ? `http://${settings.server.api.host}:${settings.server.api.port}` : null;
  const registry = new ProcessRegistry(redis, apiUrl, services, metricsUrl);
  await redis.connect();
  await registry.start();
  return {
    stop: async () => {
      await registry.stop();
      redis.disconnect();
    },
  };
}

/** `service.name` of this process's telemetry: what it runs. */
function metricsServiceName(api: boolean, plan: ProcessPlan): string {
  if (api) return plan.services.length > 0 ? 'orrery-server' : 'orrery-api';
  return plan.services.length === 1 ? `orrery-${plan.services[0]!.name}` : 'orrery-services';
}
