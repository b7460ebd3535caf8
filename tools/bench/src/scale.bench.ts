// Scale benchmark (issue 17): the read endpoints the UI calls on its main pages, against a database
// filled by scale-fill (1 000 000 flow runs at --scale 1), through a real API process at
// concurrency 4: p50/p95/p99 per call, then — on PostgreSQL — the EXPLAIN (ANALYZE, BUFFERS) of the
// slowest statement of each endpoint (auto_explain, for this database only, read back from the
// server log), flagging any sequential scan of the big tables. Optional phases: the tick duration
// of every periodic service, API latency while db-vacuum deletes a retention window, and the
// lifecycle benchmark's throughput on this database against an empty one. Asserts nothing; prints
// the acceptance targets beside the numbers.
//
//   npm run build && nice -n 10 node dist/tools/bench/src/scale.bench.js --name orrery_scale_x \
//        [--requests 100] [--concurrency 4] [--only flow_runs] [--no-explain] [--pg-log FILE]
//        [--ticks 90] [--vacuum 60 [--vacuum-targets events]] [--lifecycles 300]
//        [--flow-runs N]   (the fill's size, once db-vacuum has deleted runs: it names the fixture's ids)
//   node dist/tools/bench/src/scale.bench.js --pglite HOME/orrery-pglite   # embedded, as filled by scale-fill --pglite
import 'reflect-metadata';
import { createDataSource, DatabaseMigrator } from '@orrery/persistence';
import { type ScaleCall, scaleCalls, type ScaleIds, scaleIds, SCALE_SIZE_VARIABLE } from '@orrery/testing';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { Client } from 'pg';
import {
  type ApiProcess,
  fmt,
  type HttpAnswer,
  JsonPoster,
  parseArgs,
  REPO_ROOT,
  startApi,
  stopProcess,
  summarise,
} from './bench-support';

/** Tables that must never be read by a sequential scan on these paths. */
const BIG_TABLES = ['flow_run', 'task_run', 'events', 'event_resources', 'log'];

interface Sample {
  readonly call: ScaleCall;
  readonly latencies: number[];
  readonly errors: number;
  readonly status: number;
}

function send(api: string, poster: JsonPoster, call: ScaleCall): Promise<HttpAnswer> {
  if (call.method === 'POST') return poster.post(`${api}${call.path}`, call.body ?? {});
  return poster.get(`${api}${call.path}`);
}

async function measure(api: string, call: ScaleCall, requests: number, concurrency: number): Promise<Sample> {
  const poster = new JsonPoster(concurrency);
  const latencies: number[] = [];
  let errors = 0;
  let status = 0;
  let next = 0;
  try {
    await send(api, poster, call); // warm the statement on a connection
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) {
          next += 1;
          const started = performance.now();
          const answer = await send(api, poster, call);
          latencies.push(performance.now() - started);
          status = answer.status;
          if (answer.status >= 300) errors += 1;
        }
      }),
    );
  } finally {
    poster.close();
  }
  return { call, latencies, errors, status };
}

/** The server's log file, where auto_explain writes (pg_current_logfile() needs the collector). */
async function serverLogPath(admin: Client, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  const [current] = (await admin.query(`SELECT pg_current_logfile() AS f`)).rows as [{ f: string | null }];
  if (current.f !== null)
    return current.f.startsWith('/') ? current.f : `${await dataDir(admin)}/${current.f}`;
  const [version] = (await admin.query(`SELECT current_setting('server_version_num')::int / 10000 AS v`))
    .rows as [{ v: number }];
  return `/var/log/postgresql/postgresql-${version.v}-main.log`;
}

async function dataDir(admin: Client): Promise<string> {
  return ((await admin.query(`SHOW data_directory`)).rows as [{ data_directory: string }])[0].data_directory;
}

async function logSize(admin: Client, path: string): Promise<number> {
  const [row] = (await admin.query(`SELECT size FROM pg_stat_file($1)`, [path])).rows as [{ size: string }];
  return Number(row.size);
}

/** The auto_explain entries this database wrote to the log since `from`, slowest first. */
async function plansSince(
  admin: Client,
  path: string,
  from: number,
  database: string,
): Promise<{ ms: number; text: string }[]> {
  const to = await logSize(admin, path);
  if (to <= from) return [];
  const [row] = (await admin.query(`SELECT pg_read_file($1, $2, $3) AS text`, [path, from, to - from]))
    .rows as [{ text: string }];
  const entries = row.text.split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/);
  return entries
    .filter((e) => e.includes(`@${database} `) && e.includes('duration:') && e.includes('plan:'))
    .map((e) => ({ ms: Number(/duration: ([\d.]+) ms/.exec(e)?.[1] ?? 0), text: e }))
    .sort((a, b) => b.ms - a.ms);
}

/** One auto_explain entry, trimmed for the report. */
function printPlan(plan: { ms: number; text: string }): void {
  const lines = plan.text.split('\n');
  const body = lines.slice(1).filter((l) => l.trim() !== '');
  const queryLine = lines[0]!.replace(/^.*?plan:\s*/, '');
  console.log(`    slowest statement ${fmt(plan.ms, 1)} ms ${queryLine}`);
  for (const line of body.slice(0, 45)) console.log(`      ${line.replace(/^\t/, '')}`);
  if (body.length > 45) console.log(`      … ${body.length - 45} more plan lines`);
}

function seqScans(planText: string): string[] {
  return BIG_TABLES.filter((t) => new RegExp(`Seq Scan on ${t}\\b`).test(planText));
}

/** The number of flow runs the fill made (its variable; a fill from before it has none). */
async function fillSize(api: string): Promise<number | undefined> {
  const response = await fetch(`${api}/variables/name/${SCALE_SIZE_VARIABLE}`);
  if (response.status === 404) return undefined;
  const { value } = (await response.json()) as { value: unknown };
  return typeof value === 'number' ? value : undefined;
}

async function resolveIds(api: string, filled: number | undefined): Promise<ScaleIds> {
  const poster = new JsonPoster(1);
  try {
    // The fill's size names the fixture's ids (the graph run, …); once db-vacuum has deleted old runs
    // the count no longer does, so --flow-runs gives the size the database was filled with.
    const count =
      filled ?? (await fillSize(api)) ?? Number((await poster.post(`${api}/flow_runs/count`, {})).text);
    // 200 finished runs a few weeks back (with task runs, logs and artifacts).
    const body = { sort: 'START_TIME_DESC', limit: 200, offset: Math.min(20_000, Math.floor(count / 4)) };
    const runs = JSON.parse((await poster.post(`${api}/flow_runs/filter`, body)).text) as { id: string }[];
    return scaleIds(
      count,
      runs.map((r) => r.id),
    );
  } finally {
    poster.close();
  }
}

interface Target {
  readonly p95: number;
  readonly p99: number;
}

async function readPhase(
  api: string,
  requests: number,
  concurrency: number,
  only: RegExp | null,
  target: Target,
  filled?: number,
): Promise<ScaleCall[]> {
  const ids = await resolveIds(api, filled);
  console.log(
    `\n${ids.flowRuns} flow runs; graph run ${ids.graphRun}; ${requests} requests per call at concurrency ${concurrency}`,
  );
  console.log(`targets: p95 < ${target.p95} ms, p99 < ${target.p99} ms\n`);
  const selected = scaleCalls(ids).filter((c) => only === null || only.test(`${c.endpoint} ${c.variant}`));
  const worst = new Map<string, { p95: number; p99: number }>();
  const informational: string[] = [];
  for (const call of selected) {
    const sample = await measure(api, call, requests, concurrency);
    const s = summarise(sample.latencies);
    const ok = s.p95 < target.p95 && s.p99 < target.p99;
    const label = `${call.endpoint} — ${call.variant}`;
    console.log(
      `${call.notFromUi !== undefined ? '·' : ok ? ' ' : '!'} ${label.padEnd(84)} p50 ${fmt(s.p50).padStart(7)}  p95 ${fmt(s.p95).padStart(7)}  p99 ${fmt(s.p99).padStart(7)} ms` +
        (sample.errors > 0 ? `  ${sample.errors} errors (HTTP ${sample.status})` : ''),
    );
    if (call.notFromUi !== undefined) {
      informational.push(`${label}: ${call.notFromUi}`);
      continue;
    }
    const before = worst.get(call.endpoint) ?? { p95: 0, p99: 0 };
    worst.set(call.endpoint, { p95: Math.max(before.p95, s.p95), p99: Math.max(before.p99, s.p99) });
  }
  const failing = [...worst].filter(([, w]) => w.p95 >= target.p95 || w.p99 >= target.p99);
  console.log(
    `\n${worst.size} endpoints, ${failing.length} over target${failing.length ? `: ${failing.map(([e]) => e).join(', ')}` : ''}`,
  );
  for (const line of informational) console.log(`· not sent by the UI, no target: ${line}`);
  return selected;
}

async function explainPhase(
  admin: Client,
  database: string,
  databaseUrl: string,
  selected: ScaleCall[],
  logPath: string | undefined,
): Promise<void> {
  const path = await serverLogPath(admin, logPath);
  try {
    await logSize(admin, path);
  } catch (error) {
    console.log(`\nEXPLAIN skipped: cannot read the server log ${path} (${String(error)}); pass --pg-log`);
    return;
  }
  const settings: [string, string][] = [
    ['session_preload_libraries', 'auto_explain'],
    ['auto_explain.log_min_duration', '0'],
    ['auto_explain.log_analyze', 'on'],
    ['auto_explain.log_buffers', 'on'],
    ['auto_explain.log_timing', 'on'],
    ['auto_explain.log_nested_statements', 'off'],
  ];
  for (const [name, value] of settings)
    await admin.query(`ALTER DATABASE ${database} SET ${name} = '${value}'`);
  let api: ApiProcess | undefined;
  try {
    api = await startApi({ PREFECT_API_DATABASE_CONNECTION_URL: databaseUrl });
    const poster = new JsonPoster(1);
    console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the slowest statement per endpoint (auto_explain, ${path})`);
    const byEndpoint = new Map<string, ScaleCall[]>();
    for (const call of selected)
      byEndpoint.set(call.endpoint, [...(byEndpoint.get(call.endpoint) ?? []), call]);
    const flagged: string[] = [];
    for (const [endpoint, variants] of byEndpoint) {
      let slowest: { ms: number; text: string; variant: string } | undefined;
      for (const call of variants) {
        await send(api.api, poster, call); // plans of a warm statement, as under load
        const from = await logSize(admin, path);
        await send(api.api, poster, call);
        await new Promise((resolve) => setTimeout(resolve, 150)); // the log is written asynchronously
        const plans = await plansSince(admin, path, from, database);
        for (const plan of plans) {
          const seq = seqScans(plan.text);
          if (seq.length > 0) flagged.push(`${endpoint} — ${call.variant}: Seq Scan on ${seq.join(', ')}`);
        }
        if (plans[0] !== undefined && (slowest === undefined || plans[0].ms > slowest.ms)) {
          slowest = { ...plans[0], variant: call.variant };
        }
      }
      console.log(`\n  ${endpoint} (slowest variant: ${slowest?.variant ?? '—'})`);
      if (slowest !== undefined) printPlan(slowest);
    }
    poster.close();
    console.log(
      flagged.length === 0
        ? `\nno sequential scan of ${BIG_TABLES.join(', ')} on any call`
        : `\nSEQUENTIAL SCANS:\n  ${flagged.join('\n  ')}`,
    );
  } finally {
    if (api !== undefined) await stopProcess(api.child);
    await admin.query(`ALTER DATABASE ${database} RESET ALL`);
  }
}

/**
 * Runs every background service (not the API) on the database for `seconds` with debug logs, and
 * prints the tick durations the job runner logs (`Periodic job X: tick took N s`).
 */
async function ticksPhase(databaseUrl: string, seconds: number): Promise<void> {
  console.log(
    `\nperiodic services for ${seconds} s (scheduler, late-runs, foreman, pause-expirations, ` +
      'cancellation-cleanup, repossessor, db-vacuum …): tick durations',
  );
  const ticks = new Map<string, number[]>();
  const warnings: string[] = [];
  let pending = '';
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'orrery'), 'server', 'services', 'start'], {
    env: {
      ...process.env,
      PREFECT_API_DATABASE_CONNECTION_URL: databaseUrl,
      PREFECT_LOGGING_SERVER_LEVEL: 'DEBUG',
      // Shorter loops than the defaults so a short run sees several ticks of each.
      PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS: '20',
      PREFECT_SERVER_SERVICES_DB_VACUUM_LOOP_SECONDS: '30',
      PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED: 'events,flow_runs',
      // A retention window: the oldest few days of the fill's year of runs.
      PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD: String(362 * 86400),
      // The fixture's 31 days of events: a 30-day retention leaves one day to delete.
      PREFECT_SERVER_EVENTS_RETENTION_PERIOD: String(30 * 86400),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onData = (chunk: string): void => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const tick = /Periodic job ([\w-]+): tick took ([\d.]+) s/.exec(line);
      if (tick !== null) ticks.set(tick[1]!, [...(ticks.get(tick[1]!) ?? []), Number(tick[2]) * 1000]);
      if (/longer than its interval|WARN|ERROR/.test(line) && !/DEBUG/.test(line)) warnings.push(line.trim());
      if (/db-vacuum|deleted/.test(line) && /LOG|INFO/.test(line))
        console.log(`  ${line.trim().slice(0, 160)}`);
    }
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  await stopProcess(child);
  console.log('');
  for (const [name, durations] of [...ticks].sort()) {
    const s = summarise(durations);
    console.log(
      `  ${name.padEnd(34)} ${String(durations.length).padStart(3)} ticks  first ${fmt(durations[0]!, 0).padStart(6)} ms  ` +
        `p50 ${fmt(s.p50, 0).padStart(6)} ms  max ${fmt(s.max, 0).padStart(6)} ms${s.max >= 2000 ? '  (over 2 s)' : ''}`,
    );
  }
  for (const w of warnings.slice(0, 20)) console.log(`  warning: ${w.slice(0, 200)}`);
}

/** API latency of a read mix while db-vacuum drains expired events and old runs. */
async function vacuumPhase(
  databaseUrl: string,
  seconds: number,
  api: string,
  targets: string,
): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const expired = async (): Promise<{ events: number; resources: number; runs: number }> => {
    const [row] = (
      await db.query(`SELECT
        (SELECT count(*) FROM events WHERE occurred < now() - interval '30 days')::int AS events,
        (SELECT count(*) FROM event_resources WHERE occurred < now() - interval '30 days')::int AS resources,
        (SELECT count(*) FROM flow_run WHERE end_time < now() - interval '362 days'
           AND state_type IN ('COMPLETED','FAILED','CANCELLED','CRASHED'))::int AS runs`)
    ).rows as [{ events: number; resources: number; runs: number }];
    return row;
  };
  const before = await expired();
  console.log(
    `\ndb-vacuum (${targets}) for ${seconds} s (batch 200, events older than 30 days, runs ended > 362 days ago): ` +
      `${before.events} events, ${before.resources} resources and ${before.runs} flow runs expired`,
  );
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'orrery'), 'server', 'services', 'start'], {
    env: {
      ...process.env,
      PREFECT_API_DATABASE_CONNECTION_URL: databaseUrl,
      PREFECT_LOGGING_SERVER_LEVEL: 'WARNING',
      PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED: targets,
      PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD: String(362 * 86400),
      // The fixture's 31 days of events: a 30-day retention leaves one day to delete.
      PREFECT_SERVER_EVENTS_RETENTION_PERIOD: String(30 * 86400),
      ...Object.fromEntries(
        [
          'SCHEDULER',
          'LATE_RUNS',
          'FOREMAN',
          'PAUSE_EXPIRATIONS',
          'CANCELLATION_CLEANUP',
          'REPOSSESSOR',
          'TRIGGERS',
          // Not EVENT_PERSISTER: db-vacuum leaves events alone where events are not persisted.
          'TASK_RUN_RECORDER',
          'EVENT_LOGGER',
          'CLEANUP_RECONCILER',
        ].map((s) => [`PREFECT_SERVER_SERVICES_${s}_ENABLED`, 'false']),
      ),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const mix = [
    { path: '/flow_runs/filter', body: { sort: 'START_TIME_DESC', limit: 200 } },
    { path: '/events/filter', body: { filter: { order: 'DESC' }, limit: 50 } },
    { path: '/flow_runs/count', body: {} },
    { path: '/task_runs/filter', body: { limit: 200 } },
  ];
  const poster = new JsonPoster(4);
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: 4 }, async (_, k) => {
      let n = k;
      while (Date.now() < deadline) {
        const call = mix[n++ % mix.length]!;
        const t = performance.now();
        await poster.post(`${api}${call.path}`, call.body);
        latencies.push(performance.now() - t);
      }
    }),
  );
  poster.close();
  await stopProcess(child);
  const elapsed = (Date.now() - started) / 1000;
  const after = await expired();
  await db.end();
  const s = summarise(latencies);
  const deleted = before.events - after.events + before.resources - after.resources;
  console.log(
    `  API during vacuum: ${latencies.length} requests, p50 ${fmt(s.p50)} p95 ${fmt(s.p95)} p99 ${fmt(s.p99)} max ${fmt(s.max)} ms`,
  );
  console.log(
    `  deleted ${before.events - after.events} events + ${before.resources - after.resources} resources ` +
      `(${fmt(deleted / elapsed, 0)} rows/s) and ${before.runs - after.runs} flow runs in ${fmt(elapsed, 0)} s`,
  );
}

/** lifecycles.bench against this API, then against an empty database's; prints the ratio. */
async function lifecyclePhase(
  admin: Client,
  adminUrl: string,
  databaseUrl: string,
  lifecycles: number,
): Promise<void> {
  const run = async (url: string): Promise<number> => {
    const api = await startApi({ PREFECT_API_DATABASE_CONNECTION_URL: url });
    try {
      const output = await new Promise<string>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            join(__dirname, 'lifecycles.bench.js'),
            '--url',
            api.api,
            '--lifecycles',
            String(lifecycles),
            '--concurrency',
            '8',
          ],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        let text = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        child.on('exit', (code) =>
          code === 0 ? resolve(text) : reject(new Error(`lifecycles exited ${code}`)),
        );
      });
      process.stdout.write(output.replace(/^/gm, '    '));
      return Number(/→ ([\d.]+) lifecycles\/s/.exec(output)?.[1] ?? NaN);
    } finally {
      await stopProcess(api.child);
    }
  };
  console.log(`\nlifecycle throughput (${lifecycles} lifecycles, concurrency 8): full database`);
  const full = await run(databaseUrl);
  const empty = `orrery_scale_empty_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${empty}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${empty}`;
    const dataSource = createDataSource({ kind: 'postgres', url: url.toString(), poolSize: 1 });
    await dataSource.initialize();
    await new DatabaseMigrator(dataSource).upgrade();
    await dataSource.destroy();
    console.log('  empty database');
    const base = await run(url.toString());
    console.log(
      `  full / empty: ${fmt(full, 1)} / ${fmt(base, 1)} lifecycles/s = ${fmt((100 * full) / base, 0)} % (target ≥ 80 %)`,
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${empty} WITH (FORCE)`);
  }
}

async function pglite(
  dir: string,
  requests: number,
  concurrency: number,
  only: RegExp | null,
): Promise<void> {
  // The embedded database lives at $PREFECT_HOME/orrery-pglite (PGlite refuses a symlink there).
  if (basename(dir) !== 'orrery-pglite') throw new Error('--pglite must name a directory HOME/orrery-pglite');
  let api: ApiProcess | undefined;
  try {
    api = await startApi({ PREFECT_HOME: dirname(dir) });
    await readPhase(api.api, requests, concurrency, only, { p95: 300, p99: Infinity });
  } finally {
    if (api !== undefined) await stopProcess(api.child);
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const requests = Number(options.requests ?? 100);
  const concurrency = Number(options.concurrency ?? 4);
  const only = options.only === undefined ? null : new RegExp(options.only);
  if (options.pglite !== undefined) return pglite(options.pglite, requests, concurrency, only);
  const adminUrl = options.pg ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const database = options.name;
  if (database === undefined || !/^orrery_scale_[a-z0-9_]+$/.test(database)) {
    throw new Error('--name orrery_scale_… (a database filled by scale-fill) is required');
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Migrations added since the fill (new indexes) apply first.
    const dataSource = createDataSource({ kind: 'postgres', url: databaseUrl, poolSize: 1 });
    await dataSource.initialize();
    await new DatabaseMigrator(dataSource).upgrade();
    await dataSource.destroy();
    const api = await startApi({ PREFECT_API_DATABASE_CONNECTION_URL: databaseUrl });
    let selected: ScaleCall[];
    try {
      const filled = options['flow-runs'] === undefined ? undefined : Number(options['flow-runs']);
      selected = await readPhase(api.api, requests, concurrency, only, { p95: 150, p99: 500 }, filled);
      if (options.vacuum !== undefined)
        await vacuumPhase(
          databaseUrl,
          Number(options.vacuum),
          api.api,
          options['vacuum-targets'] ?? 'events,flow_runs',
        );
    } finally {
      await stopProcess(api.child);
    }
    if (options['no-explain'] !== 'true')
      await explainPhase(admin, database, databaseUrl, selected, options['pg-log']);
    if (options.ticks !== undefined) await ticksPhase(databaseUrl, Number(options.ticks));
    if (options.lifecycles !== undefined)
      await lifecyclePhase(admin, adminUrl, databaseUrl, Number(options.lifecycles));
  } finally {
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
