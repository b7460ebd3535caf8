/**
 * Hostile request bodies against a real API process: for each one, its status and response time,
 * the server's CPU time for it (/proc, user + system, including the 300 ms after the answer), the
 * slowest and median `GET /api/health` answered while it was handled (health is polled every
 * 10 ms from this process on its own connections, and for 300 ms after the answer, to catch
 * deferred work such as event persistence), and the server's longest event-loop stall
 * (monitorEventLoopDelay, preloaded into the server by event-loop-probe). Issue 11's goals: a 4xx
 * within 1 s for what is refused, no stall over ~100 ms whatever the body. Prints numbers; asserts
 * nothing. The bodies are the worst this bench knows how to build under each limit:
 * PREFECT_SERVER_API_MAX_BODY_SIZE (2 MiB, ordinary routes and each bulk item),
 * PREFECT_SERVER_API_MAX_JSON_VALUES (20 000 values per body or bulk item),
 * PREFECT_SERVER_API_MAX_BULK_BODY_SIZE (16 MiB, `POST /logs/` and `POST /events`) and
 * PREFECT_SERVER_API_MAX_BULK_ITEMS (100 000 items per bulk body), and over them.
 *
 * With `--back-to-back N`, each case is instead sent N times in a row (a new request as soon as the
 * last is answered) while health is polled: the slowest, p99 and median health over the whole run,
 * and the server's CPU ms per request — what a client flooding the server with one hostile body
 * does to everybody else.
 *
 *   node dist/tools/bench/src/hostile-bodies.bench.js [--only name,…] [--back-to-back N] [--max-values N]
 *        [--pg postgresql://postgres@127.0.0.1:5432/postgres]
 *
 * Starts `orrery server start` on embedded PGlite in a scratch PREFECT_HOME, or with --pg on a
 * scratch PostgreSQL database of that server (dropped afterwards). PGlite runs queries on the
 * API's own thread, so there a large write holds the event loop for as long as each statement runs.
 */
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, orreryEnv, waitFor } from '@orrery/testing';
import { Client } from 'pg';
import { cpuSeconds, fmt, parseArgs, percentile } from './bench-support';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body?: () => string;
}

const MB = 1024 * 1024;
/** Just under the default PREFECT_SERVER_API_MAX_BODY_SIZE (2 MiB) and MAX_BULK_BODY_SIZE (16 MiB). */
const ORDINARY = 2 * MB - 256;
const BULK = 16 * MB - 256;
const FLOW_ID = '00000000-0000-4000-8000-000000000000';

/** `n` copies of `item`, comma-separated, filling about `bytes`. */
function repeatTo(item: string, bytes: number): string {
  return Array.from({ length: Math.floor(bytes / (item.length + 1)) }, () => item).join(',');
}

/** `"k0":0,"k1":1,…` filling about `bytes`: distinct keys, the slowest thing for JSON.parse. */
function keysTo(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part = `"k${i}":${i % 10}`;
    parts.push(part);
    size += part.length + 1;
  }
  return parts.join(',');
}

/**
 * PREFECT_SERVER_API_MAX_JSON_VALUES (its default, or `--max-values N`, passed to the server): the
 * widest body still taken.
 */
const MAX_VALUES = Number(parseArgs(process.argv.slice(2))['max-values'] ?? 20_000);
/**
 * Distinct keys never seen by the server before (a fresh prefix per call): V8 internalises every
 * new key, and a repeated body would find them interned already.
 */
let keyPrefix = 0;
const freshKeys = (n: number): string[] => {
  const prefix = `k${(keyPrefix++).toString(36)}_`;
  return Array.from({ length: n }, (_, i) => `"${prefix}${i}":${i % 10}`);
};

const deep = (depth: number, open: string, inner: string, close: string): string =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

const LOG = JSON.stringify({
  name: 'prefect.flow_runs',
  level: 20,
  message: 'hello world, a log line of ordinary length',
  timestamp: '2026-01-01T00:00:00Z',
  flow_run_id: FLOW_ID,
});

const MINIMAL_LOG = JSON.stringify({ name: 'p', level: 20, message: '', timestamp: '2026-01-01T00:00:00Z' });

const EVENT = JSON.stringify({
  id: '0193f1c2-0000-7000-8000-000000000000',
  occurred: '2026-01-01T00:00:00Z',
  event: 'prefect.flow-run.Completed',
  resource: { 'prefect.resource.id': `prefect.flow-run.${FLOW_ID}`, 'prefect.resource.name': 'a-run' },
  related: [{ 'prefect.resource.id': 'prefect.flow.1', 'prefect.resource.role': 'flow' }],
  payload: {},
});

/** Events with distinct ids (the persister de-duplicates by id). */
function eventsTo(bytes: number): string {
  const n = Math.floor(bytes / (EVENT.length + 1));
  return Array.from({ length: n }, (_, i) =>
    EVENT.replace(
      '0193f1c2-0000-7000-8000-000000000000',
      `0193f1c2-0000-7000-8000-${String(i).padStart(12, '0')}`,
    ),
  ).join(',');
}

const CASES: readonly Case[] = [
  // Over the limits: refused while the body arrives.
  {
    name: 'over: nested-arrays 14MB',
    method: 'POST',
    path: '/flows/',
    body: () => deep(7 * MB, '[', '', ']'),
  },
  {
    name: 'over: 1.5M tags 15MB',
    method: 'POST',
    path: '/flows/',
    body: () => `{"name":"x","tags":[${repeatTo('"tag-12345"', 15 * MB)}]}`,
  },
  {
    name: 'over: 900k keys 15MB',
    method: 'POST',
    path: '/flows/filter',
    body: () => `{"junk":{${keysTo(15 * MB)}}}`,
  },
  { name: 'over: logs bulk 17MB', method: 'POST', path: '/logs/', body: () => `[${repeatTo(LOG, 17 * MB)}]` },
  // Refused by structure.
  {
    name: 'depth-3000-objects flows',
    method: 'POST',
    path: '/flows/',
    body: () => `{"name":"x","labels":${deep(3000, '{"a":', '1', '}')}}`,
  },
  {
    name: 'depth-3000-arrays flow_runs/filter',
    method: 'POST',
    path: '/flow_runs/filter',
    body: () => `{"flow_runs":{"tags":{"all_":${deep(3000, '[', '"x"', ']')}}}}`,
  },
  // Over PREFECT_SERVER_API_MAX_JSON_VALUES (and the old worst under 2 MiB): refused as they arrive.
  {
    name: 'values: depth-99 nests (junk key)',
    method: 'POST',
    path: '/flows/',
    body: () => `{"name":"x","junk":[${repeatTo(deep(97, '[', '1', ']'), ORDINARY - 40)}]}`,
  },
  {
    name: 'values: 520k tags of 1 char',
    method: 'POST',
    path: '/flows/',
    body: () => `{"name":"wide-tags","tags":[${repeatTo('"t"', ORDINARY - 40)}]}`,
  },
  {
    name: 'values: 190k distinct keys (labels)',
    method: 'POST',
    path: '/flows/',
    body: () => `{"name":"wide-labels","labels":{${keysTo(ORDINARY - 40)}}}`,
  },
  {
    name: 'values: 1M numbers (filter)',
    method: 'POST',
    path: '/flow_runs/filter',
    body: () => `{"junk":[${repeatTo('1', ORDINARY - 20)}]}`,
  },
  // The worst within PREFECT_SERVER_API_MAX_JSON_VALUES (100 000) and 2 MiB.
  {
    name: 'max: distinct keys (junk key)',
    method: 'POST',
    path: '/flows/',
    body: () => `{"name":"x","junk":{${freshKeys(MAX_VALUES - 2).join(',')}}}`,
  },
  {
    name: 'max: distinct keys (labels)',
    method: 'POST',
    path: '/flows/',
    body: () => `{"name":"wide-labels","labels":{${freshKeys(MAX_VALUES - 2).join(',')}}}`,
  },
  {
    name: 'max: distinct keys (flow-run parameters)',
    method: 'POST',
    path: '/flow_runs/',
    body: () => `{"flow_id":"${FLOW_ID}","parameters":{${freshKeys(MAX_VALUES - 2).join(',')}}}`,
  },
  {
    name: 'max: one-key objects of distinct keys (deployment parameters)',
    method: 'POST',
    path: '/deployments/',
    body: () =>
      `{"name":"d","flow_id":"${FLOW_ID}","parameters":{"p":[${freshKeys(MAX_VALUES / 2 - 4)
        .map((k) => `{${k}}`)
        .join(',')}]}}`,
  },
  {
    name: 'max: distinct keys (filter)',
    method: 'POST',
    path: '/flow_runs/filter',
    body: () => `{"flow_runs":{"junk":{${freshKeys(MAX_VALUES - 3).join(',')}}}}`,
  },
  {
    name: 'max: tags (valid flow)',
    method: 'POST',
    path: '/flows/',
    body: () =>
      `{"name":"wide-tags","tags":[${Array.from({ length: MAX_VALUES - 2 }, (_, i) => `"t${i}"`).join(',')}]}`,
  },
  {
    name: 'max: empty objects (variable value)',
    method: 'POST',
    path: '/variables/',
    body: () => `{"name":"wide${keyPrefix++}","value":[${repeatTo('{}', 3 * (MAX_VALUES - 2))}]}`,
  },
  {
    name: 'max: 2MB string name',
    method: 'POST',
    path: '/flows/',
    body: () => JSON.stringify({ name: 'x'.repeat(ORDINARY - 20) }),
  },
  // The worst under PREFECT_SERVER_API_MAX_BULK_BODY_SIZE and PREFECT_SERVER_API_MAX_BULK_ITEMS.
  { name: 'bulk: logs 16MB (valid)', method: 'POST', path: '/logs/', body: () => `[${repeatTo(LOG, BULK)}]` },
  {
    name: 'bulk: logs 16MB of {} (5.6M items)',
    method: 'POST',
    path: '/logs/',
    body: () => `[${repeatTo('{}', BULK)}]`,
  },
  {
    name: 'bulk: events 16MB of {} (5.6M items)',
    method: 'POST',
    path: '/events',
    body: () => `[${repeatTo('{}', BULK)}]`,
  },
  {
    name: 'bulk: logs 100k x {} (invalid)',
    method: 'POST',
    path: '/logs/',
    body: () => `[${repeatTo('{}', 3 * 100_000)}]`,
  },
  {
    name: 'bulk: logs 100k minimal (valid)',
    method: 'POST',
    path: '/logs/',
    body: () => `[${repeatTo(MINIMAL_LOG, (MINIMAL_LOG.length + 1) * 100_000)}]`,
  },
  {
    name: 'bulk: events 100k x {} (invalid)',
    method: 'POST',
    path: '/events',
    body: () => `[${repeatTo('{}', 3 * 100_000)}]`,
  },
  {
    name: 'bulk: logs 8 items of distinct keys',
    method: 'POST',
    path: '/logs/',
    body: () => `[${Array.from({ length: 8 }, () => `{${freshKeys(MAX_VALUES).join(',')}}`).join(',')}]`,
  },
  { name: 'bulk: events 16MB (valid)', method: 'POST', path: '/events', body: () => `[${eventsTo(BULK)}]` },
  // NUL anywhere.
  { name: 'NUL in body', method: 'POST', path: '/flows/', body: () => '{"name":"a\\u0000b"}' },
  { name: 'NUL in path', method: 'GET', path: '/flows/name/a%00b' },
  { name: 'NUL in query', method: 'GET', path: '/deployments/name/x/y?z=%00' },
  { name: 'NUL in variable name', method: 'GET', path: '/variables/name/a%00' },
];

function send(
  base: URL,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; ms: number; detail: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        method,
        path: `${base.pathname}${path}`,
        headers:
          body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - started,
            detail: Buffer.concat(chunks).toString('utf8').slice(0, 160),
          }),
        );
      },
    );
    // A server refusing a body early answers 413 and closes while the body is still being
    // written (EPIPE here): the answer counts, the write error does not.
    let answered = false;
    req.once('response', () => (answered = true));
    req.on('error', (error) => {
      if (answered) return;
      setTimeout(() => (answered ? undefined : reject(error)), 1000);
    });
    req.end(body);
  });
}

/** Polls health back to back (10 ms apart) until stopped; resolves with the slowest, p99 and median answer. */
function pollHealth(base: URL): {
  stop: () => Promise<{ slowest: number; p99: number; median: number; count: number }>;
} {
  let running = true;
  const samples: number[] = [];
  const loop = (async () => {
    while (running) {
      const { ms } = await send(base, 'GET', '/health');
      samples.push(ms);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      samples.sort((a, b) => a - b);
      return {
        slowest: samples[samples.length - 1] ?? NaN,
        p99: percentile(samples, 99),
        median: samples[Math.floor(samples.length / 2)] ?? NaN,
        count: samples.length,
      };
    },
  };
}

/**
 * Asks the server's event-loop probe for its longest stall since the last ask, and the server's CPU
 * time during it (ms): a stall with little CPU is the machine's load, not the request.
 */
function longestStall(child: ChildProcess | null, lines: string[]): Promise<{ ms: number; cpuMs: number }> {
  if (child === null) return Promise.resolve({ ms: NaN, cpuMs: NaN });
  const before = lines.length;
  child.kill('SIGUSR2');
  return waitFor(() => lines.length > before, { timeoutMs: 30_000, what: 'the event-loop probe' }).then(
    () => {
      const line = lines[lines.length - 1] ?? '';
      return {
        ms: Number(/max-ms=([\d.]+)/.exec(line)?.[1] ?? NaN),
        cpuMs: Number(/cpu-ms=([\d.]+)/.exec(line)?.[1] ?? NaN),
      };
    },
  );
}

async function scratchDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `orrery_hostile_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const only = args['only']?.split(',');
  const home = mkdtempSync(join(tmpdir(), 'orrery-hostile-'));
  const port = await freePort();
  const database = args['pg'] === undefined ? null : await scratchDatabase(args['pg']);
  const child = spawn(
    process.execPath,
    [
      '--require',
      join(__dirname, 'event-loop-probe.js'),
      join(REPO_ROOT, 'bin', 'orrery'),
      'server',
      'start',
      '--port',
      String(port),
    ],
    {
      env: orreryEnv({
        PREFECT_HOME: home,
        PREFECT_SERVER_LOGGING_LEVEL: 'ERROR',
        ...(args['max-values'] === undefined
          ? {}
          : { PREFECT_SERVER_API_MAX_JSON_VALUES: args['max-values'] }),
        ...(database === null ? {} : { PREFECT_API_DATABASE_CONNECTION_URL: database.url }),
      }),
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const probeLines: string[] = [];
  let pending = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('event-loop-probe')) probeLines.push(line);
  });
  const stop = async (): Promise<void> => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    await database?.drop();
    rmSync(home, { recursive: true, force: true });
  };
  const base = new URL(`http://127.0.0.1:${port}/api`);
  try {
    await waitFor(() => send(base, 'GET', '/health').then((r) => r.status === 200), {
      timeoutMs: 120_000,
      what: 'the server to answer health',
    });
    // Warm up the connection path so the first case is not charged for it.
    await send(base, 'GET', '/health');
    const engine = database === null ? 'embedded PGlite' : 'PostgreSQL';
    console.log(
      `engine: ${engine}; load average at start: ${loadavg()
        .map((l) => fmt(l, 2))
        .join(' ')}`,
    );
    const serverCpuMs = (): number => cpuSeconds(child.pid ?? -1) * 1000;
    const backToBack = args['back-to-back'] === undefined ? 0 : Number(args['back-to-back']);
    console.log(
      backToBack > 0
        ? `case | requests | statuses | server CPU ms per request | slowest health ms | p99 health ms | median health ms | health answers | longest stall ms (CPU ms in it) | load 1m`
        : 'case | status | response ms | server CPU ms | longest stall ms (CPU ms in it) | slowest health ms | median health ms | load 1m | answer',
    );
    for (const c of CASES) {
      if (only !== undefined && !only.some((o) => c.name.includes(o))) continue;
      if (backToBack > 0) {
        const bodies = Array.from({ length: backToBack }, () => c.body?.());
        await longestStall(child, probeLines);
        const health = pollHealth(base);
        const cpuBefore = serverCpuMs();
        const statuses = new Map<number, number>();
        for (const body of bodies) {
          const { status } = await send(base, c.method, c.path, body).catch(() => ({ status: 0 }));
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
        await new Promise((r) => setTimeout(r, 300));
        const cpuMs = (serverCpuMs() - cpuBefore) / backToBack;
        const { slowest, p99, median, count } = await health.stop();
        const stall = await longestStall(child, probeLines);
        const size = bodies[0] === undefined ? '' : ` (${fmt(Buffer.byteLength(bodies[0]) / MB)} MB)`;
        console.log(
          `${c.name}${size} | ${backToBack} | ${[...statuses].map(([k, v]) => `${k}:${v}`).join(' ')} | ${fmt(cpuMs)} | ${fmt(slowest)} | ${fmt(p99)} | ${fmt(median)} | ${count} | ${fmt(stall.ms)} (${fmt(stall.cpuMs)}) | ${fmt(loadavg()[0] ?? NaN, 2)}`,
        );
        continue;
      }
      const body = c.body?.();
      await longestStall(child, probeLines); // starts the probe's window afresh
      const health = pollHealth(base);
      await new Promise((r) => setTimeout(r, 30));
      const cpuBefore = serverCpuMs();
      const answer = await send(base, c.method, c.path, body).catch((error: Error) => ({
        status: 0,
        ms: NaN,
        detail: error.message,
      }));
      // Deferred work (event persistence, publishing) shows up shortly after the answer.
      await new Promise((r) => setTimeout(r, 300));
      const cpuMs = serverCpuMs() - cpuBefore;
      const { slowest, median } = await health.stop();
      const stall = await longestStall(child, probeLines);
      const size = body === undefined ? '' : ` (${fmt(Buffer.byteLength(body) / MB)} MB)`;
      console.log(
        `${c.name}${size} | ${answer.status} | ${fmt(answer.ms)} | ${fmt(cpuMs)} | ${fmt(stall.ms)} (${fmt(stall.cpuMs)}) | ${fmt(slowest)} | ${fmt(median)} | ${fmt(loadavg()[0] ?? NaN, 2)} | ${answer.detail.replace(/\s+/g, ' ').slice(0, 90)}`,
      );
    }
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
