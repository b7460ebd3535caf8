// End-to-end: a real `orrery server start` (API + services in one process) schedules a new
// deployment's interval schedule within seconds — the recent-deployments loop — on the embedded
// default (PGlite, in-process bus and jobs) and on PostgreSQL + Redis.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  freePort,
  OrreryProcess,
  PrivateRedis,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';

jest.setTimeout(180_000);

async function newDeploymentGetsRuns(env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const api = `http://127.0.0.1:${port}/api`;
  const server = OrreryProcess.start(['server', 'start'], { ...env, PREFECT_SERVER_API_PORT: String(port) });
  try {
    await waitFor(async () => (await fetch(`${api}/health`)).ok, {
      timeoutMs: 60_000,
      what: 'GET /api/health',
    });
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${api}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.ok).toBe(true);
      return (await response.json()) as Record<string, unknown>;
    };
    const flow = await post('/flows/', { name: 'e2e-scheduled' });
    const created = Date.now();
    const deployment = await post('/deployments/', {
      flow_id: flow.id,
      name: 'every-ten-minutes',
      schedules: [{ schedule: { interval: 600 } }],
    });
    const runs = await waitFor(
      async () => {
        const found = (await (
          await fetch(`${api}/flow_runs/filter`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ deployments: { id: { any_: [deployment.id] } } }),
          })
        ).json()) as { state: { name: string }; auto_scheduled: boolean; tags: string[] }[];
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'runs of the new deployment' },
    );
    const latency = Date.now() - created;
    expect(runs[0]).toMatchObject({ state: { name: 'Scheduled' }, auto_scheduled: true });
    expect(runs[0]!.tags).toContain('auto-scheduled');
    return latency;
  } finally {
    await server.stop();
  }
}

describe('a deployment with an interval schedule has runs within seconds of its creation', () => {
  it('on the embedded default', async () => {
    const home = mkdtempSync(join(tmpdir(), 'orrery-scheduler-e2e-'));
    try {
      const latency = await newDeploymentGetsRuns({ PREFECT_HOME: home });
      console.log(`embedded: first runs ${latency} ms after the deployment was created (goal < 5000 ms)`);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('on PostgreSQL + Redis', async () => {
    const db: TestDatabase = await createTestDatabase({ migrate: true, poolSize: 1 });
    // The `events` stream and job keys have fixed names: a Redis of this test's own.
    const redis = await PrivateRedis.start();
    const home = mkdtempSync(join(tmpdir(), 'orrery-scheduler-e2e-'));
    try {
      const latency = await newDeploymentGetsRuns({
        PREFECT_HOME: home,
        PREFECT_API_DATABASE_CONNECTION_URL: db.url,
        PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
        PREFECT_MESSAGING_CACHE: 'prefect_redis.messaging',
        PREFECT_REDIS_MESSAGING_URL: redis.url(),
        PREFECT_SERVER_DOCKET_URL: redis.url(),
      });
      console.log(
        `PostgreSQL + Redis: first runs ${latency} ms after the deployment was created (goal < 5000 ms)`,
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
      await redis.dispose();
      await db.drop();
    }
  });
});
