import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { WorkPoolRepository } from '@orrery/persistence';
import {
  ContractValidator,
  contractDirectory,
  createTestDatabase,
  lazy,
  startTestApi,
  type TestDatabase,
} from '@orrery/testing';

interface Exchange {
  seq: number;
  kind: string;
  method: string;
  path: string;
  req_body: unknown;
  status: number;
  res_body: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
/** Values that differ between runs by nature: server clocks, random run names, lateness. */
const VOLATILE = new Set(['name', 'estimated_start_time_delta', 'estimated_run_time']);

/**
 * Replays the deployment calls of `flow.from_source(...).deploy(...)` and `run_deployment(...)`
 * from a real Prefect server's transcript: the same bodies, with the ids this server minted
 * substituted, must get the same statuses and responses of the same shape and values.
 */
describe('deploy() and run_deployment() replayed from the Prefect transcript', () => {
  const contract = new ContractValidator();
  const transcript = lazy(() =>
    readFileSync(join(contractDirectory(), 'transcripts', 'process-worker-deployment.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Exchange),
  );
  const http = (method: string, pattern: RegExp) =>
    transcript.filter((e) => e.kind === 'http' && e.method === method && pattern.test(e.path.split('?')[0]!));

  let db: TestDatabase;
  let app: NestFastifyApplication;
  /** Transcript ids → ids of this server. */
  const ids = new Map<string, string>();
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
    // The worker created pool "p" (the work-pools API is replayed elsewhere).
    const poolCreate = http('POST', /^\/api\/work_pools\/$/)[0]!;
    const body = poolCreate.req_body as { name: string; type: string; base_job_template: object };
    const pools = app.get(WorkPoolRepository, { strict: false });
    await db.dataSource.transaction((manager) =>
      pools.create(manager, {
        name: body.name,
        description: null,
        type: body.type,
        baseJobTemplate: body.base_job_template as Record<string, unknown>,
        isPaused: false,
        concurrencyLimit: null,
        storageConfiguration: {},
      }),
    );
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  function substitute(value: unknown): unknown {
    if (typeof value === 'string') return ids.get(value) ?? value;
    if (Array.isArray(value)) return value.map(substitute);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
    }
    return value;
  }

  /** Same keys everywhere; ids learned or equal; timestamps well-formed; everything else equal. */
  function expectLike(expected: unknown, actual: unknown, at: string): void {
    if (typeof expected === 'string' && UUID.test(expected)) {
      expect(typeof actual).toBe('string');
      const known = ids.get(expected);
      if (known === undefined) ids.set(expected, actual as string);
      else expect([at, actual]).toEqual([at, known]);
      return;
    }
    if (typeof expected === 'string' && TIMESTAMP.test(expected)) {
      expect([at, actual]).toEqual([at, expect.stringMatching(TIMESTAMP)]);
      return;
    }
    if (typeof expected === 'object' && expected !== null && !Array.isArray(expected)) {
      expect([at, Object.keys(actual as object).sort()]).toEqual([at, Object.keys(expected).sort()]);
      for (const [key, value] of Object.entries(expected)) {
        if (VOLATILE.has(key) && !at.endsWith('state')) continue;
        expectLike(value, (actual as Record<string, unknown>)[key], `${at}.${key}`);
      }
      return;
    }
    if (Array.isArray(expected)) {
      expect([at, (actual as unknown[]).length]).toEqual([at, expected.length]);
      expected.forEach((item, i) => expectLike(item, (actual as unknown[])[i], `${at}[${i}]`));
      return;
    }
    expect([at, actual]).toEqual([at, expected]);
  }

  async function replay(exchange: Exchange, contractPath: string, rawBody = false) {
    const url = exchange.path
      .split('/')
      .map((segment) => ids.get(segment) ?? segment)
      .join('/');
    const body = exchange.req_body === null ? undefined : substitute(exchange.req_body);
    const response = await app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: exchange.method as 'GET',
        url,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
      });
    const parsed: unknown = response.body === '' ? null : response.json();
    contract.assert({
      method: exchange.method,
      path: contractPath,
      status: response.statusCode,
      body: parsed,
    });
    expect([exchange.seq, response.statusCode]).toEqual([exchange.seq, exchange.status]);
    if (!rawBody) expectLike(exchange.res_body, parsed, '');
    return parsed as Record<string, unknown>;
  }

  it('answers every deployment call of deploy() and run_deployment() as Prefect did', async () => {
    const byName = '/deployments/name/{flow_name}/{deployment_name}';
    const [missing, found] = http('GET', /^\/api\/deployments\/name\//);
    await replay(missing!, byName);

    // The flow existed already on the recorded server (200 there); here it is new.
    const flowCreate = http('POST', /^\/api\/flows\/$/).find((e) => e.seq < missing!.seq + 5)!;
    const flowName = (flowCreate.req_body as { name: string }).name;
    const flow = (
      await app
        .getHttpAdapter()
        .getInstance()
        .inject({ method: 'POST', url: '/api/flows/', payload: { name: flowName } })
    ).json<{ id: string }>();
    ids.set((flowCreate.res_body as { id: string }).id, flow.id);

    const deploy = http('POST', /^\/api\/deployments\/$/)[0]!;
    const deployment = await replay(deploy, '/deployments/');
    // The pool's default queue was found by pool name, so its id was learned from the response.
    expect(deployment).toMatchObject({
      work_pool_name: 'p',
      work_queue_name: 'default',
      status: 'NOT_READY',
    });
    await replay(found!, byName);

    const run = http('POST', /^\/api\/deployments\/[^/]+\/create_flow_run$/)[0]!;
    const created = await replay(run, '/deployments/{id}/create_flow_run');
    expect(created).toMatchObject({
      deployment_version: (deploy.req_body as { version: string }).version,
      work_pool_name: 'p',
      work_queue_name: 'default',
      state_type: 'SCHEDULED',
    });

    // Read before any poll: still NOT_READY, as on the recorded server before the worker polled.
    const read = http('GET', /^\/api\/deployments\/[0-9a-f-]{36}$/)[0]!;
    await replay(read, '/deployments/{id}');
  });
});
