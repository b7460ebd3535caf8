// End-to-end: the real `orrery` command (bin/orrery → dist/) as an operator runs it.
import { RedisStreamsBus } from '@orrery/bus';
import { Instant, uuid7 } from '@orrery/domain';
import { MIGRATIONS, MIGRATIONS_TABLE_NAME } from '@orrery/migrations';
import {
  createTestDatabase,
  freePort,
  OrreryProcess,
  PrivateRedis,
  runOrrery,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(120_000);

const basic = (credentials: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
});

describe('orrery server start on the embedded default', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'orrery-e2e-home-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('serves the API within 30 s, guards it with basic auth, and keeps its data across restarts', async () => {
    const port = await freePort();
    const env = {
      PREFECT_HOME: home,
      PREFECT_SERVER_API_PORT: String(port),
      PREFECT_SERVER_API_AUTH_STRING: 'admin:pass',
      PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED: 'true',
    };
    const api = `http://127.0.0.1:${port}/api`;
    const started = Date.now();
    let server = OrreryProcess.start(['server', 'start'], env);
    try {
      await waitFor(async () => (await fetch(`${api}/health`)).ok, {
        timeoutMs: 30_000,
        what: 'GET /api/health',
      });
      console.log(`embedded server healthy after ${Date.now() - started} ms`);
      expect(await (await fetch(`${api}/health`)).json()).toBe(true);
      expect((await fetch(`${api}/ready`)).status).toBe(200);

      const anonymous = await fetch(`${api}/hello`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toEqual({ exception_message: 'Unauthorized' });
      expect(await (await fetch(`${api}/hello`, { headers: basic('admin:pass') })).json()).toBe('👋');

      const missing = await fetch(`${api}/nonexistent`, { headers: basic('admin:pass') });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ detail: 'Not Found' });

      const first = (await (
        await fetch(`${api}/csrf-token?client=e2e`, { headers: basic('admin:pass') })
      ).json()) as {
        id: string;
        created: string;
      };
      expect(first.id).toMatch(/^[0-9a-f-]{36}$/);

      expect(await server.stop()).toBe(0);
      server = OrreryProcess.start(['server', 'start'], env);
      await waitFor(async () => (await fetch(`${api}/health`)).ok, { timeoutMs: 30_000, what: 'restart' });
      const again = (await (
        await fetch(`${api}/csrf-token?client=e2e`, { headers: basic('admin:pass') })
      ).json()) as {
        id: string;
        created: string;
      };
      // The token row written before the restart is the one updated now: the data survived.
      expect(again).toMatchObject({ id: first.id, created: first.created });
      expect(server.output()).toMatch(/no migrations pending|up to date/i);
    } finally {
      await server.stop();
    }
  });
});

describe('telemetry', () => {
  it('exports traces of API requests to the OTLP endpoint it is given', async () => {
    const received: string[] = [];
    const collector = createServer((request, response) => {
      received.push(`${request.method ?? ''} ${request.url ?? ''}`);
      request.resume();
      request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const address = collector.address();
    const collectorPort = typeof address === 'object' && address !== null ? address.port : 0;
    const port = await freePort();
    const home = mkdtempSync(join(tmpdir(), 'orrery-e2e-otel-'));
    const server = OrreryProcess.start(['server', 'start'], {
      PREFECT_HOME: home,
      PREFECT_SERVER_API_PORT: String(port),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok, {
        timeoutMs: 30_000,
        what: 'health',
      });
      await fetch(`http://127.0.0.1:${port}/api/hello`);
      await waitFor(() => received.some((r) => r === 'POST /v1/traces'), {
        timeoutMs: 15_000,
        what: 'an OTLP trace export',
      });
    } finally {
      await server.stop();
      collector.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('orrery refuses bad configuration in one line', () => {
  it('refuses --workers 2 on the embedded database and --workers 0 anywhere', async () => {
    const embedded = await runOrrery(['server', 'start', '--workers', '2'], { PREFECT_HOME: tmpdir() });
    expect(embedded.code).toBe(1);
    expect(embedded.stderr.trim()).toBe(
      'orrery: Multi-worker mode (--workers > 1) is not supported with the embedded database: ' +
        'set PREFECT_API_DATABASE_CONNECTION_URL to a PostgreSQL URL',
    );
    const zero = await runOrrery(['server', 'start', '--workers', '0'], { PREFECT_HOME: tmpdir() });
    expect(zero.code).not.toBe(0);
    expect(zero.stderr).toContain('Number of workers must be >= 1');
  });

  it('names a bad setting and exits non-zero', async () => {
    const result = await runOrrery(['server', 'start'], {
      PREFECT_HOME: tmpdir(),
      PREFECT_SERVER_API_PORT: 'abc',
    });
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PREFECT_SERVER_API_PORT');
  });

  it('names the host:port of an unreachable PostgreSQL, without a stack trace', async () => {
    const port = await freePort();
    const result = await runOrrery(['server', 'start'], {
      PREFECT_HOME: tmpdir(),
      PREFECT_API_DATABASE_CONNECTION_URL: `postgresql+asyncpg://postgres:secret@127.0.0.1:${port}/orrery`,
      PREFECT_SERVER_API_PORT: String(await freePort()),
    });
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`127.0.0.1:${port}`);
    expect(result.stderr).not.toContain('secret');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('orrery server services', () => {
  it('lists every service with its env var and enabled state', async () => {
    const env = { PREFECT_HOME: tmpdir(), PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED: 'false' };
    const table = await runOrrery(['server', 'services', 'ls'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/late-runs\s+periodic\s+x\s+PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED/);
    expect(table.stdout).toMatch(
      /event-persister\s+stream-consumer\s+✓\s+PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED/,
    );
    const json = await runOrrery(['server', 'services', 'ls', '-o', 'json'], env);
    const rows = JSON.parse(json.stdout) as {
      name: string;
      enabled: boolean;
      environment_variable: string;
    }[];
    expect(rows.find((r) => r.name === 'late-runs')).toMatchObject({
      enabled: false,
      environment_variable: 'PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED',
    });
    expect(rows.find((r) => r.name === 'scheduler')?.enabled).toBe(true);
  });

  it('does not start a disabled service', async () => {
    const home = mkdtempSync(join(tmpdir(), 'orrery-e2e-services-'));
    const services = OrreryProcess.start(['server', 'services', 'start'], {
      PREFECT_HOME: home,
      PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED: 'false',
      PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED: 'false',
    });
    try {
      await services.waitForOutput(/orrery: ready/);
      expect(services.output()).toContain(
        'service late-runs disabled by PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED',
      );
      // db-vacuum's default target is events, which it leaves alone while they are not persisted.
      expect(services.output()).toContain(
        'orrery: db-vacuum leaves events alone: PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED is false',
      );
      expect(services.output()).not.toMatch(/service late-runs (starting|enabled)/);
      expect(services.output()).toMatch(/service scheduler (starting|enabled)/);
    } finally {
      expect(await services.stop()).toBe(0);
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('orrery server services with PostgreSQL and Redis', () => {
  // Stream names are fixed (`events`), so this suite runs a Redis of its own.
  let db: TestDatabase;
  let redis: PrivateRedis;
  let redisUrl: string;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    redis = await PrivateRedis.start();
    redisUrl = redis.url();
  });
  afterAll(async () => {
    await redis?.dispose();
    await db?.drop();
  });

  it('shows live replicas and consumer-group lag, and forgets a stopped replica', async () => {
    const env = {
      PREFECT_HOME: tmpdir(),
      PREFECT_API_DATABASE_CONNECTION_URL: db.url,
      PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
      PREFECT_REDIS_MESSAGING_URL: redisUrl,
      PREFECT_SERVER_DOCKET_URL: redisUrl,
      PREFECT_SERVER_SERVICES_EVENT_LOGGER_ENABLED: 'true',
      PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED: 'false',
    };
    const services = OrreryProcess.start(['server', 'services', 'start'], env);
    const bus = new RedisStreamsBus({ redis: { url: redisUrl } });
    try {
      await services.waitForOutput(/orrery: ready \(.*event-logger/);
      const id = uuid7();
      await bus.publish('events', {
        id,
        occurred: Instant.now().toISOString(),
        event: 'prefect.flow-run.Running',
        resource: { 'prefect.resource.id': 'prefect.flow-run.e2e' },
      });
      await services.waitForOutput(
        new RegExp(`${id.split('-')[0]} .* prefect.flow-run.Running prefect.flow-run.e2e`),
      );

      type Row = { name: string; replicas: string[] | null; consumer_group: { lag: number | null } | null };
      const rows = await waitFor(
        async () => {
          const result = await runOrrery(['server', 'services', 'ls', '-o', 'json'], env);
          const parsed = JSON.parse(result.stdout) as Row[];
          const logger = parsed.find((r) => r.name === 'event-logger');
          return logger?.replicas?.length === 1 && logger.consumer_group?.lag === 0 ? parsed : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 500, what: 'one live event-logger replica with lag 0' },
      );
      expect(rows.find((r) => r.name === 'late-runs')?.replicas).toEqual([]);
      const table = await runOrrery(['server', 'services', 'ls'], env);
      expect(table.stdout).toMatch(
        /event-logger\s+stream-consumer\s+✓\s+PREFECT_SERVER_SERVICES_EVENT_LOGGER_ENABLED\s+1\s+0/,
      );
    } finally {
      await bus.close();
      expect(await services.stop()).toBe(0);
    }
    const after = JSON.parse((await runOrrery(['server', 'services', 'ls', '-o', 'json'], env)).stdout) as {
      name: string;
      replicas: string[];
    }[];
    expect(after.find((r) => r.name === 'event-logger')?.replicas).toEqual([]);
  });
  it('runs --workers 2 API processes on one port, replaces a killed one, and stops them all on SIGTERM', async () => {
    const port = await freePort();
    const env = {
      PREFECT_HOME: tmpdir(),
      PREFECT_API_DATABASE_CONNECTION_URL: db.url,
      PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
      PREFECT_MESSAGING_CACHE: 'prefect_redis.messaging',
      PREFECT_SERVER_EVENTS_CAUSAL_ORDERING: 'prefect_redis.ordering',
      PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE: 'prefect_redis.lease_storage',
      PREFECT_REDIS_MESSAGING_URL: redisUrl,
      PREFECT_SERVER_DOCKET_URL: redisUrl,
    };
    const api = `http://127.0.0.1:${port}/api`;
    const server = OrreryProcess.start(['server', 'start', '--workers', '2', '--port', String(port)], env);
    try {
      await server.waitForOutput(/orrery: ready \(api, 2 workers\)/, 60_000);
      expect(server.output()).toContain(
        'orrery: starting 2 API worker processes (no services in this process)',
      );
      const workers = childPids(server.child.pid!);
      expect(workers).toHaveLength(2);

      // Each request on a connection of its own: the supervisor deals connections out in turn.
      const flow = (await postOnNewConnection(`${api}/flows/`, { name: 'workers-e2e' })) as { id: string };
      const runs = await Promise.all(
        Array.from({ length: 10 }, () => postOnNewConnection(`${api}/flow_runs/`, { flow_id: flow.id })),
      );
      expect(new Set(runs.map((r) => (r as { id: string }).id)).size).toBe(10);

      process.kill(workers[0]!, 'SIGKILL');
      await server.waitForOutput(/API worker \d \(pid \d+\) stopped \(signal SIGKILL\); starting a new one/);
      await server.waitForOutput(/API worker \d \(pid \d+\) is serving again/, 60_000);
      const replaced = childPids(server.child.pid!);
      expect(replaced).toHaveLength(2);
      expect(replaced).toContain(workers[1]);
      expect(replaced).not.toContain(workers[0]);
      const count = await Promise.all(
        Array.from({ length: 6 }, () => postOnNewConnection(`${api}/flow_runs/count`, {})),
      );
      expect(count).toEqual(Array.from({ length: 6 }, () => 10));
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(childPids(server.child.pid!)).toEqual([]);
  });

  it('refuses --workers 2 while the bus, cache, ordering or leases are in memory, naming the settings', async () => {
    const result = await runOrrery(['server', 'start', '--workers', '2'], {
      PREFECT_HOME: tmpdir(),
      PREFECT_API_DATABASE_CONNECTION_URL: db.url,
      PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
      PREFECT_REDIS_MESSAGING_URL: redisUrl,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'orrery: Multi-worker mode (--workers > 1) requires Redis for messaging and lease storage; set ' +
        'PREFECT_MESSAGING_CACHE="prefect_redis.messaging", ' +
        'PREFECT_SERVER_EVENTS_CAUSAL_ORDERING="prefect_redis.ordering", ' +
        'PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE="prefect_redis.lease_storage" ' +
        'and the Redis connection (PREFECT_REDIS_MESSAGING_URL or _HOST/_PORT/_DB)',
    );
  });
});

/** The pids of a process's children (from /proc). */
function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid && fields[0] !== 'Z') children.push(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return children.sort((a, b) => a - b);
}

/** POSTs JSON on a fresh TCP connection (no keep-alive pool) and returns the parsed answer. */
function postOnNewConnection(url: string, body: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          (res.statusCode ?? 0) < 300
            ? resolve(JSON.parse(text))
            : reject(new Error(`${res.statusCode} ${url}: ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('orrery server database on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  const applied = async (): Promise<string[]> =>
    (
      (await db.dataSource.query(`SELECT name FROM ${MIGRATIONS_TABLE_NAME} ORDER BY id`)) as {
        name: string;
      }[]
    ).map((r) => r.name);
  const env = (): Record<string, string> => ({
    PREFECT_HOME: tmpdir(),
    PREFECT_API_DATABASE_CONNECTION_URL: db.url.replace('postgresql://', 'postgresql+asyncpg://'),
  });

  it('applies the schema once when three upgrades run at the same time', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => runOrrery(['server', 'database', 'upgrade', '-y'], env())),
    );
    for (const result of results) expect(result).toMatchObject({ code: 0 });
    const names = await applied();
    expect(names).toHaveLength(MIGRATIONS.length);
    expect(new Set(names).size).toBe(names.length);
    expect(results.map((r) => r.stdout).join('\n')).toMatch(/applying/);
  });

  it('round-trips downgrade -1, upgrade and reset', async () => {
    const head = await applied();
    expect((await runOrrery(['server', 'database', 'downgrade', '-y', '-r', '-1'], env())).code).toBe(0);
    expect(await applied()).toEqual(head.slice(0, -1));
    expect((await runOrrery(['server', 'database', 'upgrade', '-y'], env())).code).toBe(0);
    expect(await applied()).toEqual(head);
    await db.dataSource.query(`INSERT INTO flow (name) VALUES ('before-reset')`);
    const reset = await runOrrery(['server', 'database', 'reset', '-y'], env());
    expect(reset.code).toBe(0);
    expect(await applied()).toEqual(head);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM flow`)).toEqual([{ n: 0 }]);
  });

  it('refuses to change the schema without -y when nobody can confirm', async () => {
    const result = await runOrrery(['server', 'database', 'reset'], env());
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/-y/);
  });
});
