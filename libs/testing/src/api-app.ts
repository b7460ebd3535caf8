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
