/** Small helpers shared by the benchmarks: argument parsing and latency percentiles. */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuid7 } from '@orrery/domain';
import { freePort, PrivateRedis } from '@orrery/testing';
import Redis from 'ioredis';
import { Client } from 'pg';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

export function parseArgs(argv: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    args[key] = inline ?? (argv[i + 1]?.startsWith('--') === false ? argv[++i]! : 'true');
  }
  return args;
}

/** p-th percentile (0–100) of samples, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarise(samplesMs: number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** One answer of a JsonPoster request: the status and the body text (decoded when first read). */
export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
}

/**
 * POSTs JSON (and GETs) over keep-alive connections with node:http. A load generator on the same
 * 2-core machine as the server takes CPU from it: undici's fetch cost the lifecycle benchmark 3.5 ms
 * of CPU per lifecycle (six requests), about a fifth of the whole machine's work, and the scale
 * benchmark 6.6 ms per 1.8 MB run graph (node:http: 2 ms).
 */
export class JsonPoster {
  private readonly agent: Agent;

  constructor(maxSockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  post(url: string, body: unknown, headers: Readonly<Record<string, string>> = {}): Promise<HttpAnswer> {
    const payload = Buffer.from(JSON.stringify(body));
    return this.send(
      url,
      'POST',
      { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers },
      payload,
    );
  }

  /** GETs over the same connections. */
  get(url: string): Promise<HttpAnswer> {
    return this.send(url, 'GET', {});
  }

  private send(
    url: string,
    method: string,
    headers: Readonly<Record<string, string>>,
    payload?: Buffer,
  ): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(url, { method, agent: this.agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        // Decoded only when read: joining and decoding a 1.8 MB run graph the caller only times
        // maps ~3.6 MB afresh, which on a virtual machine cost the load generator ~10 ms of the
        // server's CPU per response.
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            get text() {
              return Buffer.concat(chunks).toString('utf8');
            },
          }),
        );
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * A process a benchmark starts (`node <argv>`), keeping the tail of its output. `profileDir` set:
 * it writes a V8 CPU profile to `<profileDir>/<name>` on a clean exit.
 */
export class BenchProcess {
  static profileDir: string | undefined;
  out = '';
  readonly exited: Promise<number | null>;
  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.out = (this.out + d.toString()).slice(-20_000)));
    child.stderr?.on('data', (d: Buffer) => (this.out = (this.out + d.toString()).slice(-20_000)));
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
  }
  static start(name: string, argv: string[], env: NodeJS.ProcessEnv): BenchProcess {
    const dir = BenchProcess.profileDir;
    const profile = dir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(dir, name)}`];
    return new BenchProcess(
      name,
      spawn(process.execPath, [...profile, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
  }
  async ready(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!/orrery: ready/.test(this.out)) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited:\n${this.out}`);
      if (Date.now() > deadline) throw new Error(`${this.name} not ready:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** A running `orrery server start` child and its API base URL. */
export interface ApiProcess {
  readonly api: string;
  readonly child: ChildProcess;
}

/**
 * Starts `orrery server start` (with `args`, e.g. `--no-services`) on a free port with `env` on top
 * of this process's environment, and resolves once `/api/health` answers (180 s at most). Stderr is
 * inherited; stdout too unless `onStdout` takes it.
 */
export async function startApi(
  env: Readonly<Record<string, string>>,
  args: readonly string[] = ['--no-services'],
  onStdout?: (chunk: string) => void,
): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'orrery'), 'server', 'start', ...args], {
    env: {
      ...process.env,
      PREFECT_SERVER_API_HOST: '127.0.0.1',
      PREFECT_SERVER_API_PORT: String(port),
      PREFECT_LOGGING_SERVER_LEVEL: 'WARNING',
      ...env,
    },
    stdio: ['ignore', onStdout === undefined ? 'ignore' : 'pipe', 'inherit'],
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => onStdout?.(chunk));
  const api = `http://127.0.0.1:${port}/api`;
  // Generous: on a shared 2-core machine a server on a large database can take a minute to start.
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API process exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${api}/health`)).ok) return { api, child };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('the API process did not become healthy in 180 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** SIGTERM, then waits for the process to exit (SIGKILL after 15 s). */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** CPU seconds (user + system) a local process has used so far, from /proc (Linux); NaN elsewhere. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * What the triggers and automations benchmarks run on: a scratch PostgreSQL database on `pgServer`,
 * a redis-server of its own, a temporary home, and the environment of an Orrery process using them
 * (Redis bus, cache and causal ordering; migrations left to the first process).
 */
/** Distinct event names the automation benchmarks draw from (one per automation at most). */
export const AUTOMATION_BENCH_NAMES = 1000;

export class AutomationsBenchEnvironment {
  private constructor(
    private readonly admin: Client,
    readonly database: string,
    readonly databaseUrl: string,
    private readonly redisServer: PrivateRedis,
    /** A client of the benchmark's Redis (reads consumer groups and streams). */
    readonly redis: Redis,
    private readonly home: string,
    private readonly readBatch: string,
  ) {}

  static async start(
    label: string,
    pgServer: string,
    readBatch: string,
  ): Promise<AutomationsBenchEnvironment> {
    const database = `orrery_bench_${label}_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: pgServer });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(pgServer);
    url.pathname = `/${database}`;
    const redisServer = await PrivateRedis.start();
    const redis = new Redis(redisServer.url());
    redis.on('error', () => undefined);
    const home = mkdtempSync(join(tmpdir(), `orrery-bench-${label}-`));
    return new AutomationsBenchEnvironment(
      admin,
      database,
      url.toString(),
      redisServer,
      redis,
      home,
      readBatch,
    );
  }

  /** The environment of one process, its home under `dir`; inherited PREFECT_* variables dropped. */
  env(dir: string): NodeJS.ProcessEnv {
    const base: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PREFECT_')) base[k] = v;
    return {
      ...base,
      PREFECT_HOME: join(this.home, dir),
      PREFECT_API_DATABASE_CONNECTION_URL: this.databaseUrl,
      PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
      PREFECT_MESSAGING_CACHE: 'prefect_redis.messaging',
      PREFECT_REDIS_MESSAGING_URL: this.redisServer.url(),
      PREFECT_SERVER_DOCKET_URL: this.redisServer.url(),
      PREFECT_SERVER_EVENTS_CAUSAL_ORDERING: 'prefect_redis.ordering',
      PREFECT_SERVER_DATABASE_MIGRATE_ON_START: 'false',
      PREFECT_LOGGING_SERVER_LEVEL: 'WARNING',
      PREFECT_SERVER_SERVICES_TRIGGERS_READ_BATCH_SIZE: this.readBatch,
    };
  }

  /**
   * POSTs `events` events in batches at `rate` per second, each named `bench.event.<k>` for a random
   * k of NAMES (1000): the first `automations` names are the ones the benchmark's automations expect.
   * Returns how many events match an automation (the firings to expect).
   */
  async postPacedEvents(
    poster: JsonPoster,
    url: string,
    options: { events: number; batch: number; rate: number; automations: number },
  ): Promise<number> {
    const { events, batch, rate, automations } = options;
    let expected = 0;
    const started = performance.now();
    for (let sent = 0; sent < events; sent += batch) {
      const wait = started + (sent / rate) * 1000 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const occurred = new Date().toISOString();
      const body = Array.from({ length: Math.min(batch, events - sent) }, () => {
        const k = Math.floor(Math.random() * AUTOMATION_BENCH_NAMES);
        if (k < automations) expected += 1;
        return {
          id: uuid7(),
          occurred,
          event: `bench.event.${k}`,
          resource: { 'prefect.resource.id': `bench.resource.${k}` },
        };
      });
      const answer = await poster.post(url, body);
      if (answer.status !== 204) throw new Error(`POST /events: ${answer.status} ${answer.text}`);
    }
    return expected;
  }

  /** Resolves once the reactive-triggers group has delivered and acknowledged every event. */
  async triggersDrained(): Promise<void> {
    for (;;) {
      const groups = (await this.redis.call('XINFO', 'GROUPS', 'events')) as unknown[][];
      const group = groups
        .map((g) =>
          Object.fromEntries(Array.from({ length: g.length / 2 }, (_, i) => [g[2 * i], g[2 * i + 1]])),
        )
        .find((g) => g.name === 'reactive-triggers');
      if (group !== undefined && Number(group.lag) === 0 && Number(group.pending) === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** CPU seconds (from /proc) of every PostgreSQL backend connected to the benchmark's database. */
  async databaseCpuSeconds(): Promise<number> {
    const { rows } = await this.admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1`,
      [this.database],
    );
    return rows.reduce((sum, r) => sum + (cpuSeconds(r.pid) || 0), 0);
  }

  async dispose(): Promise<void> {
    this.redis.disconnect();
    await this.redisServer.stop();
    await this.admin.query(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`);
    await this.admin.end();
    rmSync(this.home, { recursive: true, force: true });
  }
}
