// Events benchmark (issue 4), on PostgreSQL + Redis. Two phases against a real server:
//  1. ingest → persisted: N events POSTed to /api/events at a target rate, in batches; prints the
//     POST rate, the persisted rate (events / (last `recorded` − first send)) and the lag
//     `recorded − occurred` (occurred = the moment the batch was sent) p50/p95/p99/max;
//  2. task-run events → task runs visible through REST: M task runs (Pending, Running, Completed
//     events), polled with POST /api/task_runs/filter; prints the time from sending the Completed
//     event to the first REST answer showing COMPLETED, p50/p95/p99/max.
// Also prints the load average before and after (the machine is shared). Asserts nothing.
//
// By default it starts its own processes from dist/ on a fresh database (dropped at the end) and a
// redis-server of its own on a free port (PrivateRedis, removed at the end): one API (`server start
// --no-services`), the event-persister and the task-run-recorder apps. With --url it measures a running server instead (give --database-url
// so that persisted rows can be read).
//
//   npm run bench:events -- [--events 20000] [--rate 6000] [--batch 100] [--concurrency 8]
//        [--task-runs 1000] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
//        [--url http://127.0.0.1:4200/api --database-url postgresql://…]
import 'reflect-metadata';
import { uuid7 } from '@orrery/domain';
import { createDataSource, EventRepository, type EventWrite } from '@orrery/persistence';
import { freePort, PrivateRedis, sdkTaskRunEvent } from '@orrery/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { cpuSeconds, fmt, parseArgs, BenchProcess as Proc, summarise } from './bench-support';

// dist/tools/bench/src → the repository root.
const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
const ORRERY_BIN = join(REPO_ROOT, 'bin', 'orrery');

type Json = Record<string, unknown>;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const load = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

/** CPU seconds of every PostgreSQL backend connected to `database` (the persister's, the API's …). */
async function databaseCpuSeconds(db: Client, database: string): Promise<number> {
  const { rows } = await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [database]);
  return rows.reduce((sum: number, r: { pid: number }) => sum + (cpuSeconds(r.pid) || 0), 0);
}

interface Topology {
  api: string;
  databaseUrl: string;
  /** The processes the bench started (name → pid), for their CPU use. */
  pids: Record<string, number>;
  stop(): Promise<void>;
}

/** A fresh database, one API process and the two event services on a Redis of the bench's own. */
async function startTopology(pgServer: string): Promise<Topology> {
  const name = `orrery_bench_events_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: pgServer });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(pgServer);
  url.pathname = `/${name}`;
  const redis = await PrivateRedis.start();
  const redisUrl = redis.url();
  const home = mkdtempSync(join(tmpdir(), 'orrery-bench-events-'));
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PREFECT_')) base[k] = v;
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
    ...base,
    PREFECT_HOME: join(home, extra.PREFECT_HOME ?? 'x'),
    PREFECT_API_DATABASE_CONNECTION_URL: url.toString(),
    PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
    PREFECT_MESSAGING_CACHE: 'prefect_redis.messaging',
    PREFECT_REDIS_MESSAGING_URL: redisUrl,
    PREFECT_SERVER_DOCKET_URL: redisUrl,
    PREFECT_SERVER_DATABASE_MIGRATE_ON_START: 'false',
    PREFECT_LOGGING_SERVER_LEVEL: 'WARNING',
    ...extra,
  });
  const procs: Proc[] = [];
  const stop = async (): Promise<void> => {
    for (const p of procs.reverse()) await p.stop();
    await redis.dispose();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(home, { recursive: true, force: true });
  };
  try {
    const migrate = Proc.start('migrate', [ORRERY_BIN, 'server', 'database', 'upgrade', '-y'], env({}));
    if ((await migrate.exited) !== 0) throw new Error(`migration failed:\n${migrate.out}`);
    const port = await freePort();
    const api = Proc.start(
      'api',
      [ORRERY_BIN, 'server', 'start', '--no-services', '--host', '127.0.0.1', '--port', String(port)],
      env({ PREFECT_HOME: 'api' }),
    );
    procs.push(api);
    const main = (app: string): string => join(REPO_ROOT, 'dist', 'apps', app, 'src', 'main.js');
    const persister = Proc.start('event-persister', [main('event-persister')], env({ PREFECT_HOME: 'ep' }));
    const recorder = Proc.start(
      'task-run-recorder',
      [main('task-run-recorder')],
      env({ PREFECT_HOME: 'tr' }),
    );
    procs.push(persister, recorder);
    await Promise.all(procs.map((p) => p.ready()));
    const pids = Object.fromEntries(procs.map((p) => [p.name, p.child.pid ?? 0]));
    return { api: `http://127.0.0.1:${port}/api`, databaseUrl: url.toString(), pids, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function post(url: string, body: unknown): Promise<Response> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${response.status} ${url}: ${(await response.text()).slice(0, 200)}`);
  return response;
}

/** Sends `batches` at `rate` events/s over `concurrency` connections; each batch is stamped when sent. */
async function sendPaced(
  api: string,
  batches: (() => Json[])[],
  rate: number,
  concurrency: number,
): Promise<{ seconds: number; sent: number }> {
  let next = 0;
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const make = batches[next++]!;
        const due = started + (sent / rate) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const events = make();
        sent += events.length;
        await post(`${api}/events`, events);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, sent };
}

async function ingestPhase(
  api: string,
  db: Client,
  total: number,
  batchSize: number,
  rate: number,
  concurrency: number,
): Promise<void> {
  const name = `bench.events.${randomBytes(4).toString('hex')}`;
  const batches = Array.from({ length: Math.ceil(total / batchSize) }, (_, b) => (): Json[] => {
    const occurred = new Date().toISOString();
    return Array.from({ length: Math.min(batchSize, total - b * batchSize) }, () => {
      const id = uuid7();
      return {
        id,
        occurred,
        event: name,
        resource: { 'prefect.resource.id': `prefect.flow-run.${id}`, 'prefect.resource.name': 'bench' },
        related: [
          { 'prefect.resource.id': 'prefect.flow.bench', 'prefect.resource.role': 'flow' },
          { 'prefect.resource.id': 'prefect.tag.bench', 'prefect.resource.role': 'tag' },
        ],
        payload: { n: b },
      };
    });
  });
  console.log(
    `ingest: ${total} events in batches of ${batchSize}, target ${rate}/s, concurrency ${concurrency}`,
  );
  const { seconds, sent } = await sendPaced(api, batches, rate, concurrency);
  console.log(
    `        POST /api/events: ${sent} events in ${fmt(seconds, 2)} s → ${fmt(sent / seconds, 0)} events/s`,
  );
  const count = async (): Promise<number> =>
    Number(
      ((await db.query(`SELECT count(*) AS n FROM events WHERE event = $1`, [name])).rows[0] as { n: string })
        .n,
    );
  const deadline = Date.now() + 300_000;
  while ((await count()) < total) {
    if (Date.now() > deadline) throw new Error(`only ${await count()} of ${total} events persisted`);
    await sleep(200);
  }
  const { rows } = await db.query(
    `SELECT extract(epoch FROM recorded - occurred) * 1000 AS lag,
            extract(epoch FROM recorded) * 1000 AS recorded, extract(epoch FROM occurred) * 1000 AS occurred
       FROM events WHERE event = $1`,
    [name],
  );
  const lags = rows.map((r: { lag: string }) => Number(r.lag));
  const first = Math.min(...rows.map((r: { occurred: string }) => Number(r.occurred)));
  const last = Math.max(...rows.map((r: { recorded: string }) => Number(r.recorded)));
  const s = summarise(lags);
  console.log(
    `        persisted: ${total} events in ${fmt((last - first) / 1000, 2)} s (first send → last commit) → ` +
      `${fmt(total / ((last - first) / 1000), 0)} events/s`,
  );
  console.log(
    `        lag (recorded − occurred) ms p50 ${fmt(s.p50)} p95 ${fmt(s.p95)} p99 ${fmt(s.p99)} max ${fmt(s.max)}`,
  );
}

/**
 * The database's share: the persister's own write (EventRepository.insertMany, one statement per
 * batch) called back to back from here, without the API, Redis or the consumer. Its rate is the
 * ceiling the persisted rate can reach on this machine right now.
 */
async function databaseCeiling(databaseUrl: string, total: number, batchSize: number): Promise<void> {
  const dataSource = createDataSource({ kind: 'postgres', url: databaseUrl, poolSize: 1 });
  await dataSource.initialize();
  try {
    const repository = new EventRepository(dataSource);
    const batch = (): EventWrite[] =>
      Array.from({ length: batchSize }, () => {
        const id = uuid7();
        const now = new Date().toISOString();
        return {
          id,
          occurred: now,
          event: 'bench.ceiling',
          resource: { 'prefect.resource.id': `prefect.flow-run.${id}`, 'prefect.resource.name': 'bench' },
          related: [
            { 'prefect.resource.id': 'prefect.flow.bench', 'prefect.resource.role': 'flow' },
            { 'prefect.resource.id': 'prefect.tag.bench', 'prefect.resource.role': 'tag' },
          ],
          payload: { n: 1 },
          received: now,
          follows: null,
        };
      });
    const [{ pid }] = (await dataSource.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
    const cpuBefore = cpuSeconds(pid);
    const writes: number[] = [];
    const started = performance.now();
    for (let done = 0; done < total; done += batchSize) {
      const rows = batch();
      const at = performance.now();
      await repository.insertMany(rows);
      writes.push(performance.now() - at);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(pid) - cpuBefore;
    const s = summarise(writes);
    console.log(
      `database ceiling: ${total} events written by EventRepository.insertMany in batches of ${batchSize}, ` +
        `back to back → ${fmt(total / seconds, 0)} events/s; one write ms p50 ${fmt(s.p50)} p99 ${fmt(s.p99)}; ` +
        `the backend used ${fmt(cpu, 2)} CPU s (${fmt(total / cpu, 0)} events per CPU-second, ` +
        `${fmt((100 * cpu) / seconds, 0)} % of one core while it ran)`,
    );
  } finally {
    await dataSource.destroy();
  }
}

async function taskRunPhase(api: string, taskRuns: number, rate: number): Promise<void> {
  const flow = (await (await post(`${api}/flows/`, { name: 'bench-events' })).json()) as { id: string };
  const run = (await (
    await post(`${api}/flow_runs/`, { flow_id: flow.id, state: { type: 'RUNNING' } })
  ).json()) as {
    id: string;
  };
  const sentAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  let sending = true;
  // The poller: every pending task run, 200 ids a request, as fast as the server answers.
  const poller = (async () => {
    while (sending || seenAt.size < sentAt.size) {
      const pending = [...sentAt.keys()].filter((id) => !seenAt.has(id));
      if (pending.length === 0) {
        await sleep(5);
        continue;
      }
      for (let i = 0; i < pending.length; i += 200) {
        const ids = pending.slice(i, i + 200);
        const response = await post(`${api}/task_runs/filter`, {
          task_runs: { id: { any_: ids } },
          limit: 200,
        });
        const now = performance.now();
        for (const tr of (await response.json()) as { id: string; state_type: string | null }[]) {
          if (tr.state_type === 'COMPLETED' && !seenAt.has(tr.id)) seenAt.set(tr.id, now);
        }
      }
    }
  })();
  const started = performance.now();
  for (let n = 0; n < taskRuns; n++) {
    const due = started + (n / rate) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const id = randomUUID();
    // Distinct timestamps, as the SDK's (microseconds): the recorder keeps the newest state.
    const start = Date.now();
    const events = ['Pending', 'Running', 'Completed'].map((s, step) =>
      sdkTaskRunEvent(run.id, id, n, s, new Date(start + step).toISOString()),
    );
    await post(`${api}/events`, events);
    sentAt.set(id, performance.now());
  }
  sending = false;
  const deadline = Date.now() + 120_000;
  await Promise.race([
    poller,
    (async () => {
      while (seenAt.size < sentAt.size) {
        if (Date.now() > deadline) throw new Error(`only ${seenAt.size} of ${sentAt.size} task runs visible`);
        await sleep(100);
      }
    })(),
  ]);
  await poller;
  const latencies = [...sentAt].map(([id, at]) => seenAt.get(id)! - at);
  const s = summarise(latencies);
  console.log(
    `task runs: ${taskRuns} task runs (3 events each) at ${rate}/s → COMPLETED visible through REST ms ` +
      `p50 ${fmt(s.p50)} p95 ${fmt(s.p95)} p99 ${fmt(s.p99)} max ${fmt(s.max)}`,
  );
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  Proc.profileDir = options.profile === undefined ? undefined : resolve(options.profile);
  const total = Number(options.events ?? 20_000);
  const rate = Number(options.rate ?? 6000);
  const batch = Number(options.batch ?? 100);
  const concurrency = Number(options.concurrency ?? 8);
  const taskRuns = Number(options['task-runs'] ?? 1000);
  const taskRunRate = Number(options['task-run-rate'] ?? 200);
  console.log(`load average before: ${load()}`);
  let topology: Topology;
  if (options.url !== undefined) {
    if (options['database-url'] === undefined) throw new Error('--url needs --database-url');
    topology = {
      api: options.url.replace(/\/$/, ''),
      databaseUrl: options['database-url'],
      pids: {},
      stop: async () => {},
    };
  } else {
    topology = await startTopology(options.pg ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
    console.log(`started: 1 API, event-persister, task-run-recorder on PostgreSQL + Redis (${topology.api})`);
  }
  const db = new Client({
    connectionString: topology.databaseUrl.replace(/^postgresql\+asyncpg:/, 'postgresql:'),
  });
  await db.connect();
  try {
    // Warm-up: the first requests compile and connect.
    await ingestPhase(topology.api, db, 1000, batch, 2000, 2);
    console.log(`load average at measurement: ${load()}`);
    const database = new URL(
      topology.databaseUrl.replace(/^postgresql\+asyncpg:/, 'postgresql:'),
    ).pathname.slice(1);
    const cpuBefore = Object.fromEntries(
      Object.entries(topology.pids).map(([n, pid]) => [n, cpuSeconds(pid)]),
    );
    const dbCpuBefore = await databaseCpuSeconds(db, database);
    await ingestPhase(topology.api, db, total, batch, rate, concurrency);
    // CPU seconds each part used for the burst: what the rate would be with a core to itself.
    const used = Object.entries(topology.pids).map(
      ([n, pid]) => [n, cpuSeconds(pid) - cpuBefore[n]!] as const,
    );
    used.push(['postgresql backends', (await databaseCpuSeconds(db, database)) - dbCpuBefore]);
    console.log(
      `        CPU used for the ${total} events: ` +
        used
          .map(([n, sec]) => `${n} ${fmt(sec, 2)} s (${fmt(total / sec, 0)} events per CPU-second)`)
          .join(', '),
    );
    if (options['no-ceiling'] === undefined) {
      await databaseCeiling(topology.databaseUrl, Math.min(total, 10_000), 500);
    }
    if (taskRuns > 0) await taskRunPhase(topology.api, taskRuns, taskRunRate);
    console.log(`load average after: ${load()}`);
  } finally {
    await db.end();
    await topology.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
