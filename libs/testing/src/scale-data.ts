import { createHash } from 'node:crypto';
import { BLOCK_ENCRYPTION_KEY_NAME, BlockDataCipher } from '@orrery/blocks';

/**
 * A data-scale fixture: fills a migrated Orrery database (PostgreSQL or PGlite) with a realistic
 * shape of data, set-based (generate_series), so a million flow runs take minutes, not hours.
 *
 * At scale 1: 1 000 000 flow runs across 200 flows and 500 deployments, in every state, with a year
 * of start times (the newest 0.5 % scheduled ahead, a sliver running, pending, paused, cancelling or
 * late); 5 000 000 task runs (one run holds 5 000 of them, for the run graph); a state row per
 * transition (Scheduled for deployment runs, Running, the final state); 10 000 000 events over the
 * last 31 days (about 320 000 a day: a 30-day retention, one day of it expired) with a primary and a
 * related resource each;
 * 2 000 000 logs; 100 000 artifacts. Fixed-size tables do not scale: 10 work pools of 5 queues, 100
 * workers, 1 000 variables, 100 concurrency limits, 200 block documents, 500 deployment schedules.
 *
 * Ids are md5 of a prefix and an ordinal (`scaleId('fr', i)`), so callers can name particular rows:
 * `SCALE_GRAPH_RUN` is the ordinal of the flow run with 5 000 task runs. Plain indexes of the big
 * tables are dropped before the fill and rebuilt after it, as a bulk load should.
 */

/** Runs one SQL statement (a dedicated connection: the fill uses a session setting). */
export type ScaleQuery = (sql: string, params?: unknown[]) => Promise<unknown>;

export interface ScaleFillOptions {
  /** Flow runs; everything else scales from it. */
  readonly flowRuns: number;
  /** The fill's "now" (default: the current time). */
  readonly now?: Date;
  /** Progress lines (default: silent). */
  readonly log?: (line: string) => void;
  /** Rows per flow run of the tables that scale (default 5 task runs, 10 events, 2 logs). */
  readonly perRun?: { readonly taskRuns?: number; readonly events?: number; readonly logs?: number };
}

export interface ScaleFillResult {
  readonly seconds: number;
  readonly rows: Readonly<Record<string, number>>;
}

export const SCALE_FLOWS = 200;
export const SCALE_DEPLOYMENTS = 500;
export const SCALE_WORK_POOLS = 10;
export const SCALE_QUEUES_PER_POOL = 5;
/** Days of events: a 30-day events retention period keeps all but the oldest day. */
export const SCALE_EVENT_DAYS = 31;
/** Task runs of the one flow run the graph benchmark reads. */
export const SCALE_GRAPH_TASKS = 5000;
/**
 * The variable holding the number of flow runs the fill made: the fixture's ids (the graph run, …)
 * follow from it, and an unfiltered `flow_runs/count` above 500 000 rows is only an estimate.
 */
export const SCALE_SIZE_VARIABLE = 'orrery_scale_flow_runs';

/**
 * The id of the `ordinal`-th row of a kind ('fl', 'dep', 'wp', 'wq', 'fr', 'tr', …): time-ordered
 * like Orrery's uuid7 ids (the ordinal in the first 48 bits, so a bulk insert appends to each primary
 * key), the rest from md5 of kind, ordinal and suffix. Equal to the SQL the fill uses.
 */
export function scaleId(prefix: string, ordinal: number, suffix = ''): string {
  const hex = ordinal.toString(16).padStart(12, '0') + md5Hex(`${prefix}${ordinal}${suffix}`).slice(12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const md5Hex = (text: string): string => createHash('md5').update(text).digest('hex');

/** scaleId as a SQL expression over an integer expression. */
const id = (prefix: string, ordinal: string, suffix = ''): string =>
  `(lpad(to_hex((${ordinal})::bigint), 12, '0') || substr(md5('${prefix}' || (${ordinal})::text || '${suffix}'), 13))::uuid`;

/** Work-pool name of pool k (1-based). */
export const scalePoolName = (k: number): string => `pool-${k}`;

/** The ordinal of the flow run with SCALE_GRAPH_TASKS task runs: a completed run of the last month. */
export function scaleGraphRun(flowRuns: number): number {
  return past(flowRuns) - Math.floor(flowRuns / 100);
}

/** Runs that started (the rest are scheduled in the future). */
const past = (flowRuns: number): number => flowRuns - Math.floor(flowRuns / 200);

/** Tables whose plain indexes are rebuilt after the fill. */
const BULK_TABLES = [
  'flow_run',
  'flow_run_state',
  'task_run',
  'task_run_state',
  'events',
  'event_resources',
  'log',
  'artifact',
];

export async function fillScaleData(query: ScaleQuery, options: ScaleFillOptions): Promise<ScaleFillResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const n = Math.max(1000, Math.round(options.flowRuns));
  const m = past(n);
  const recent = Math.max(50, Math.floor(n / 500));
  const now = (options.now ?? new Date()).toISOString();
  const graph = scaleGraphRun(n);
  const taskRuns = Math.max(SCALE_GRAPH_TASKS + m, Math.round((options.perRun?.taskRuns ?? 5) * n));
  const events = Math.round((options.perRun?.events ?? 10) * n);
  const logs = Math.round((options.perRun?.logs ?? 2) * n);
  const artifacts = Math.floor(n / 10);

  const step = async (what: string, sql: string, params: unknown[] = []): Promise<void> => {
    const t = performance.now();
    await query(sql, params);
    log(`  ${what}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };

  // Foreign-key triggers off for the bulk load (superuser; PGlite runs as one).
  await query(`SET session_replication_role = replica`);
  const indexes = (await query(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [BULK_TABLES],
  )) as { name: string; def: string }[];
  for (const index of indexes) await query(`DROP INDEX ${index.name}`);

  const t0 = performance.now();
  for (const statement of fixedSql().split(';\n')) await query(statement);
  await query(`INSERT INTO variable (name, value) VALUES ($1, to_jsonb($2::int))`, [SCALE_SIZE_VARIABLE, n]);
  // Block data is stored encrypted with the key in `configuration` (@orrery/blocks).
  const key = BlockDataCipher.generateKey();
  await query(`INSERT INTO configuration (key, value) VALUES ($1, $2::jsonb)`, [
    BLOCK_ENCRYPTION_KEY_NAME,
    JSON.stringify({ key }),
  ]);
  await query(`UPDATE block_document SET data = to_jsonb($1::text)`, [
    new BlockDataCipher(key).encrypt({ value: '**********' }),
  ]);
  log(
    `  flows, pools, queues, workers, deployments, blocks, variables, limits: ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // One row per flow run with everything the later steps derive from it.
  await step(
    `${n} flow runs`,
    `CREATE UNLOGGED TABLE scale_fill_run AS
     WITH g AS (
       SELECT i, abs(hashint4(i)) % 1000 AS h, i % 550 AS d,
              $2::timestamptz - make_interval(secs => 365 * 86400 * ($3::int - i)::float8 / $3::int) AS t
         FROM generate_series(1, $1::int) AS i
     ), s AS (
       SELECT g.*,
         CASE WHEN i > $3 THEN 'SCHEDULED'
              WHEN i = $5 THEN 'COMPLETED'
              WHEN i > $3 - $4 THEN (ARRAY['RUNNING','RUNNING','PENDING','PAUSED','CANCELLING','SCHEDULED','RUNNING','PENDING'])[1 + h % 8]
              WHEN h < 800 THEN 'COMPLETED' WHEN h < 880 THEN 'FAILED' WHEN h < 900 THEN 'CRASHED'
              WHEN h < 930 THEN 'CANCELLED' ELSE 'COMPLETED' END::state_type AS st,
         CASE WHEN i > $3 THEN $2::timestamptz + make_interval(secs => 100 * 86400 * (i - $3)::float8 / ($1::int - $3 + 1))
              ELSE t END AS expected
         FROM g
     )
     SELECT i, h, st, expected,
       ${id('fr', 'i')} AS id,
       CASE WHEN d < 500 THEN ${id('dep', 'd + 1')} END AS deployment_id,
       CASE WHEN d < 500 THEN ${id('fl', '(d % 200) + 1')} ELSE ${id('fl', '(i % 200) + 1')} END AS flow_id,
       CASE WHEN d < 500 THEN ${id('wq', '(d % 50) + 1')} END AS work_queue_id,
       CASE WHEN d < 500 THEN 'queue-' || ((d % 50) % 5 + 1) END AS work_queue_name,
       CASE WHEN st IN ('SCHEDULED', 'PENDING') THEN NULL ELSE expected + make_interval(secs => h % 30) END AS start_time,
       CASE WHEN st IN ('COMPLETED','FAILED','CRASHED','CANCELLED')
            THEN expected + make_interval(secs => h % 30 + 60 + h * 3) END AS end_time,
       (ARRAY['["prod", "etl"]','["dev"]','[]','["prod"]','["etl", "nightly"]'])[1 + i % 5]::jsonb AS tags,
       d < 500 AND i > $3 AS auto_scheduled
     FROM s`,
    [n, now, m, recent, graph],
  );
  await step(
    'flow_run rows',
    `INSERT INTO flow_run (id, created, updated, name, flow_id, deployment_id, work_queue_id, work_queue_name,
        state_type, state_name, state_timestamp, run_count, expected_start_time, next_scheduled_start_time,
        start_time, end_time, total_run_time, tags, parameters, auto_scheduled, created_by, state_id,
        empirical_policy, flow_version, infrastructure_pid)
     SELECT id, expected - interval '1 hour', coalesce(end_time, start_time, expected),
       'run-' || substr(md5(i::text), 1, 12), flow_id, deployment_id, work_queue_id, work_queue_name,
       st, initcap(lower(st::text)), coalesce(end_time, start_time, expected - interval '1 hour'),
       CASE WHEN start_time IS NULL THEN 0 ELSE 1 END, expected,
       CASE WHEN st = 'SCHEDULED' THEN expected END,
       start_time, end_time, coalesce(end_time - start_time, interval '0'), tags,
       jsonb_build_object('n', i), auto_scheduled,
       CASE WHEN auto_scheduled THEN jsonb_build_object('id', ${id('sch', '(i % 550) + 1')}, 'type', 'SCHEDULE') END,
       ${id('frs', 'i', '-f')},
       '{"retries": 0, "retry_delay": 0}', '1.0', CASE WHEN start_time IS NOT NULL THEN 'pid-' || i END
     FROM scale_fill_run ORDER BY i`,
  );
  await step(
    'flow_run_state rows',
    `INSERT INTO flow_run_state (id, created, updated, flow_run_id, type, "timestamp", name, state_details)
     SELECT ${id('frs', 'i', '-s')}, expected - interval '1 hour', expected - interval '1 hour', id,
            'SCHEDULED'::state_type, expected - interval '1 hour', 'Scheduled',
            jsonb_build_object('scheduled_time', expected)
       FROM scale_fill_run WHERE deployment_id IS NOT NULL AND start_time IS NOT NULL
     UNION ALL
     SELECT ${id('frs', 'i', '-r')}, start_time, start_time, id, 'RUNNING'::state_type, start_time, 'Running', '{}'::jsonb
       FROM scale_fill_run WHERE start_time IS NOT NULL AND st <> 'RUNNING' AND end_time IS NOT NULL
     UNION ALL
     SELECT ${id('frs', 'i', '-f')}, coalesce(end_time, start_time, expected - interval '1 hour'),
            coalesce(end_time, start_time, expected - interval '1 hour'), id, st,
            coalesce(end_time, start_time, expected - interval '1 hour'), initcap(lower(st::text)),
            CASE WHEN st = 'SCHEDULED' THEN jsonb_build_object('scheduled_time', expected) ELSE '{}' END
       FROM scale_fill_run`,
  );

  // Task runs: run `graph` gets SCALE_GRAPH_TASKS, the others of the started runs share the rest.
  const spread = taskRuns - SCALE_GRAPH_TASKS;
  await step(
    `${taskRuns} task runs`,
    `CREATE UNLOGGED TABLE scale_fill_task AS
     WITH t AS (
       SELECT j, CASE WHEN j > $1 THEN $3 ELSE (j - 1) % $2 + 1 END AS i,
              CASE WHEN j > $1 THEN j - $1 - 1 ELSE (j - 1) / $2 END AS k
         FROM generate_series(1, $1::int + $4::int) AS j
     )
     SELECT t.j, t.k, r.id AS flow_run_id, r.tags,
       CASE WHEN r.st = 'COMPLETED' THEN 'COMPLETED'
            WHEN r.st IN ('FAILED', 'CRASHED') THEN CASE WHEN t.k = 0 THEN 'FAILED' ELSE 'COMPLETED' END
            WHEN r.st = 'CANCELLED' THEN 'CANCELLED'
            WHEN r.st IN ('RUNNING', 'PAUSED', 'CANCELLING') THEN 'RUNNING'
            ELSE 'PENDING' END::state_type AS st,
       coalesce(r.start_time, r.expected) + make_interval(secs => 1 + t.k * 10 % 3600) AS start_time
     FROM t JOIN scale_fill_run r ON r.i = t.i`,
    [spread, m, graph, SCALE_GRAPH_TASKS],
  );
  await step(
    'task_run rows',
    `INSERT INTO task_run (id, created, updated, name, flow_run_id, task_key, dynamic_key, state_type, state_name,
        state_timestamp, run_count, expected_start_time, start_time, end_time, total_run_time, tags, state_id,
        task_inputs, flow_run_run_count)
     SELECT ${id('tr', 'j')}, start_time, start_time + interval '5 seconds',
       'task-' || (k % 7) || '-' || j, flow_run_id, 'task-' || (k % 7), j::text, st, initcap(lower(st::text)),
       CASE WHEN st IN ('RUNNING', 'PENDING') THEN start_time ELSE start_time + interval '5 seconds' END,
       CASE WHEN st = 'PENDING' THEN 0 ELSE 1 END, start_time,
       CASE WHEN st = 'PENDING' THEN NULL ELSE start_time END,
       CASE WHEN st IN ('RUNNING', 'PENDING') THEN NULL ELSE start_time + interval '5 seconds' END,
       CASE WHEN st IN ('RUNNING', 'PENDING') THEN interval '0' ELSE interval '5 seconds' END,
       tags, ${id('trs', 'j', '-f')},
       CASE WHEN k > 0 AND k % 3 = 0 THEN jsonb_build_object('x', jsonb_build_array(jsonb_build_object(
         'input_type', 'task_run', 'id', ${id('tr', 'j - 1')}))) ELSE '{}' END, 1
     FROM scale_fill_task ORDER BY j`,
  );
  await step(
    'task_run_state rows',
    `INSERT INTO task_run_state (id, created, updated, task_run_id, type, "timestamp", name)
     SELECT ${id('trs', 'j', '-r')}, start_time, start_time, ${id('tr', 'j')}, 'RUNNING'::state_type, start_time, 'Running'
       FROM scale_fill_task WHERE st NOT IN ('RUNNING', 'PENDING')
     UNION ALL
     SELECT ${id('trs', 'j', '-f')}, start_time + interval '5 seconds', start_time + interval '5 seconds',
            ${id('tr', 'j')}, st,
            CASE WHEN st IN ('RUNNING', 'PENDING') THEN start_time ELSE start_time + interval '5 seconds' END,
            initcap(lower(st::text))
       FROM scale_fill_task`,
  );

  // Events over the last 8 days: flow-run and task-run state changes, worker heartbeats, deployment
  // and work-pool status; each with its primary resource and one related resource.
  await step(
    `${events} events and ${2 * events} event resources`,
    `WITH src AS MATERIALIZED (
         SELECT e, o, ${id('ev', 'e')} AS id,
           (ARRAY['prefect.flow-run.Running','prefect.flow-run.Completed','prefect.task-run.Running',
                  'prefect.task-run.Completed','prefect.task-run.Completed','prefect.worker.heartbeat',
                  'prefect.flow-run.Pending','prefect.flow-run.Failed','prefect.deployment.ready',
                  'prefect.work-pool.ready'])[1 + e % 10] AS ev,
           CASE e % 10 WHEN 5 THEN 'prefect.worker.process.w-' || (e % 100)
                       WHEN 8 THEN 'prefect.deployment.' || ${id('dep', '(e % 500) + 1')}
                       WHEN 9 THEN 'prefect.work-pool.' || ${id('wp', '(e % 10) + 1')}
                       WHEN 2 THEN 'prefect.task-run.' || ${id('tr', '(e % $3::int) + 1')}
                       WHEN 3 THEN 'prefect.task-run.' || ${id('tr', '(e % $3::int) + 1')}
                       WHEN 4 THEN 'prefect.task-run.' || ${id('tr', '(e % $3::int) + 1')}
                       ELSE 'prefect.flow-run.' || ${id('fr', '(e % $4::int) + 1')} END AS rid,
           CASE WHEN e % 10 IN (5, 9) THEN 'prefect.work-pool.' || ${id('wp', '(e % 10) + 1')}
                ELSE 'prefect.flow.' || ${id('fl', '(e % 200) + 1')} END AS rel,
           CASE WHEN e % 10 IN (5, 9) THEN 'work-pool' ELSE 'flow' END AS relrole
         FROM (SELECT e, $2::timestamptz - make_interval(secs => ${SCALE_EVENT_DAYS} * 86400 * ($1::int - e)::float8 / $1::int) AS o
                 FROM generate_series(1, $1::int) AS e) g
       ), ins AS (
         INSERT INTO events (id, created, updated, occurred, event, resource_id, resource, related_resource_ids,
             related, payload, received, recorded)
         SELECT id, o, o, o, ev, rid,
                jsonb_build_object('prefect.resource.id', rid, 'prefect.resource.name', 'r-' || (e % 1000)),
                jsonb_build_array(rel),
                jsonb_build_array(jsonb_build_object('prefect.resource.id', rel, 'prefect.resource.role', relrole)),
                '{}', o, o
           FROM src
       )
       INSERT INTO event_resources (id, created, updated, occurred, resource_id, resource_role, resource, event_id)
       SELECT ${id('er', 'e', '-p')}, o, o, o, rid, '', jsonb_build_object('prefect.resource.name', 'r-' || (e % 1000)), id
         FROM src
       UNION ALL
       SELECT ${id('er', 'e', '-r')}, o, o, o, rel, relrole, '{}', id FROM src`,
    [events, now, taskRuns, m],
  );
  await step(
    'event counts (the count-by rollup the event-persister maintains)',
    `INSERT INTO event_counts (bucket, event, count, oldest, latest)
       SELECT date_bin('1 hour', occurred, '2024-04-01T00:00:00Z'), event, count(*), min(occurred), max(occurred)
         FROM events GROUP BY 1, 2`,
  );
  await step(
    `${logs} logs`,
    `INSERT INTO log (id, created, updated, name, level, flow_run_id, task_run_id, message, "timestamp")
       SELECT ${id('lg', 'l')}, ts, ts, 'prefect.flow_runs', (ARRAY[20, 20, 20, 10, 30, 40])[1 + l % 6],
              ${id('fr', '((l - 1) % $2::int) + 1')},
              CASE WHEN l % 2 = 0 THEN ${id('tr', '((l - 1) % $2::int) + 1')} END,
              'log line ' || l || ' of a flow run doing its work', ts
         FROM (SELECT l, $3::timestamptz - make_interval(secs => 365 * 86400 * ($2::int - ((l - 1) % $2::int + 1))::float8 / $2::int)
                         + make_interval(secs => (l - 1) / $2::int) AS ts
                 FROM generate_series(1, $1::int) AS l) g`,
    [logs, m, now],
  );
  await step(
    `${artifacts} artifacts`,
    `INSERT INTO artifact (id, created, updated, key, type, description, data, flow_run_id, task_run_id)
       SELECT ${id('ar', 'a')}, r.expected, r.expected, CASE WHEN a % 4 = 0 THEN 'report-' || (a % 500) END,
              (ARRAY['markdown','table','link','progress'])[1 + a % 4], 'artifact ' || a,
              to_jsonb('# result ' || a), r.id, ${id('tr', '((a * 5 - 1) % $2::int) + 1')}
         FROM generate_series(1, $1::int) AS a JOIN scale_fill_run r ON r.i = (a * 10 - 1) % $3::int + 1`,
    [artifacts, taskRuns, m],
  );
  await step(
    'artifact collections',
    `INSERT INTO artifact_collection (key, latest_id, type, description, data, flow_run_id, task_run_id, created, updated)
       SELECT DISTINCT ON (key) key, id, type, description, data, flow_run_id, task_run_id, created, updated
         FROM artifact WHERE key IS NOT NULL ORDER BY key, created DESC`,
  );

  await query(`DROP TABLE scale_fill_task`);
  await query(`DROP TABLE scale_fill_run`);
  await query(`SET session_replication_role = DEFAULT`);
  for (const index of indexes) {
    const t = performance.now();
    await query(index.def);
    const took = (performance.now() - t) / 1000;
    if (took > 5) log(`  index ${index.name}: ${took.toFixed(1)} s`);
  }
  // As autovacuum would have: statistics, and the visibility map index-only scans rely on.
  await step('VACUUM ANALYZE', 'VACUUM ANALYZE');

  const rows: Record<string, number> = {};
  for (const table of [...BULK_TABLES, 'flow', 'deployment', 'work_queue', 'worker', 'block_document']) {
    const [row] = (await query(`SELECT count(*)::int AS n FROM ${table}`)) as [{ n: number }];
    rows[table] = row.n;
  }
  return { seconds: (performance.now() - started) / 1000, rows };
}

/** The fixed-size tables. */
function fixedSql(): string {
  return `
  INSERT INTO flow (id, name, tags, created, updated)
    SELECT ${id('fl', 'f')}, 'flow-' || f, CASE WHEN f % 3 = 0 THEN '["prod"]' ELSE '[]' END::jsonb,
           now() - interval '400 days', now() - interval '400 days'
      FROM generate_series(1, ${SCALE_FLOWS}) AS f;
  INSERT INTO work_pool (id, name, type, status, base_job_template)
    SELECT ${id('wp', 'p')}, 'pool-' || p, 'process', 'READY', '{"job_configuration": {}, "variables": {}}'
      FROM generate_series(1, ${SCALE_WORK_POOLS}) AS p;
  INSERT INTO work_queue (id, name, work_pool_id, priority, status)
    SELECT ${id('wq', 'q')}, 'queue-' || ((q - 1) % ${SCALE_QUEUES_PER_POOL} + 1),
           ${id('wp', `(q - 1) / ${SCALE_QUEUES_PER_POOL} + 1`)}, (q - 1) % ${SCALE_QUEUES_PER_POOL} + 1, 'READY'
      FROM generate_series(1, ${SCALE_WORK_POOLS * SCALE_QUEUES_PER_POOL}) AS q;
  UPDATE work_pool p SET default_queue_id = ${id('wq', `(k - 1) * ${SCALE_QUEUES_PER_POOL} + 1`)}
    FROM (SELECT generate_series(1, ${SCALE_WORK_POOLS}) AS k) g WHERE p.id = ${id('wp', 'k')};
  INSERT INTO worker (name, work_pool_id, status, heartbeat_interval_seconds)
    SELECT 'worker-' || w, ${id('wp', `(w % ${SCALE_WORK_POOLS}) + 1`)}, 'ONLINE', 30 FROM generate_series(1, 100) AS w;
  INSERT INTO deployment (id, name, flow_id, work_queue_id, work_queue_name, status, tags, entrypoint, created, updated)
    SELECT ${id('dep', 'd')}, 'deployment-' || d, ${id('fl', '((d - 1) % 200) + 1')}, ${id('wq', '((d - 1) % 50) + 1')},
           'queue-' || (((d - 1) % 50) % 5 + 1), 'READY',
           CASE WHEN d % 2 = 0 THEN '["prod"]' ELSE '["dev"]' END::jsonb, 'flows.py:main',
           now() - interval '400 days', now() - interval '1 day'
      FROM generate_series(1, ${SCALE_DEPLOYMENTS}) AS d;
  INSERT INTO deployment_schedule (id, deployment_id, schedule, active)
    SELECT ${id('sch', 'd')}, ${id('dep', 'd')},
           jsonb_build_object('interval', 3600 * (1 + d % 24), 'anchor_date', '2025-01-01T00:00:00Z', 'timezone', 'UTC'),
           true
      FROM generate_series(1, ${SCALE_DEPLOYMENTS}) AS d;
  INSERT INTO block_type (id, name, slug) VALUES (${id('bt', '1')}, 'Secret', 'secret');
  INSERT INTO block_schema (id, checksum, block_type_id, fields)
    VALUES (${id('bs', '1')}, 'sha256:scale', ${id('bt', '1')}, '{"properties": {"value": {"type": "string"}}}');
  INSERT INTO block_document (name, block_type_id, block_schema_id, block_type_name, data)
    SELECT 'secret-' || b, ${id('bt', '1')}, ${id('bs', '1')}, 'Secret', '{}' FROM generate_series(1, 200) AS b;
  INSERT INTO variable (name, value, tags)
    SELECT 'variable_' || v, to_jsonb('value ' || v), '[]' FROM generate_series(1, 1000) AS v;
  INSERT INTO concurrency_limit_v2 (name, "limit", active_slots)
    SELECT 'limit-' || c, 10 + c, c % 5 FROM generate_series(1, 80) AS c;
  INSERT INTO concurrency_limit (tag, concurrency_limit)
    SELECT 'tag-' || c, 5 FROM generate_series(1, 20) AS c;`;
}
