import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  type WriteStream,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PrivatePostgres, PrivateRedis } from '@orrery/testing';
import { Client } from 'pg';
import {
  dockerfileEntrypoint,
  groupOf,
  type PlannedProcess,
  planTopology,
  readComposeFile,
  type TopologyPlan,
} from './compose';
import { type LocalTargets, localArgv, localEnvironment, localNginxConfig } from './localize';

/** The repository root: the directory holding docker-compose.yml and bin/orrery (from src/ or dist/). */
export function findRepoRoot(from = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'docker-compose.yml')) && existsSync(join(dir, 'bin', 'orrery'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no docker-compose.yml with bin/orrery above ${from}`);
  }
}

export interface TopologyOptions {
  /** Defaults to docker-compose.yml at the repository root. */
  readonly composeFile?: string;
  /**
   * PostgreSQL database every process uses. Unset: a fresh database `orrery_ha_<random>` is created
   * on `postgresServerUrl` and dropped by stop().
   */
  readonly databaseUrl?: string;
  /** Server on which to create the fresh database (default postgresql://postgres@127.0.0.1:5432/postgres). */
  readonly postgresServerUrl?: string;
  /** Local Redis server, without database number (default redis://127.0.0.1:6379). */
  readonly redisServer?: string;
  /** Redis database number all Redis URLs point to (default 0). Streams have fixed names: use one per topology. */
  readonly redisDb?: number;
  /** Replica counts per group, e.g. `{ api: 3, services: 1 }`. */
  readonly replicas?: Readonly<Record<string, number>>;
  /** Compose profiles to include (e.g. `per-service`). */
  readonly profiles?: readonly string[];
  /** Port nginx listens on, on 127.0.0.1 (default: a free one). */
  readonly port?: number;
  /** Extra environment for every Orrery process (after compose's, e.g. a log level). */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** nginx binary (default: `nginx` on PATH, else /usr/sbin/nginx). */
  readonly nginxBinary?: string;
  /** Called with one line per event (what started where, what exited). */
  readonly log?: (line: string) => void;
  /** Longest wait for one process to become ready (default 60 s). */
  readonly readyTimeoutMs?: number;
  /** Keep the directory with logs and the generated nginx.conf after stop() (default: removed). */
  readonly keepDir?: boolean;
  /**
   * Run a Redis and a PostgreSQL cluster of the topology's own on free loopback ports instead of the
   * machine's servers (`redisServer`, `postgresServerUrl` and `databaseUrl` are then ignored): Redis
   * with the compose redis service's options (`--appendonly yes`), PostgreSQL from initdb. They are
   * `topology.servers`, which a test may stop and launch again (a dependency restart); stop()
   * removes them.
   */
  readonly ownServers?: boolean;
}

/** The topology's own dependency servers (`ownServers`). */
export interface OwnServers {
  readonly redis: PrivateRedis;
  readonly postgres: PrivatePostgres;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ProcessInfo {
  readonly name: string;
  readonly role: PlannedProcess['role'];
  readonly pid: number;
  /** The API replica's (or nginx's) local HTTP URL. */
  readonly url: string | null;
  readonly port: number | null;
  readonly logFile: string;
}

export interface Topology {
  /** nginx's URL, e.g. http://127.0.0.1:4200 (append /api). */
  readonly url: string;
  /** The current child of every process by compose service name (the migrate job too, exited; restart replaces it). */
  readonly processes: Map<string, ChildProcess>;
  /** The environment the Orrery processes got (same for all but PREFECT_HOME and the API port). */
  readonly env: Readonly<Record<string, string>>;
  readonly databaseUrl: string;
  /** Directory with logs (`<name>.log`, nginx's access.log / error.log), pid and generated config. */
  readonly dir: string;
  readonly plan: TopologyPlan;
  /** With `ownServers`: the Redis and PostgreSQL every process uses; null otherwise. */
  readonly servers: OwnServers | null;
  info(name: string): ProcessInfo;
  /** The last ~256 KiB a process printed (stdout and stderr). */
  output(name: string): string;
  /** Signals the process group of `name` and resolves with how it exited. */
  kill(name: string, signal?: NodeJS.Signals): Promise<ProcessExit>;
  /** Stops `name` if it runs (SIGTERM), starts it again with the same command, env and port, waits until ready. */
  restart(name: string): Promise<void>;
  /**
   * SIGTERM to everything (nginx first, then the services, then the API replicas), waits for every
   * exit, SIGKILLs what is left after the grace period, drops the database if it created it and
   * removes `dir` unless keepDir.
   */
  stop(graceMs?: number): Promise<StopReport>;
}

export interface StopReport {
  /** How each process running at stop() time exited. */
  readonly exits: Readonly<Record<string, ProcessExit>>;
  /** Pids still alive in any of the topology's process groups after the grace period (then killed). */
  readonly leftovers: readonly number[];
}

const OUTPUT_LIMIT = 256 * 1024;

class Supervised {
  child!: ChildProcess;
  exited!: Promise<ProcessExit>;
  private out = '';
  private file: WriteStream | null = null;
  readonly groups = new Set<number>();

  constructor(
    readonly planned: PlannedProcess,
    readonly command: string,
    readonly args: readonly string[],
    readonly env: NodeJS.ProcessEnv,
    readonly cwd: string,
    readonly logFile: string,
    readonly port: number | null,
  ) {}

  spawn(): void {
    this.file?.end();
    this.file = createWriteStream(this.logFile, { flags: 'a' });
    this.out = '';
    // A process group of its own: kill() reaches nginx's workers too, and the terminal's Ctrl-C
    // reaches only the runner, which then stops everything in order.
    const child = spawn(this.command, [...this.args], {
      cwd: this.cwd,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const capture = (chunk: Buffer): void => {
      this.file?.write(chunk);
      this.out += chunk.toString();
      if (this.out.length > OUTPUT_LIMIT) this.out = this.out.slice(-OUTPUT_LIMIT / 2);
    };
    child.stdout?.on('data', capture);
    child.stderr?.on('data', capture);
    this.exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
    child.once('error', (error) => capture(Buffer.from(`tools/ha: cannot start: ${error.message}\n`)));
    if (child.pid !== undefined) this.groups.add(child.pid);
    this.child = child;
  }

  output(): string {
    return this.out;
  }

  running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined || !this.running()) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // Already gone.
    }
  }

  close(): void {
    this.file?.end();
    this.file = null;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `promise`'s value, or null after `ms`; the timer is cleared either way (no handle outlives it). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Pids in process group `pgid` (nginx's master and workers, or one node process). */
function groupMembers(pgid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when the group is empty.
  }
}

function nginxBinary(explicit: string | undefined): string {
  if (explicit !== undefined) return explicit;
  for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/sbin')) {
    if (dir !== '' && existsSync(join(dir, 'nginx'))) return join(dir, 'nginx');
  }
  throw new Error('nginx is not installed: run tools/dev/ensure-nginx.sh');
}

async function createDatabase(serverUrl: string): Promise<string> {
  const name = `orrery_ha_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(serverUrl: string, databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!/^orrery_ha_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Starts the docker-compose topology as local processes on loopback: the migrate job (waits for
 * exit 0), the API replicas on free ports, the services replicas, then nginx with a config generated
 * from the compose file's nginx.conf. Rejects (after stopping whatever it started) if any process
 * fails to become ready.
 */
export async function startTopology(options: TopologyOptions = {}): Promise<Topology> {
  const root = findRepoRoot();
  const log = options.log ?? (() => undefined);
  const composePath = options.composeFile ?? join(root, 'docker-compose.yml');
  const compose = readComposeFile(composePath);
  const composeDir = dirname(composePath);
  const orreryService = Object.values(compose.services).find((s) => s.build !== undefined);
  const dockerfile =
    (orreryService?.build as { dockerfile?: string } | undefined)?.dockerfile ?? 'Dockerfile';
  const plan = planTopology(compose, {
    replicas: options.replicas,
    profiles: options.profiles,
    imageEntrypoint: dockerfileEntrypoint(readFileSync(join(composeDir, dockerfile), 'utf8')),
  });
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  let servers: OwnServers | null = null;
  if (options.ownServers === true) {
    const [redis, postgres] = await Promise.all([
      PrivateRedis.start({ serverArgs: plan.redisServerArgs }),
      PrivatePostgres.start(),
    ]);
    servers = { redis, postgres };
  }
  const disposeServers = async (): Promise<void> => {
    await Promise.all([servers?.redis.dispose(), servers?.postgres.dispose()]);
  };
  const postgresServerUrl =
    servers?.postgres.url() ?? options.postgresServerUrl ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const createdDatabase = servers !== null || options.databaseUrl === undefined;
  const databaseUrl =
    (servers === null ? options.databaseUrl : undefined) ??
    (await createDatabase(postgresServerUrl).catch(async (error: unknown) => {
      await disposeServers();
      throw error;
    }));
  const dir = mkdtempSync(join(tmpdir(), 'orrery-ha-'));
  // nginx workers run as an unprivileged user when the runner is root: they must reach their temp dirs.
  chmodSync(dir, 0o755);

  const apiPorts = new Map<string, number>();
  for (const p of plan.processes) if (p.role === 'api') apiPorts.set(p.name, await freePort());
  const nginxPlanned = plan.processes.find((p) => p.role === 'nginx');
  const listenPort = options.port === undefined || options.port === 0 ? await freePort() : options.port;
  const targets: LocalTargets = {
    databaseUrl,
    redisServer:
      servers !== null
        ? `redis://127.0.0.1:${servers.redis.port}`
        : (options.redisServer ?? 'redis://127.0.0.1:6379'),
    redisDb: options.redisDb ?? 0,
    postgresHosts: plan.postgresHosts,
    redisHosts: plan.redisHosts,
    publishedPort: nginxPlanned?.nginx?.hostPort ?? 4200,
    listenPort,
    apiPorts,
  };

  const baseEnv: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // A container starts from its image's environment, not the developer's shell.
    if (!k.startsWith('PREFECT_') && k !== 'NODE_OPTIONS') baseEnv[k] = v;
  }
  let sharedEnv: Record<string, string> | null = null;
  const supervised = new Map<string, Supervised>();
  for (const p of plan.processes) {
    const logFile = join(dir, `${p.name}.log`);
    if (p.role === 'nginx') {
      const source = readFileSync(join(composeDir, p.nginx?.configPath ?? ''), 'utf8');
      const confPath = join(dir, 'nginx.conf');
      writeFileSync(confPath, localNginxConfig(source, targets, groupOf, { dir }));
      const args = ['-p', dir, '-e', join(dir, 'error.log'), '-c', confPath, '-g', 'daemon off;'];
      supervised.set(
        p.name,
        new Supervised(p, nginxBinary(options.nginxBinary), args, baseEnv, dir, logFile, listenPort),
      );
      continue;
    }
    const home = join(dir, p.name, 'home');
    mkdirSync(home, { recursive: true });
    const env = { ...localEnvironment(p, targets, home), ...options.extraEnv };
    if (p.role === 'services' && env.PREFECT_SERVER_SERVICES_METRICS_PORT !== undefined) {
      // Each container owns the metrics port; local replicas share a host, so each gets a free one.
      env.PREFECT_SERVER_SERVICES_METRICS_HOST = '127.0.0.1';
      env.PREFECT_SERVER_SERVICES_METRICS_PORT = String(await freePort());
    }
    if (sharedEnv === null) {
      // What an operator's shell needs to talk to this topology (`orrery server services ls`).
      sharedEnv = { ...env };
      for (const key of ['PREFECT_HOME', 'PREFECT_SERVER_API_HOST', 'PREFECT_SERVER_API_PORT'])
        delete sharedEnv[key];
    }
    const [command, ...args] = localArgv(p, targets, process.execPath);
    supervised.set(
      p.name,
      new Supervised(p, command, args, { ...baseEnv, ...env }, root, logFile, apiPorts.get(p.name) ?? null),
    );
  }

  const processes = new Map<string, ChildProcess>();
  const get = (name: string): Supervised => {
    const s = supervised.get(name);
    if (s === undefined) throw new Error(`no process ${name} (have: ${[...supervised.keys()].join(', ')})`);
    return s;
  };

  const waitReady = async (s: Supervised): Promise<void> => {
    const deadline = Date.now() + readyTimeoutMs;
    const fail = (why: string): Error =>
      new Error(`${s.planned.name} ${why}\n--- ${s.logFile} ---\n${s.output().slice(-4000)}`);
    if (s.planned.role === 'job') {
      const exit = await within(s.exited, readyTimeoutMs);
      if (exit === null) throw fail(`did not finish within ${readyTimeoutMs} ms`);
      if (exit.code !== 0) throw fail(`exited with ${exit.code ?? exit.signal}`);
      return;
    }
    for (;;) {
      if (!s.running()) throw fail('exited while starting');
      let ready: boolean;
      if (s.planned.role === 'nginx') ready = await httpOk(`http://127.0.0.1:${listenPort}/api/health`);
      else if (s.planned.role === 'api') {
        ready = /orrery: ready/.test(s.output()) && (await httpOk(`http://127.0.0.1:${s.port}/api/health`));
      } else ready = /orrery: ready/.test(s.output());
      if (ready) return;
      if (Date.now() > deadline) throw fail(`not ready within ${readyTimeoutMs} ms`);
      await sleep(100);
    }
  };

  const describe = (s: Supervised): string => {
    const where = s.port !== null ? ` on http://127.0.0.1:${s.port}` : '';
    return `${s.planned.name} (${s.planned.role}) pid ${s.child.pid}${where}: ${[s.command, ...s.args].join(' ')}`;
  };

  const start = async (s: Supervised): Promise<void> => {
    s.spawn();
    processes.set(s.planned.name, s.child);
    log(`started ${describe(s)}`);
    await waitReady(s);
    log(s.planned.role === 'job' ? `${s.planned.name} finished (exit 0)` : `${s.planned.name} ready`);
  };

  let stopped = false;
  const stop = async (graceMs = 20_000): Promise<StopReport> => {
    stopped = true;
    const exits: Record<string, ProcessExit> = {};
    const order = [...supervised.values()].filter((s) => s.planned.role !== 'job');
    const rank = { nginx: 0, services: 1, api: 2, job: 3 } as const;
    order.sort((a, b) => rank[a.planned.role] - rank[b.planned.role]);
    for (const role of ['nginx', 'services', 'api'] as const) {
      const batch = order.filter((s) => s.planned.role === role && s.child !== undefined && s.running());
      for (const s of batch) s.signal('SIGTERM');
      const results = await Promise.all(
        batch.map(async (s) => {
          const exit = await within(s.exited, graceMs);
          if (exit === null) {
            s.signal('SIGKILL');
            return [s.planned.name, await s.exited] as const;
          }
          return [s.planned.name, exit] as const;
        }),
      );
      for (const [name, exit] of results) {
        exits[name] = exit;
        log(`${name} exited with ${exit.code ?? exit.signal}`);
      }
    }
    const leftovers: number[] = [];
    for (const s of supervised.values()) {
      for (const pgid of s.groups) {
        for (const pid of groupMembers(pgid)) {
          leftovers.push(pid);
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Gone meanwhile.
          }
        }
      }
      s.close();
    }
    process.removeListener('exit', killAllSync);
    if (servers !== null) {
      await disposeServers();
    } else if (createdDatabase) {
      await dropDatabase(postgresServerUrl, databaseUrl).catch((e: unknown) =>
        log(`drop database: ${String(e)}`),
      );
    }
    if (options.keepDir !== true) rmSync(dir, { recursive: true, force: true });
    return { exits, leftovers };
  };

  // If the runner itself dies (a test runner crash, an uncaught error), take the children with it.
  const killAllSync = (): void => {
    for (const s of supervised.values()) if (s.child !== undefined) s.signal('SIGKILL');
  };
  process.once('exit', killAllSync);

  try {
    let i = 0;
    const ordered = plan.processes;
    while (i < ordered.length) {
      // Processes of the same level and role start together (api-1 and api-2 boot in parallel).
      const batch = ordered.filter((p) => p.level === ordered[i].level && p.role === ordered[i].role);
      await Promise.all(batch.map((p) => start(get(p.name))));
      i += batch.length;
    }
  } catch (error) {
    await stop(5000);
    throw error;
  }

  return {
    url: `http://127.0.0.1:${listenPort}`,
    processes,
    env: sharedEnv ?? {},
    databaseUrl,
    dir,
    plan,
    servers,
    info: (name) => {
      const s = get(name);
      return {
        name,
        role: s.planned.role,
        pid: s.child.pid ?? -1,
        url: s.port !== null ? `http://127.0.0.1:${s.port}` : null,
        port: s.port,
        logFile: s.logFile,
      };
    },
    output: (name) => get(name).output(),
    kill: async (name, signal = 'SIGKILL') => {
      const s = get(name);
      s.signal(signal);
      const exit = await s.exited;
      log(`${name} exited with ${exit.code ?? exit.signal} after ${signal}`);
      return exit;
    },
    restart: async (name) => {
      if (stopped) throw new Error('the topology is stopped');
      const s = get(name);
      if (s.running()) {
        s.signal('SIGTERM');
        await s.exited;
      }
      await start(s);
    },
    stop,
  };
}
