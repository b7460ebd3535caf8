// Flow-run lifecycle benchmark (issue 3): N lifecycles at concurrency C against a running server —
// create a run in PENDING, set RUNNING, three task-run event pairs (Running + Completed) through
// POST /api/events, set COMPLETED — printing lifecycles/s, request latency p50/p95/p99 and errors.
// The client is node:http with keep-alive connections, the lightest this machine offers (it shares
// the CPU with the server). With --pg it also measures this machine's PostgreSQL ceiling for the same transaction shape
// (pgbench, on a scratch database) and prints the ratio. Asserts nothing.
//
//   npm run build && node dist/tools/bench/src/lifecycles.bench.js --url http://127.0.0.1:4200/api \
//        [--lifecycles 2000] [--concurrency 16] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
import 'reflect-metadata';
import { uuid4 } from '@orrery/domain';
import { createDataSource, DatabaseMigrator } from '@orrery/persistence';
import { sdkTaskRunEvent } from '@orrery/testing';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { fmt, JsonPoster, parseArgs, summarise } from './bench-support';

interface Stats {
  latencies: number[];
  errors: Map<string, number>;
}

const HEADERS = { 'x-prefect-api-version': '0.8.4' };
let poster = new JsonPoster(16);

async function call(stats: Stats, url: string, body: unknown): Promise<unknown> {
  const started = performance.now();
  const { status, text } = await poster.post(url, body, HEADERS);
  stats.latencies.push(performance.now() - started);
  if (status < 200 || status >= 300) {
    const key = `${status} ${new URL(url).pathname.replace(/[0-9a-f-]{36}/g, '{id}')}`;
    stats.errors.set(key, (stats.errors.get(key) ?? 0) + 1);
    throw new Error(`${key}: ${text.slice(0, 200)}`);
  }
  return text === '' ? null : JSON.parse(text);
}

/** The two events the SDK's task engine sends for one task: Running, then Completed. */
function taskRunEvents(flowRunId: string, taskRunId: string, n: number): object[] {
  return ['Running', 'Completed'].map((state) =>
    sdkTaskRunEvent(flowRunId, taskRunId, n, state, new Date().toISOString()),
  );
}

async function runLifecycles(
  api: string,
  lifecycles: number,
  concurrency: number,
  events: boolean,
): Promise<void> {
  const flow = (await call({ latencies: [], errors: new Map() }, `${api}/flows/`, {
    name: 'bench-lifecycles',
  })) as { id: string };
  const stats: Stats = { latencies: [], errors: new Map() };
  let next = 0;
  let completed = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < lifecycles) {
        next += 1;
        try {
          const run = (await call(stats, `${api}/flow_runs/`, {
            flow_id: flow.id,
            state: { type: 'PENDING' },
          })) as { id: string };
          await call(stats, `${api}/flow_runs/${run.id}/set_state`, { state: { type: 'RUNNING' } });
          if (events) {
            for (let t = 0; t < 3; t++) await call(stats, `${api}/events`, taskRunEvents(run.id, uuid4(), t));
          }
          await call(stats, `${api}/flow_runs/${run.id}/set_state`, { state: { type: 'COMPLETED' } });
          completed += 1;
        } catch {
          failed += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const latency = summarise(stats.latencies);
  console.log(
    `server: ${completed} lifecycles in ${fmt(seconds, 2)} s at concurrency ${concurrency} → ${fmt(completed / seconds)} lifecycles/s, ` +
      `${stats.latencies.length} requests (${fmt(stats.latencies.length / seconds, 0)}/s)`,
  );
  console.log(
    `        request latency ms p50 ${fmt(latency.p50)} p95 ${fmt(latency.p95)} p99 ${fmt(latency.p99)} max ${fmt(latency.max)}`,
  );
  console.log(
    `        errors: ${failed} failed lifecycles${stats.errors.size ? ` (${[...stats.errors].map(([k, v]) => `${k} ×${v}`).join(', ')})` : ''}`,
  );
  lastServerRate = completed / seconds;
}

let lastServerRate = 0;

/** The database work of one lifecycle, as one pgbench transaction script. */
const PGBENCH_SCRIPT = `
BEGIN;
INSERT INTO flow_run (id, name, flow_id, state_type, state_name, state_timestamp, expected_start_time)
  VALUES (gen_random_uuid(), 'bench', ':flow', 'PENDING', 'Pending', now(), now()) RETURNING id AS run \\gset
INSERT INTO flow_run_state (flow_run_id, type, name, "timestamp") VALUES (':run', 'PENDING', 'Pending', now()) RETURNING id AS s \\gset
UPDATE flow_run SET state_id = ':s' WHERE id = ':run';
COMMIT;
BEGIN;
SELECT id FROM flow_run WHERE id = ':run' FOR UPDATE;
INSERT INTO flow_run_state (flow_run_id, type, name, "timestamp") VALUES (':run', 'RUNNING', 'Running', now()) RETURNING id AS s \\gset
UPDATE flow_run SET state_id = ':s', state_type = 'RUNNING', state_name = 'Running', state_timestamp = now(), start_time = now(), run_count = run_count + 1 WHERE id = ':run';
INSERT INTO outbox (topic, data, attributes) VALUES ('events', '{}', '{}');
COMMIT;
BEGIN;
INSERT INTO events (id, occurred, event, resource_id, resource, received, recorded)
  SELECT gen_random_uuid(), now(), 'prefect.task-run.Completed', 'prefect.task-run.x', '{}', now(), now() FROM generate_series(1, 6);
COMMIT;
BEGIN;
SELECT id FROM flow_run WHERE id = ':run' FOR UPDATE;
INSERT INTO flow_run_state (flow_run_id, type, name, "timestamp") VALUES (':run', 'COMPLETED', 'Completed', now()) RETURNING id AS s \\gset
UPDATE flow_run SET state_id = ':s', state_type = 'COMPLETED', state_name = 'Completed', state_timestamp = now(), end_time = now() WHERE id = ':run';
INSERT INTO outbox (topic, data, attributes) VALUES ('events', '{}', '{}');
COMMIT;
`;

async function pgbenchCeiling(serverUrl: string, concurrency: number, seconds: number): Promise<number> {
  const name = `orrery_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const dataSource = createDataSource({ kind: 'postgres', url: url.toString() });
    await dataSource.initialize();
    await new DatabaseMigrator(dataSource).upgrade();
    const [flow] = (await dataSource.query(`INSERT INTO flow (name) VALUES ('bench') RETURNING id`)) as {
      id: string;
    }[];
    await dataSource.destroy();
    const dir = mkdtempSync(join(tmpdir(), 'orrery-pgbench-'));
    const script = join(dir, 'lifecycle.sql');
    writeFileSync(script, PGBENCH_SCRIPT);
    const output = execFileSync(
      'pgbench',
      [
        '-n',
        '-c',
        String(concurrency),
        '-j',
        '2',
        '-T',
        String(seconds),
        '-D',
        `flow=${flow!.id}`,
        '-f',
        script,
        url.toString(),
      ],
      { encoding: 'utf8' },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1] ?? Number.NaN);
    console.log(
      `pgbench: the same transaction shape (4 transactions, 6 events) → ${fmt(tps)} lifecycles/s (PostgreSQL ceiling)`,
    );
    return tps;
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const api = (options.url ?? 'http://127.0.0.1:4200/api').replace(/\/$/, '');
  const lifecycles = Number(options.lifecycles ?? 2000);
  const concurrency = Number(options.concurrency ?? 16);
  poster = new JsonPoster(concurrency);
  const probe = await poster.post(`${api}/events`, []);
  const events = probe.status !== 404 && probe.status !== 405;
  console.log(
    `lifecycle benchmark against ${api}: ${lifecycles} lifecycles, concurrency ${concurrency}` +
      (events ? '' : ' (POST /api/events not available: task-run event pairs skipped)'),
  );
  await runLifecycles(api, lifecycles, concurrency, events);
  poster.close();
  if (options.pg !== undefined) {
    const ceiling = await pgbenchCeiling(options.pg, concurrency, Number(options['pg-seconds'] ?? 10));
    console.log(`ratio server / PostgreSQL ceiling: ${fmt(lastServerRate / ceiling, 3)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
