// Telemetry cost benchmark (issue 15): the lifecycle benchmark against `orrery server start` on a
// scratch PostgreSQL database and a Redis of its own, with telemetry off, metrics only (Prometheus)
// and on (metrics plus traces and metrics pushed over OTLP/HTTP to an in-process receiver that
// drops them), alternating rounds because the machine is shared; prints lifecycles/s of each round and
// the ratios to off. Then seeds N flow runs and times GET /api/metrics. Asserts nothing.
//
//   npm run build && node dist/tools/bench/src/telemetry.bench.js [--lifecycles 300] [--concurrency 8] \
//        [--rounds 2] [--runs 10000] [--scrapes 30] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
import 'reflect-metadata';
import { freePort, orreryEnv, postgresRedisEnv, PrivateRedis, waitFor } from '@orrery/testing';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { cpuSeconds, fmt, parseArgs, summarise } from './bench-support';
import { loadavg } from 'node:os';

// Run from dist/tools/bench/src: the repository is four levels up, the lifecycle benchmark beside us.
const ORRERY_BIN = join(resolve(__dirname, '..', '..', '..', '..'), 'bin', 'orrery');
const LIFECYCLES_BENCH = join(__dirname, 'lifecycles.bench.js');

/** An OTLP/HTTP endpoint that accepts and drops everything (the exporters' cost is what we measure). */
async function startSink(): Promise<{ url: string; close(): void }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

interface Server {
  readonly api: string;
  /** CPU seconds the server process has used so far. */
  cpu(): number;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [ORRERY_BIN, 'server', 'start', '--port', String(port)],
    {
      env: orreryEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => child.once('exit', r));
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`server exited:\n${out}`);
      return /orrery: ready/.test(out);
    },
    { timeoutMs: 120_000, what: 'the server to be ready' },
  );
  return {
    api: `http://127.0.0.1:${port}/api`,
    cpu: () => cpuSeconds(child.pid!),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function lifecycleRate(api: string, lifecycles: number, concurrency: number): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        LIFECYCLES_BENCH,
        '--url',
        api,
        '--lifecycles',
        String(lifecycles),
        '--concurrency',
        String(concurrency),
      ],
      { maxBuffer: 1 << 20 },
      (error, stdout) => {
        if (error !== null) return reject(error);
        const rate = Number(/→ ([\d.]+) lifecycles\/s/.exec(stdout)?.[1] ?? Number.NaN);
        resolve(rate);
      },
    );
  });
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const lifecycles = Number(options.lifecycles ?? 300);
  const concurrency = Number(options.concurrency ?? 8);
  const rounds = Number(options.rounds ?? 2);
  const runs = Number(options.runs ?? 10_000);
  const scrapes = Number(options.scrapes ?? 30);
  const serverUrl = options.pg ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

  const name = `orrery_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${name}`;
  const redis = await PrivateRedis.start();
  const sink = await startSink();
  const base = postgresRedisEnv(databaseUrl.toString(), redis.url());
  const off = base;
  const on = {
    ...base,
    PREFECT_SERVER_METRICS_ENABLED: 'true',
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
    OTEL_METRIC_EXPORT_INTERVAL: '5000',
  };
  try {
    console.log(
      `telemetry benchmark: ${rounds} × (off, metrics, on) rounds of ${lifecycles} lifecycles at concurrency ${concurrency}`,
    );
    const modes = { off, metrics: { ...base, PREFECT_SERVER_METRICS_ENABLED: 'true' }, on } as const;
    const rates: Record<keyof typeof modes, number[]> = { off: [], metrics: [], on: [] };
    const cpuMs: Record<keyof typeof modes, number[]> = { off: [], metrics: [], on: [] };
    for (let round = 0; round < rounds; round++) {
      for (const label of ['off', 'metrics', 'on'] as const) {
        const server = await startServer(modes[label]);
        try {
          await lifecycleRate(server.api, Math.min(50, lifecycles), concurrency); // warm-up
          const cpuBefore = server.cpu();
          const rate = await lifecycleRate(server.api, lifecycles, concurrency);
          const perLifecycle = ((server.cpu() - cpuBefore) * 1000) / lifecycles;
          rates[label].push(rate);
          cpuMs[label].push(perLifecycle);
          console.log(
            `round ${round + 1} telemetry ${label}: ${fmt(rate)} lifecycles/s, server CPU ${fmt(perLifecycle, 2)} ms/lifecycle (load ${loadavg()[0]!.toFixed(1)})`,
          );
        } finally {
          await server.stop();
        }
      }
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(
      `telemetry throughput ratios: metrics only / off ${fmt(mean(rates.metrics) / mean(rates.off), 3)}, ` +
        `metrics + traces / off ${fmt(mean(rates.on) / mean(rates.off), 3)} (off ${fmt(mean(rates.off))}, ` +
        `metrics ${fmt(mean(rates.metrics))}, on ${fmt(mean(rates.on))} lifecycles/s; goal ≥ 0.9)`,
    );
    console.log(
      `telemetry CPU-cost ratios (off cost / mode cost, the throughput a CPU-bound server keeps): ` +
        `metrics only ${fmt(mean(cpuMs.off) / mean(cpuMs.metrics), 3)}, metrics + traces ${fmt(mean(cpuMs.off) / mean(cpuMs.on), 3)} ` +
        `(server CPU per lifecycle: off ${fmt(mean(cpuMs.off), 2)} ms, metrics ${fmt(mean(cpuMs.metrics), 2)} ms, on ${fmt(mean(cpuMs.on), 2)} ms)`,
    );

    // Scrape cost with N flow runs in the database.
    const db = new Client({ connectionString: databaseUrl.toString() });
    await db.connect();
    const [{ id: flowId }] = (await db.query<{ id: string }>(`SELECT id FROM flow LIMIT 1`)).rows;
    await db.query(
      `INSERT INTO flow_run (id, name, flow_id, state_type, state_name, state_timestamp, expected_start_time)
       SELECT gen_random_uuid(), 'seeded-' || g, $1,
              (ARRAY['SCHEDULED','PENDING','RUNNING','COMPLETED','FAILED','CANCELLED']::state_type[])[1 + g % 6],
              'Seeded', now(), now()
       FROM generate_series(1, $2) g`,
      [flowId, runs],
    );
    const [{ count }] = (await db.query<{ count: string }>(`SELECT count(*) FROM flow_run`)).rows;
    await db.end();
    const server = await startServer(on);
    try {
      const times: number[] = [];
      const cpuBefore = server.cpu();
      for (let i = 0; i < scrapes; i++) {
        const started = performance.now();
        const response = await fetch(`${server.api}/metrics`);
        await response.text();
        times.push(performance.now() - started);
        // Past the 10 s cache of the runs-per-state count every fifth scrape, so both paths are timed.
        if (i % 5 === 4) await new Promise((r) => setTimeout(r, 10_500));
      }
      const s = summarise(times);
      // Idle server CPU over the waits is included: an upper bound of the CPU a scrape costs.
      const cpuPerScrape = ((server.cpu() - cpuBefore) * 1000) / scrapes;
      console.log(
        `GET /api/metrics with ${count} flow runs: ${scrapes} scrapes, ms p50 ${fmt(s.p50)} p95 ${fmt(s.p95)} max ${fmt(s.max)} ` +
          `(goal < 50 ms); server CPU ≤ ${fmt(cpuPerScrape, 1)} ms per scrape (load ${loadavg()[0]!.toFixed(1)})`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    sink.close();
    await redis.dispose();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
