import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ContractValidator,
  createTestDatabase,
  type OrreryProcess,
  type TestDatabase,
  waitFor,
  postgresRedisEnv,
  PrivateRedis,
  startOrreryServer,
} from '@orrery/testing';
import { type Json, SDK_HEADERS, type SdkHarness, sdkSequenceScenarios } from './sdk-sequences.scenarios';

/**
 * The SDK's call sequences against a real `orrery server start` process (built from dist/), on the
 * embedded default (PGlite, in-process bus) and on PostgreSQL + Redis: the same scenarios as the
 * in-process suite, over HTTP, with the state events read back through `POST /api/events/filter`
 * once the server's event-persister has stored them.
 */
function harnessFor(api: () => string): SdkHarness {
  const contract = new ContractValidator();
  return {
    call: async (method, url, path, body) => {
      const response = await fetch(`${api()}${url.replace(/^\/api/, '')}`, {
        method,
        headers: { ...SDK_HEADERS, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      const parsed: unknown = text === '' ? null : JSON.parse(text);
      if (!path.includes('/input')) contract.assert({ method, path, status: response.status, body: parsed });
      return { status: response.status, body: parsed as Json };
    },
    flowRunEvents: (flowRunId, atLeast) =>
      waitFor(
        async () => {
          const response = await fetch(`${api()}/events/filter`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              filter: {
                occurred: { since: new Date(Date.now() - 3_600_000).toISOString() },
                event: { prefix: ['prefect.flow-run.'] },
                resource: { id: [`prefect.flow-run.${flowRunId}`] },
                order: 'ASC',
              },
              limit: 50,
            }),
          });
          const page = (await response.json()) as { events: Json[] };
          return page.events.length >= atLeast ? page.events : undefined;
        },
        { timeoutMs: 20_000, what: `${atLeast} persisted flow-run events of ${flowRunId}` },
      ),
  };
}

describe('SDK sequences against a running server on the embedded default (PGlite)', () => {
  let home: string;
  let server: { process: OrreryProcess; url: string };
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'orrery-sdk-embedded-'));
    server = await startOrreryServer({ PREFECT_HOME: home });
  }, 90_000);
  afterAll(async () => {
    await server?.process.stop();
    rmSync(home, { recursive: true, force: true });
  });

  sdkSequenceScenarios(() => harnessFor(() => server.url));
});

describe('SDK sequences against a running server on PostgreSQL + Redis', () => {
  // Stream names are fixed (`events`), so this suite runs a Redis of its own.
  let db: TestDatabase;
  let redis: PrivateRedis;
  let home: string;
  let server: { process: OrreryProcess; url: string };
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    redis = await PrivateRedis.start();
    home = mkdtempSync(join(tmpdir(), 'orrery-sdk-pg-'));
    server = await startOrreryServer({ PREFECT_HOME: home, ...postgresRedisEnv(db.url, redis.url()) });
  }, 90_000);
  afterAll(async () => {
    await server?.process.stop();
    await redis?.dispose();
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  sdkSequenceScenarios(() => harnessFor(() => server.url));
});
