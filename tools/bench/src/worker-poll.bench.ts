// Worker-poll benchmark (issue 5): `POST /api/work_pools/{name}/get_scheduled_flow_runs` latency
// against a real `orrery server start --no-services` (from dist/) on PostgreSQL, with N scheduled
// runs (default 10 000) in the pool, plus finished runs in the same queue as history. Two shapes:
//   - steady:  the N runs spread over the next week, a few due now (the usual case: the scheduler
//              keeps runs ahead, a poll hands out what is due within the prefetch window);
//   - backlog: all N runs already due (workers fell behind; every poll hands out `limit` = 200).
// Prints p50/p95/p99/max of the HTTP poll (as a worker sends it), the same for the selection
// statement alone, and EXPLAIN (ANALYZE, BUFFERS) of the selection. Asserts nothing. Target:
// p99 < 50 ms on the 2-core machine.
//
//   npm run bench:worker-poll -- [--runs 10000] [--history 50000] [--polls 300]
//        [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--profile DIR (the server's CPU profile)]
import 'reflect-metadata';
import { Instant } from '@orrery/domain';
import { freePort } from '@orrery/testing';
import { createDataSource, DatabaseMigrator, scheduledRunsStatement } from '@orrery/persistence';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { fmt, parseArgs, summarise } from './bench-support';

const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

/** `str(datetime)` as the worker sends it. */
const pythonTime = (at: Date) => at.toISOString().replace('T', ' ').replace('Z', '+00:00');

async function startServer(
  databaseUrl: string,
  profileDir: string | undefined,
): Promise<{ api: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'orrery-bench-poll-'));
  const child = spawn(
    process.execPath,
    [
      ...(profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir]),
      join(REPO_ROOT, 'bin', 'orrery'),
      'server',
      'start',
      '--no-services',
      '--port',
      String(port),
    ],
    {
      env: { ...process.env, PREFECT_HOME: home, PREFECT_API_DATABASE_CONNECTION_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!/orrery: ready/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    api: `http://127.0.0.1:${port}/api`,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-prefect-api-version': '0.8.4' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.status} ${url}: ${text.slice(0, 300)}`);
  return text === '' ? null : JSON.parse(text);
}

/**
 * `count` runs of the deployment in its queue, with their states, in one statement (ids drawn up
 * front so each run points at its state; both foreign keys are checked at the end of the
 * statement): SCHEDULED ones at `start + i × step`, or COMPLETED history.
 */
const SEED_RUNS = `
WITH input AS (
  SELECT gen_random_uuid() AS run_id, gen_random_uuid() AS state_id, i FROM generate_series(1, $2::int) AS i
), runs AS (
  INSERT INTO flow_run (id, state_id, name, flow_id, deployment_id, work_queue_id, work_queue_name, state_type,
    state_name, state_timestamp, next_scheduled_start_time, expected_start_time, auto_scheduled, tags, end_time)
  SELECT input.run_id, input.state_id, 'bench-' || $6 || '-' || input.i, deployment.flow_id, deployment.id,
    deployment.work_queue_id, deployment.work_queue_name, $5::state_type,
    CASE WHEN $5 = 'SCHEDULED' THEN 'Scheduled' ELSE 'Completed' END, now(),
    $3::timestamptz + ((input.i - 1) * $4::float8) * interval '1 second',
    $3::timestamptz + ((input.i - 1) * $4::float8) * interval '1 second',
    true, '["auto-scheduled"]'::jsonb,
    CASE WHEN $5 = 'SCHEDULED' THEN NULL ELSE now() END
  FROM deployment, input WHERE deployment.id = $1
  RETURNING id, state_id, state_type, state_name, next_scheduled_start_time
)
INSERT INTO flow_run_state (id, flow_run_id, type, name, "timestamp", state_details)
SELECT state_id, id, state_type, state_name, now(),
  CASE WHEN state_type = 'SCHEDULED' THEN jsonb_build_object('scheduled_time', next_scheduled_start_time)
    ELSE '{}'::jsonb END
FROM runs`;

interface Scenario {
  readonly name: string;
  /** Seconds from now of the first scheduled run, and between two runs. */
  readonly start: number;
  readonly step: number;
}

async function measure(
  api: string,
  admin: Client,
  poolId: string,
  polls: number,
): Promise<{ http: number[]; sql: number[]; returned: number }> {
  const http: number[] = [];
  const sql: number[] = [];
  let returned = 0;
  const pollOnce = async () => {
    const started = performance.now();
    const runs = (await post(`${api}/work_pools/bench-pool/get_scheduled_flow_runs`, {
      work_queue_names: [],
      scheduled_before: pythonTime(new Date(Date.now() + 10_000)),
    })) as unknown[];
    returned = runs.length;
    return performance.now() - started;
  };
  const selectOnce = async () => {
    const { sql: text, params } = scheduledRunsStatement({
      workPoolId: poolId,
      workQueueIds: null,
      scheduledBefore: Instant.now().plusSeconds(10),
      scheduledAfter: null,
      limit: 200,
    });
    const started = performance.now();
    await admin.query('BEGIN');
    await admin.query(text, params);
    await admin.query('COMMIT');
    return performance.now() - started;
  };
  for (let i = 0; i < 20; i++) {
    await pollOnce();
    await selectOnce();
  }
  for (let i = 0; i < polls; i++) http.push(await pollOnce());
  for (let i = 0; i < polls; i++) sql.push(await selectOnce());
  return { http, sql, returned };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const runs = Number(options.runs ?? 10_000);
  const history = Number(options.history ?? 50_000);
  const polls = Number(options.polls ?? 300);
  const serverUrl = options.pg ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = `orrery_bench_${randomBytes(4).toString('hex')}`;
  const root = new Client({ connectionString: serverUrl });
  await root.connect();
  await root.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let server: { api: string; stop: () => Promise<void> } | undefined;
  const admin = new Client({ connectionString: url.toString() });
  try {
    const dataSource = createDataSource({ kind: 'postgres', url: url.toString() });
    await dataSource.initialize();
    await new DatabaseMigrator(dataSource).upgrade();
    await dataSource.destroy();
    server = await startServer(url.toString(), options.profile);
    const api = server.api;
    await admin.connect();

    // The pool as a worker creates it, a second queue, and one deployment per queue.
    const pool = (await post(`${api}/work_pools/`, { name: 'bench-pool', type: 'process' })) as {
      id: string;
    };
    await post(`${api}/work_pools/bench-pool/queues`, { name: 'high', priority: 1 });
    const flow = (await post(`${api}/flows/`, { name: 'bench-poll' })) as { id: string };
    const deployments: string[] = [];
    for (const queue of ['default', 'high']) {
      const deployment = (await post(`${api}/deployments/`, {
        name: `bench-${queue}`,
        flow_id: flow.id,
        work_pool_name: 'bench-pool',
        work_queue_name: queue,
      })) as { id: string };
      deployments.push(deployment.id);
    }
    const seeded = performance.now();
    // History: finished runs in both queues (what a pool that has worked for a while holds).
    for (const [i, deployment] of deployments.entries()) {
      await admin.query(SEED_RUNS, [
        deployment,
        history / 2,
        new Date(0).toISOString(),
        60,
        'COMPLETED',
        `h${i}`,
      ]);
    }

    const scenarios: Scenario[] = [
      // 10 000 runs every 2 minutes over the next ~2 weeks (half per queue); the first one due now.
      { name: 'steady: runs spread ahead, a few due', start: -5, step: 120 },
      // All due: the first an hour ago, one a third of a second apart.
      { name: 'backlog: every run already due', start: -3600, step: 0.3 },
    ];
    console.log(
      `worker poll: ${runs} SCHEDULED runs + ${history} COMPLETED runs in one pool (2 queues), ${polls} polls each, one worker`,
    );
    // The machine is shared: the load says how much of a latency is waiting for a core.
    console.log(
      `load average at start: ${loadavg()
        .map((n) => fmt(n, 2))
        .join(' ')} (${cpus().length} cores)`,
    );
    let previous: string | null = null;
    for (const scenario of scenarios) {
      if (previous !== null) await admin.query(`DELETE FROM flow_run WHERE state_type = 'SCHEDULED'`);
      previous = scenario.name;
      for (const [i, deployment] of deployments.entries()) {
        // Interleaved across the two queues.
        await admin.query(SEED_RUNS, [
          deployment,
          runs / 2,
          new Date(Date.now() + (scenario.start + i * scenario.step * 0.5) * 1000).toISOString(),
          scenario.step,
          'SCHEDULED',
          `s${i}`,
        ]);
      }
      await admin.query('ANALYZE');
      const { http, sql, returned } = await measure(api, admin, pool.id, polls);
      const h = summarise(http);
      console.log(
        `load average: ${loadavg()
          .map((n) => fmt(n, 2))
          .join(' ')}`,
      );
      const s = summarise(sql);
      console.log(`\n== ${scenario.name} (each poll returns ${returned} runs)`);
      console.log(
        `HTTP poll    p50 ${fmt(h.p50)} ms  p95 ${fmt(h.p95)} ms  p99 ${fmt(h.p99)} ms  max ${fmt(h.max)} ms  (target p99 < 50 ms: ${h.p99 < 50 ? 'met' : 'MISSED'})`,
      );
      console.log(
        `selection    p50 ${fmt(s.p50)} ms  p95 ${fmt(s.p95)} ms  p99 ${fmt(s.p99)} ms  max ${fmt(s.max)} ms`,
      );
      const { sql: text, params } = scheduledRunsStatement({
        workPoolId: pool.id,
        workQueueIds: null,
        scheduledBefore: Instant.now().plusSeconds(10),
        scheduledAfter: null,
        limit: 200,
      });
      await admin.query('BEGIN');
      const plan = await admin.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params);
      await admin.query('ROLLBACK');
      console.log('EXPLAIN (ANALYZE, BUFFERS) of the selection:');
      for (const row of plan.rows) console.log(`  ${row['QUERY PLAN']}`);
    }
    console.log(`\n(seeding took ${fmt((performance.now() - seeded) / 1000)} s)`);
  } finally {
    await admin.end().catch(() => undefined);
    await server?.stop();
    await root.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await root.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
