// End-to-end: the docker-compose.yml HA topology, run by tools/ha as local processes behind a real
// nginx (architecture decision 12). The product bar: kill any process during a load test and the
// clients don't notice.
import {
  createTestDatabase,
  PrivateRedis,
  REPO_ROOT,
  runOrrery,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import Redis from 'ioredis';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { startTopology, type Topology } from './src/topology';

const log: string[] = [];

interface AccessEntry {
  /** When nginx finished the request (epoch ms). */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Every replica port nginx tried, in order; the last one answered. */
  readonly upstreams: readonly number[];
}

function accessLog(topology: Topology): AccessEntry[] {
  const text = readFileSync(join(topology.dir, 'access.log'), 'utf8');
  const entries: AccessEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /t=([\d.]+) "([A-Z]+) (\S+) [^"]*" (\d+) .* upstream=(.*) upstream_status=/.exec(line);
    if (m === null) continue;
    entries.push({
      at: Number(m[1]) * 1000,
      method: m[2]!,
      path: m[3]!,
      status: Number(m[4]),
      upstreams: [...m[5]!.matchAll(/:(\d+)/g)].map((p) => Number(p[1])),
    });
  }
  return entries;
}

interface LoadResult {
  readonly requests: number;
  readonly failures: readonly string[];
  readonly latencies: readonly number[];
}

/**
 * `clients` concurrent loops of GET /api/hello and GET /api/ready, bounded in time and count, each
 * client at most one request per 20 ms (the machine is shared; the point is steady traffic across the
 * kill, not throughput).
 */
async function load(
  base: string,
  clients: number,
  durationMs: number,
  maxRequests: number,
): Promise<LoadResult> {
  const deadline = Date.now() + durationMs;
  let issued = 0;
  const failures: string[] = [];
  const latencies: number[] = [];
  const client = async (id: number): Promise<void> => {
    for (let i = 0; Date.now() < deadline && issued < maxRequests; i++) {
      issued++;
      const path = (i + id) % 2 === 0 ? '/api/hello' : '/api/ready';
      const started = performance.now();
      try {
        const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(10_000) });
        const body = await response.text();
        if (response.status !== 200) failures.push(`${path} → ${response.status} ${body.slice(0, 100)}`);
      } catch (error) {
        failures.push(`${path} → ${String(error)}`);
      }
      const elapsed = performance.now() - started;
      latencies.push(elapsed);
      if (elapsed < 20) await new Promise((r) => setTimeout(r, 20 - elapsed));
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, id) => client(id)));
  return { requests: latencies.length, failures, latencies };
}

interface WriteResult {
  readonly names: readonly string[];
  /** Attempts that got 502/503 or no answer and were sent again, as the Prefect SDK does. */
  readonly retried: number;
  readonly failures: readonly string[];
}

/**
 * One client creating flows (`POST /api/flows/`, one per 20 ms, bounded in time) with the Prefect
 * client's retry rule: a 408/429/502/503 or a connection error is retried with back-off. nginx does
 * not replay a POST that reached a replica, so this is where an in-flight write on a killed replica
 * is recovered. Creating a flow is idempotent by name (201, then 200), so a retry never duplicates.
 */
async function writeLoad(base: string, durationMs: number, maxWrites: number): Promise<WriteResult> {
  const deadline = Date.now() + durationMs;
  const names: string[] = [];
  const failures: string[] = [];
  let retried = 0;
  for (let i = 0; Date.now() < deadline && i < maxWrites; i++) {
    const name = `ha-write-${i}`;
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      let outcome: string;
      try {
        const response = await fetch(`${base}/api/flows/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name }),
          signal: AbortSignal.timeout(10_000),
        });
        await response.text();
        if (response.status === 201 || response.status === 200) {
          names.push(name);
          break;
        }
        outcome = String(response.status);
        if (![408, 429, 502, 503].includes(response.status)) {
          failures.push(`${name} → ${outcome}`);
          break;
        }
      } catch (error) {
        outcome = String(error);
      }
      if (attempt === 4) {
        failures.push(`${name} → ${outcome} after ${attempt} attempts`);
        break;
      }
      retried++;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
    const elapsed = performance.now() - started;
    if (elapsed < 20) await new Promise((r) => setTimeout(r, 20 - elapsed));
  }
  return { names, retried, failures };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function running(topology: Topology, name: string): boolean {
  const child = topology.processes.get(name);
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

type ServiceRow = { name: string; replicas: string[] | null };

async function servicesLs(topology: Topology): Promise<ServiceRow[]> {
  const result = await runOrrery(['server', 'services', 'ls', '-o', 'json'], {
    ...topology.env,
    PREFECT_HOME: join(topology.dir, 'cli-home'),
  });
  if (result.code !== 0) throw new Error(`services ls exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as ServiceRow[];
}

describe('the HA topology of docker-compose.yml (tools/ha)', () => {
  let db: TestDatabase;
  // Stream and registry key names are fixed, so the topology runs on a Redis of this file's own.
  let server: PrivateRedis;
  let redis: Redis;
  let topology: Topology | null = null;
  const replicaId = (name: string): string => `${hostname()}-${topology?.info(name).pid}`;

  beforeAll(async () => {
    execFileSync('bash', [join(REPO_ROOT, 'tools', 'dev', 'ensure-nginx.sh')], { stdio: 'inherit' });
    db = await createTestDatabase({ migrate: false });
    server = await PrivateRedis.start();
    redis = new Redis(server.url());
    const started = Date.now();
    topology = await startTopology({
      databaseUrl: db.url,
      redisServer: `redis://127.0.0.1:${server.port}`,
      redisDb: 0,
      // ORRERY_HA_KEEP=1 keeps the logs and the generated nginx.conf for a post-mortem.
      keepDir: process.env.ORRERY_HA_KEEP === '1',
      log: (line) => log.push(`${new Date().toISOString()} ${line}`),
    });
    console.log(`topology up in ${Date.now() - started} ms in ${topology.dir}`);
  }, 90_000);

  afterAll(async () => {
    // What ran where and when, every start, kill and exit: the first thing to read when a test fails.
    console.log(log.join('\n'));
    try {
      if (topology !== null) await topology.stop(5000);
    } finally {
      redis?.disconnect();
      await server?.dispose();
      await db?.drop();
    }
  }, 30_000);

  it('answers liveness and readiness through nginx, from both API replicas', async () => {
    const t = topology as Topology;
    const health = await fetch(`${t.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toBe(true);
    const ready = await fetch(`${t.url}/api/ready`);
    expect(ready.status).toBe(200);
    await ready.text();
    for (let i = 0; i < 6; i++) await (await fetch(`${t.url}/api/hello`)).text();
    const served = new Set(accessLog(t).map((e) => e.upstreams.at(-1)));
    expect(served).toEqual(new Set([t.info('api-1').port, t.info('api-2').port]));
  });

  it('shows both services replicas as live in `orrery server services ls`', async () => {
    const t = topology as Topology;
    const rows = await servicesLs(t);
    // db-vacuum is implemented and enabled by default, so every services replica runs it; the API
    // replicas run no service.
    const vacuum = rows.find((r) => r.name === 'db-vacuum');
    expect([...(vacuum?.replicas ?? [])].sort()).toEqual(
      [replicaId('services-1'), replicaId('services-2')].sort(),
    );
  });

  it('loses no request when an API replica is killed -9 under load, and serves from it again once restarted', async () => {
    const t = topology as Topology;
    const [port1, port2] = [t.info('api-1').port, t.info('api-2').port];
    const loadStarted = Date.now();
    let killedAt = 0;
    const killer = (async () => {
      await new Promise((r) => setTimeout(r, 2000));
      const exit = await t.kill('api-1', 'SIGKILL');
      killedAt = Date.now();
      return exit;
    })();
    const [result, writes] = await Promise.all([
      load(`${t.url}`, 4, 6000, 1500),
      writeLoad(t.url, 6000, 400),
    ]);
    expect((await killer).signal).toBe('SIGKILL');

    const log = accessLog(t).filter((e) => e.at >= loadStarted);
    const entries = log.filter((e) => e.method === 'GET' && e.path.match(/^\/api\/(hello|ready)$/));
    const before = entries.filter((e) => e.at < killedAt - 100);
    const after = entries.filter((e) => e.at > killedAt + 500);
    const movedOff = entries.filter((e) => e.upstreams.length > 1);
    console.log(
      [
        `API replica kill -9 under load: ${result.requests} requests by 4 clients in ${Date.now() - loadStarted} ms,`,
        `${result.failures.length} failed; latency p50 ${percentile(result.latencies, 50).toFixed(1)} ms,`,
        `p95 ${percentile(result.latencies, 95).toFixed(1)} ms, max ${Math.max(...result.latencies).toFixed(1)} ms;`,
        `before the kill api-1 served ${before.filter((e) => e.upstreams.at(-1) === port1).length}`,
        `and api-2 ${before.filter((e) => e.upstreams.at(-1) === port2).length};`,
        `after it api-2 served ${after.filter((e) => e.upstreams.at(-1) === port2).length} of ${after.length};`,
        `${movedOff.length} requests retried by nginx on the other replica`,
        `(${movedOff
          .map((e) => e.upstreams.join('→'))
          .slice(0, 3)
          .join(', ')}…)`,
      ].join(' '),
    );
    // Every write the client was told succeeded is there, exactly once (read back by name).
    const missing: string[] = [];
    for (const name of writes.names) {
      const response = await fetch(`${t.url}/api/flows/name/${name}`);
      const flow = (await response.json()) as { name?: string };
      if (response.status !== 200 || flow.name !== name) missing.push(`${name} → ${response.status}`);
    }
    console.log(
      `writes during the kill: ${writes.names.length} flows created, ${writes.retried} attempts retried by the ` +
        `client (502/503/connection error), ${writes.failures.length} failed after retries, ${missing.length} missing`,
    );
    expect(result.failures).toEqual([]);
    expect(writes.failures).toEqual([]);
    expect(missing).toEqual([]);
    // Load ran through the kill (how much is a throughput figure, printed above, not a floor).
    expect(writes.names.length).toBeGreaterThan(0);
    expect(result.requests).toBeGreaterThan(0);
    expect(before.some((e) => e.upstreams.at(-1) === port1)).toBe(true);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((e) => e.upstreams.at(-1) === port2 && e.status === 200)).toBe(true);
    // nginx noticed the dead replica through the requests it routed there. Each was passed on to
    // api-2 and answered there (a refused connection: any method), or — a POST that reached the
    // dead replica's kept-alive connection, which nginx never resends (not idempotent) — answered
    // 502, which the writer retries. Which of these comes first is a race.
    const hitDead = log.filter(
      (e) => e.upstreams[0] === port1 && (e.upstreams.length > 1 || e.status >= 502),
    );
    expect(hitDead.length).toBeGreaterThan(0);
    for (const e of hitDead) {
      const passedOn = e.upstreams.at(-1) === port2 && e.status < 300;
      const refusedWrite = e.method !== 'GET' && e.upstreams.length === 1 && e.status === 502;
      // The entry is in the expectation so a failure shows it.
      expect({ entry: e, ok: passedOn || refusedWrite }).toEqual({ entry: e, ok: true });
    }
    if (hitDead.some((e) => e.status === 502)) expect(writes.retried).toBeGreaterThan(0);

    const restartStarted = Date.now();
    await t.restart('api-1');
    expect(t.info('api-1').port).toBe(port1);
    const readyAt = Date.now();
    // nginx takes the replica back after fail_timeout (5 s): keep a light trickle going until it does.
    let trickle = 0;
    const failures: string[] = [];
    const back = await waitFor(
      async () => {
        trickle++;
        const response = await fetch(`${t.url}/api/hello`);
        if (response.status !== 200) failures.push(String(response.status));
        await response.text();
        return accessLog(t).find((e) => e.at >= readyAt && e.upstreams.at(-1) === port1);
      },
      { timeoutMs: 20_000, intervalMs: 100, what: 'nginx to route to the restarted api-1' },
    );
    console.log(
      `api-1 restarted in ${readyAt - restartStarted} ms and served again ${Math.round(back.at - readyAt)} ms later ` +
        `(${trickle} requests meanwhile, ${failures.length} failed)`,
    );
    expect(failures).toEqual([]);
  }, 60_000);

  it('drains an API replica on SIGTERM under load (a rolling restart) without a failed request', async () => {
    const t = topology as Topology;
    // Independent of the previous test: both replicas serve before one of them is stopped.
    if (!running(t, 'api-1')) await t.restart('api-1');
    const port2 = t.info('api-2').port;
    const loadStarted = Date.now();
    let drainMs = 0;
    const stopper = (async () => {
      await new Promise((r) => setTimeout(r, 1000));
      const signalled = Date.now();
      const exit = await t.kill('api-2', 'SIGTERM');
      drainMs = Date.now() - signalled;
      return exit;
    })();
    const result = await load(`${t.url}`, 4, 3000, 800);
    const exit = await stopper;
    const moved = accessLog(t).filter((e) => e.at >= loadStarted && e.upstreams.length > 1);
    console.log(
      `API replica SIGTERM under load: ${result.requests} requests, ${result.failures.length} failed; ` +
        `p50 ${percentile(result.latencies, 50).toFixed(1)} ms, p95 ${percentile(result.latencies, 95).toFixed(1)} ms; ` +
        `api-2 exited with ${exit.code ?? exit.signal} ${drainMs} ms after SIGTERM; ` +
        `${moved.length} requests retried on the other replica`,
    );
    // A replica waits for idle keep-alive connections to close before it exits (nginx closes them
    // after keepalive_timeout, 4 s): it exits, cleanly; how long that took is printed above.
    expect(exit).toEqual({ code: 0, signal: null });
    expect(result.failures).toEqual([]);
    expect(result.requests).toBeGreaterThan(0);
    await t.restart('api-2');
    expect(t.info('api-2').port).toBe(port2);
  }, 60_000);

  it('keeps working when a services replica is killed -9; `services ls` drops it within the registry TTL', async () => {
    const t = topology as Topology;
    const survivor = replicaId('services-2');
    const survivorKey = `orrery:processes:${survivor}`;
    const beatBefore = (JSON.parse((await redis.get(survivorKey)) ?? '{}') as { heartbeatAt?: string })
      .heartbeatAt;
    const killedAt = Date.now();
    expect((await t.kill('services-1', 'SIGKILL')).signal).toBe('SIGKILL');

    const rows = await waitFor(
      async () => {
        const current = await servicesLs(t);
        const replicas = current.find((r) => r.name === 'db-vacuum')?.replicas ?? [];
        return replicas.length === 1 ? current : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 1000, what: 'db-vacuum to show one live replica' },
    );
    const beatAfter = (JSON.parse((await redis.get(survivorKey)) ?? '{}') as { heartbeatAt?: string })
      .heartbeatAt;
    console.log(
      `services-1 killed -9: services ls showed 1 live replica after ${Date.now() - killedAt} ms; ` +
        `services-2 heartbeats ${beatBefore} → ${beatAfter}`,
    );
    expect(rows.find((r) => r.name === 'db-vacuum')?.replicas).toEqual([survivor]);
    expect(running(t, 'services-2')).toBe(true);
    // The survivor kept beating (every 10 s) while the dead one's key expired (30 s TTL).
    expect(beatAfter).toBeDefined();
    expect(Date.parse(beatAfter as string)).toBeGreaterThan(Date.parse(beatBefore as string));
  }, 60_000);

  it('shuts everything down cleanly on SIGTERM: every process exits 0, none is left behind', async () => {
    const t = topology as Topology;
    const pids = [...t.processes.entries()].filter(([name]) => running(t, name)).map(([name]) => name);
    const report = await t.stop();
    topology = null;
    console.log(`stop: ${JSON.stringify(report.exits)}`);
    expect(Object.keys(report.exits).sort()).toEqual(pids.sort());
    expect(Object.keys(report.exits).sort()).toEqual(['api-1', 'api-2', 'nginx', 'services-2']);
    for (const exit of Object.values(report.exits)) expect(exit).toEqual({ code: 0, signal: null });
    expect(report.leftovers).toEqual([]);
    // Every process removed its own registry key on the way out.
    expect(await redis.keys('orrery:processes:*')).toEqual([]);
    await expect(fetch(`${t.url}/api/health`)).rejects.toThrow();
  }, 60_000);
});
