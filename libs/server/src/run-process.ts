import { type DynamicModule, type INestApplicationContext, Logger, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiModule, type ApiOptions, createHttpApplication, DATABASE_PROBE } from '@orrery/api';
import { BusModule } from '@orrery/bus';
import { redactUrl, SettingsModule, type Settings } from '@orrery/config';
import { JobsModule } from '@orrery/jobs';
import {
  createDataSource,
  DATA_SOURCE,
  DatabaseMigrator,
  describeConnectionError,
  PersistenceModule,
} from '@orrery/persistence';
import { OrreryLogger } from '@orrery/telemetry';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { describeDatabase } from './database-admin';
import {
  busOptionsFrom,
  coordinationRedisUrl,
  databaseOptionsFrom,
  jobsRedisUrl,
} from './infrastructure-options';
import { planProcess, type ServiceSelection } from './process-plan';
import { ProcessRegistry } from './process-registry';
import { SERVICE_MODULES } from './service-modules';

export interface RunOptions {
  readonly api: boolean;
  readonly selection: ServiceSelection;
  /** Where start-up lines go (the CLI prints them; they are what an operator reads first). */
  readonly print?: (line: string) => void;
}

/** The API options of this process, from the settings tree. */
export function apiOptionsFrom(settings: Settings): ApiOptions {
  const api = settings.server.api;
  const join = (list: readonly string[]): string => (list.includes('*') ? '*' : list.join(','));
  return {
    prefix: api.basePath ?? '/api',
    authString: api.authString,
    csrfEnabled: api.csrfProtectionEnabled,
    csrfTokenExpirationSeconds: api.csrfTokenExpiration,
    cors: {
      origins: join(api.corsAllowedOrigins),
      methods: join(api.corsAllowedMethods),
      headers: join(api.corsAllowedHeaders),
    },
    bodyLimitBytes: 16 * 1024 * 1024,
    ui: {
      apiUrl:
        settings.server.ui.apiUrl ??
        settings.api.url ??
        `http://${api.host}:${api.port}${api.basePath ?? '/api'}`,
      enabled: settings.server.ui.enabled,
      v2Enabled: settings.server.ui.v2Enabled,
    },
    accessLog: true,
  };
}

/**
 * Runs one Orrery process: the all-in-one server, the API only (`--no-services`), every enabled
 * service (`services start`) or a single-service app. Every shape composes the same modules; the
 * settings decide which service modules load. Resolves once the process is serving; shuts down
 * cleanly on SIGTERM/SIGINT (in-flight requests, messages and jobs finish first).
 */
export async function runOrreryProcess(
  settings: Settings,
  options: RunOptions,
): Promise<INestApplicationContext> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const fail = (line: string): never => {
    process.stderr.write(`orrery: ${line}\n`);
    process.exit(1);
  };
  const logger = new OrreryLogger(settings.server.loggingLevel);
  Logger.overrideLogger(logger);

  const plan = planProcess(settings, options.api, options.selection);
  if (!options.api && plan.services.length === 0) fail('No services are enabled!');

  const database = databaseOptionsFrom(settings);
  print(`orrery: database ${describeDatabase(database)}`);
  print(
    `orrery: message bus ${settings.server.events.messagingBroker === 'redis' ? `Redis Streams at ${redactUrl(settings.redis.messaging.url)}` : 'in-process'}`,
  );
  print(
    `orrery: jobs ${jobsRedisUrl(settings) === null ? 'in-process' : `BullMQ at ${redactUrl(jobsRedisUrl(settings) ?? '')}`}`,
  );
  for (const service of plan.disabled) print(`orrery: service ${service.name} disabled by ${service.envVar}`);
  const modules: (Type<unknown> | DynamicModule)[] = [];
  for (const service of plan.services) {
    const factory = SERVICE_MODULES[service.name];
    if (factory === undefined) {
      print(`orrery: service ${service.name} enabled, not implemented yet`);
    } else {
      modules.push(factory(settings));
      print(`orrery: service ${service.name} starting`);
    }
  }

  // One connection attempt before Nest starts, so an unreachable database is one clear line.
  const probe = createDataSource(database);
  try {
    await probe.initialize();
  } catch (error) {
    fail(describeConnectionError(error, database.kind === 'postgres' ? database.url : database.dataDir));
  }
  try {
    if (settings.server.database.migrateOnStart) {
      await new DatabaseMigrator(probe, {
        onProgress: (line: string) => print(`orrery: database ${line}`),
      }).upgrade({});
    }
  } catch (error) {
    fail(`database migration failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await probe.destroy();
  }

  const jobsUrl = jobsRedisUrl(settings);
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
      ...(options.api
        ? [
            ApiModule.forRoot({
              options: apiOptionsFrom(settings),
              providers: [
                {
                  provide: DATABASE_PROBE,
                  inject: [DATA_SOURCE],
                  useFactory: (ds: DataSource) => ({ ping: async () => void (await ds.query('SELECT 1')) }),
                },
              ],
            }),
          ]
        : []),
      ...modules,
    ],
  })
  class OrreryProcessModule {}

  let app: INestApplicationContext;
  if (options.api) {
    const http = await createHttpApplication(OrreryProcessModule, apiOptionsFrom(settings), logger, (line) =>
      logger.access(line),
    );
    const { host, port, keepaliveTimeout } = settings.server.api;
    try {
      await http.listen(port, host);
    } catch (error) {
      const code = (error as { code?: string }).code;
      fail(
        code === 'EADDRINUSE'
          ? `port ${port} on ${host} is already in use`
          : `cannot listen on ${host}:${port}: ${String(error)}`,
      );
    }
    http.getHttpServer().keepAliveTimeout = keepaliveTimeout * 1000;
    print(`orrery: API listening on http://${host}:${port}${apiOptionsFrom(settings).prefix}`);
    app = http;
  } else {
    app = await NestFactory.createApplicationContext(OrreryProcessModule, { logger, abortOnError: false });
    await app.init();
  }

  const redisUrl = coordinationRedisUrl(settings);
  let registry: ProcessRegistry | null = null;
  let redis: Redis | null = null;
  if (redisUrl !== null) {
    redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    const apiUrl = options.api ? `http://${settings.server.api.host}:${settings.server.api.port}` : null;
    registry = new ProcessRegistry(
      redis,
      apiUrl,
      plan.services.filter((s) => SERVICE_MODULES[s.name]).map((s) => s.name),
    );
    await redis.connect();
    await registry.start();
  }
  const shutdown = (signal: string): void => {
    print(`orrery: ${signal} received, shutting down`);
    void (async () => {
      await registry?.stop();
      redis?.disconnect();
      await app.close();
      process.exit(0);
    })();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  print(
    `orrery: ready (${[options.api ? 'api' : null, ...plan.services.filter((s) => SERVICE_MODULES[s.name]).map((s) => s.name)].filter(Boolean).join(', ') || 'no services'})`,
  );
  return app;
}
