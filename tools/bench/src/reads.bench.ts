// Flow-run read benchmark (issue 3): filter / count / paginate over N flow runs (10 000 by default)
// through a real API process, printing request latency p50/p95/p99 per query and the PostgreSQL
// plans (EXPLAIN ANALYZE) of the default run list and of the UI's state-type + tags + start-time
// filter, so index use is visible. Creates a scratch database, seeds it with SQL, starts
// `orrery server start --no-services` on it, and drops it at the end. Asserts nothing.
//
//   npm run build && node dist/tools/bench/src/reads.bench.js \
//        [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--runs 10000] [--requests 300] [--concurrency 1]
import 'reflect-metadata';
import { type FlowRunCriteria, type FlowRunSort, Instant } from '@orrery/domain';
import {
  createDataSource,
  DatabaseMigrator,
  explainFlowRunListQuery,
  summarizePlan,
} from '@orrery/persistence';
import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { fmt, parseArgs, startApi, summarise } from './bench-support';

const T0 = Date.UTC(2025, 0, 1);
const DAY_MS = 24 * 3_600_000;

/** Runs one minute apart from T0, cycling through the state types; a third tagged prod. */
async function seed(dataSource: DataSource, runs: number): Promise<void> {
  const [flow] = (await dataSource.query(`INSERT INTO flow (name) VALUES ('bench-reads') RETURNING id`)) as [
    { id: string },
  ];
  await dataSource.query(
    `WITH runs AS (
       INSERT INTO flow_run (name, flow_id, state_type, state_name, state_timestamp, tags, expected_start_time,
                             start_time, end_time, run_count)
       SELECT 'run-' || i, $1,
              (enum_range(NULL::state_type))[1 + i % 9],
              initcap(lower((enum_range(NULL::state_type))[1 + i % 9]::text)),
              $2::timestamptz + make_interval(mins => i, secs => 40),
              CASE i % 3 WHEN 0 THEN '["prod", "etl"]'::jsonb WHEN 1 THEN '["dev"]'::jsonb ELSE '[]'::jsonb END,
              $2::timestamptz + make_interval(mins => i),
              CASE WHEN i % 4 = 0 THEN NULL ELSE $2::timestamptz + make_interval(mins => i, secs => 30) END,
              CASE WHEN i % 2 = 0 THEN $2::timestamptz + make_interval(mins => i + 5) END,
              1
       FROM generate_series(1, $3::int) AS i
       RETURNING id, state_type, state_name, state_timestamp)
     INSERT INTO flow_run_state (flow_run_id, type, name, "timestamp")
     SELECT id, state_type, state_name, state_timestamp FROM runs`,
    [flow.id, new Date(T0).toISOString(), runs],
  );
  await dataSource.query(
    `UPDATE flow_run r SET state_id = s.id FROM flow_run_state s WHERE s.flow_run_id = r.id`,
  );
  await dataSource.query('ANALYZE flow_run; ANALYZE flow_run_state');
}

async function measure(
  label: string,
  url: string,
  body: unknown,
  requests: number,
  concurrency: number,
): Promise<void> {
  const latencies: number[] = [];
  let errors = 0;
  let rows = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next += 1;
        const started = performance.now();
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const parsed = (await response.json()) as unknown;
        latencies.push(performance.now() - started);
        if (!response.ok) errors += 1;
        else
          rows = Array.isArray(parsed)
            ? parsed.length
            : typeof parsed === 'number'
              ? parsed
              : ((parsed as { results?: unknown[] }).results?.length ?? 0);
      }
    }),
  );
  const s = summarise(latencies);
  console.log(
    `${label.padEnd(44)} p50 ${fmt(s.p50).padStart(6)} ms  p95 ${fmt(s.p95).padStart(6)} ms  p99 ${fmt(s.p99).padStart(6)} ms` +
      `  (${requests} requests, ${rows} rows/answer, ${errors} errors)`,
  );
}

async function printPlan(
  dataSource: DataSource,
  label: string,
  criteria: FlowRunCriteria,
  sort: FlowRunSort,
): Promise<void> {
  const text = await explainFlowRunListQuery(
    dataSource,
    { ...criteria, sort, limit: 200, offset: 0 },
    { analyze: true },
  );
  const plan = JSON.parse(text) as Array<{ 'Execution Time'?: number }>;
  console.log(
    `\nEXPLAIN ANALYZE — ${label} (sort ${sort}, limit 200): ${fmt(plan[0]?.['Execution Time'] ?? NaN, 2)} ms`,
  );
  for (const node of summarizePlan(text)) {
    console.log(
      `  ${node.nodeType}${node.relation === null ? '' : ` on ${node.relation}`}${node.index === null ? '' : ` using ${node.index}`}`,
    );
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const admin = options.pg ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const runs = Number(options.runs ?? 10_000);
  const requests = Number(options.requests ?? 300);
  const concurrency = Number(options.concurrency ?? 1);
  const name = `orrery_bench_reads_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const dataSource = createDataSource({ kind: 'postgres', url: url.toString() });
  let child: ChildProcess | undefined;
  try {
    await dataSource.initialize();
    await new DatabaseMigrator(dataSource).upgrade();
    const seeded = performance.now();
    await seed(dataSource, runs);
    console.log(
      `read benchmark: ${runs} flow runs seeded in ${fmt((performance.now() - seeded) / 1000, 1)} s; ` +
        `${requests} requests per query at concurrency ${concurrency}`,
    );
    const started = await startApi({ PREFECT_API_DATABASE_CONNECTION_URL: url.toString() });
    child = started.child;
    const { api } = started;

    const after = new Date(T0 + 3 * DAY_MS).toISOString();
    const before = new Date(T0 + 4 * DAY_MS).toISOString();
    const ui = {
      flow_runs: {
        state: { type: { any_: ['COMPLETED', 'FAILED'] } },
        tags: { all_: ['prod'] },
        start_time: { after_: after, before_: before },
      },
    };
    // Warm the process and the database caches.
    await measure('warm-up', `${api}/flow_runs/filter`, { limit: 200 }, 20, 2);
    console.log('');
    await measure(
      'default list (filter {}, limit 200)',
      `${api}/flow_runs/filter`,
      { limit: 200 },
      requests,
      concurrency,
    );
    await measure(
      'state type + tags + start range (filter)',
      `${api}/flow_runs/filter`,
      { ...ui, sort: 'START_TIME_DESC', limit: 200 },
      requests,
      concurrency,
    );
    await measure(
      'state type + tags + start range (count)',
      `${api}/flow_runs/count`,
      ui,
      requests,
      concurrency,
    );
    await measure(
      'state type + tags + start range (paginate p2)',
      `${api}/flow_runs/paginate`,
      { ...ui, sort: 'START_TIME_DESC', limit: 20, page: 2 },
      requests,
      concurrency,
    );
    await measure(
      'all runs, page 100 of 50 (paginate)',
      `${api}/flow_runs/paginate`,
      { sort: 'EXPECTED_START_TIME_DESC', limit: 50, page: 100 },
      requests,
      concurrency,
    );

    await printPlan(dataSource, 'the default run list', {}, 'ID_DESC');
    await printPlan(
      dataSource,
      'state type + tags + start-time range',
      {
        flow_runs: {
          state: { type: { any_: ['COMPLETED', 'FAILED'] } },
          tags: { all_: ['prod'] },
          start_time: { after_: Instant.parse(after), before_: Instant.parse(before) },
        },
      },
      'START_TIME_DESC',
    );
  } finally {
    child?.kill('SIGTERM');
    if (dataSource.isInitialized) await dataSource.destroy();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
