import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  ApiModule,
  type ApiOptions,
  createHttpApplication,
  DATABASE_PROBE,
  RestApiModule,
} from '@orrery/api';
import { BusModule } from '@orrery/bus';
import { JobsModule } from '@orrery/jobs';
import { LeaseStorageModule } from '@orrery/lease-storage';
import { OutboxModule } from '@orrery/outbox';
import { PersistenceModule, type DatabaseOptions } from '@orrery/persistence';
import { createPgliteTestDatabase, createTestDatabase } from './database';

export const TEST_API_OPTIONS: ApiOptions = {
  prefix: '/api',
  authString: null,
  csrfEnabled: false,
  csrfTokenExpirationSeconds: 3600,
  cors: { origins: '*', methods: '*', headers: '*' },
  bodyLimitBytes: 16 * 1024 * 1024,
  ui: { apiUrl: 'http://127.0.0.1:4200/api', enabled: true },
  accessLog: false,
  defaultLimit: 200,
};

/**
 * The full REST API in-process on a given database (in-memory bus and jobs), for contract tests
 * that call it with Fastify's inject — the same module graph `orrery server start` builds.
 */
export async function startTestApi(
  database: DatabaseOptions,
  overrides: Partial<ApiOptions> = {},
): Promise<NestFastifyApplication> {
  const options: ApiOptions = { ...TEST_API_OPTIONS, ...overrides };
  @Module({
    imports: [
      PersistenceModule.forRoot(database),
      BusModule.forRoot({ driver: 'memory' }),
      JobsModule.forRoot({ driver: 'in-process' }),
      LeaseStorageModule.forRoot({ driver: 'memory' }),
      OutboxModule.forRoot(),
      ApiModule.forRoot({
        options,
        providers: [{ provide: DATABASE_PROBE, useValue: { ping: () => Promise.resolve() } }],
      }),
      RestApiModule,
    ],
  })
  class TestApiRoot {}
  const app = await createHttpApplication(TestApiRoot, options, { log() {}, error() {}, warn() {} });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** The engines contract tests run the API on: PostgreSQL, and the embedded default. */
export type TestEngine = 'postgres' | 'pglite';

/**
 * The test API (startTestApi) on a freshly migrated scratch database of `engine`, with `drop` to
 * remove that database after the API is closed. On PGlite the migrating DataSource is closed before
 * the API opens the same directory: a process holds one live PGlite.
 */
export async function startTestApiOn(
  engine: TestEngine,
  poolSize = 3,
): Promise<{ app: NestFastifyApplication; drop: () => Promise<void> }> {
  if (engine === 'postgres') {
    const db = await createTestDatabase({ migrate: true, poolSize: 1 });
    const app = await startTestApi({ kind: 'postgres', url: db.url, poolSize });
    return { app, drop: () => db.drop() };
  }
  const db = await createPgliteTestDatabase({ migrate: true });
  await db.dataSource.destroy();
  const app = await startTestApi({ kind: 'pglite', dataDir: db.dataDir });
  return { app, drop: () => db.drop() };
}
