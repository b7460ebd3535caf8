/**
 * Hostile request bodies against a real API process: for each one, its status and response time,
 * and the slowest `GET /api/health` answered while it was being handled (health is polled every
 * 10 ms on another connection — a blocked event loop shows up there). Issue 11's goals: a 4xx
 * within 1 s each, health within 100 ms throughout. Prints numbers; asserts nothing.
 *
 *   node dist/tools/bench/src/hostile-bodies.bench.js [--url http://127.0.0.1:4200/api] [--only name,…]
 *        [--pg postgresql://postgres@127.0.0.1:5432/postgres]
 *
 * Without --url, starts `orrery server start` on embedded PGlite in a scratch PREFECT_HOME, or with
 * --pg on a scratch PostgreSQL database of that server (dropped afterwards). PGlite runs queries on
 * the API's own thread, so there a large write blocks the event loop for as long as it runs.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, orreryEnv, waitFor } from '@orrery/testing';
import { Client } from 'pg';
import { fmt, parseArgs } from './bench-support';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body?: () => string;
}

const MB = 1024 * 1024;
const FLOW_ID = '00000000-0000-4000-8000-000000000000';

/** `n` copies of `item`, comma-separated, filling about `bytes`. */
function repeatTo(item: string, bytes: number): string {
  return Array.from({ length: Math.floor(bytes / (item.length + 1)) }, () => item).join(',');
}

const deep = (depth: number, open: string, inner: string, close: string): string =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

const CASES: readonly Case[] = [
  { name: 'nested-arrays-14MB', method: 'POST', path: '/flows/', body: () => deep(7 * MB, '[', '', ']') },
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
  {
    name: 'depth-3000 deployments',
    method: 'POST',
    path: '/deployments/',
    body: () => `{"name":"d","flow_id":"${FLOW_ID}","parameters":${deep(3000, '{"a":', '1', '}')}}`,
  },
  {
    name: 'depth-100 nests x 15MB (junk key)',
    method: 'POST',
    path: '/flows/',
    body: () => `{"name":"x","junk":[${repeatTo(deep(97, '[', '1', ']'), 15 * MB)}]}`,
  },
  {
    name: 'depth-100 nests x 15MB (parameters)',
    method: 'POST',
    path: '/deployments/',
    body: () =>
      `{"name":"d","flow_id":"${FLOW_ID}","parameters":{"p":[${repeatTo(deep(96, '[', '1', ']'), 15 * MB)}]}}`,
  },
  {
    name: '1.5M tags 15MB',
    method: 'POST',
    path: '/flows/',
    body: () => `{"name":"x","tags":[${repeatTo('"tag-12345"', 15 * MB)}]}`,
  },
  {
    name: '900k keys 15MB',
    method: 'POST',
    path: '/flows/filter',
    body: () => {
      const keys = Array.from({ length: 900_000 }, (_, i) => `"k${i}":${i}`).join(',');
      return `{"junk":{${keys}}}`;
    },
  },
  {
    name: '15MB string name',
    method: 'POST',
    path: '/flows/',
    body: () => JSON.stringify({ name: 'x'.repeat(15 * MB) }),
  },
  {
    name: '15MB of numbers',
    method: 'POST',
    path: '/flow_runs/filter',
    body: () => `{"junk":[${repeatTo('1234567', 15 * MB)}]}`,
  },
  {
    name: 'logs bulk 15MB',
    method: 'POST',
    path: '/logs/',
    body: () =>
      `[${repeatTo(
        JSON.stringify({
          name: 'prefect.flow_runs',
          level: 20,
          message: 'hello world, a log line of ordinary length',
          timestamp: '2026-01-01T00:00:00Z',
          flow_run_id: FLOW_ID,
        }),
        15 * MB,
      )}]`,
  },
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
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls health back to back (10 ms apart) until stopped; resolves with the slowest answer. */
function pollHealth(base: URL): { stop: () => Promise<number> } {
  let running = true;
  let slowest = 0;
  const loop = (async () => {
    while (running) {
      const { ms } = await send(base, 'GET', '/health');
      slowest = Math.max(slowest, ms);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return slowest;
    },
  };
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
  let stop: () => Promise<void> = () => Promise.resolve();
  let url = args['url'];
  if (url === undefined) {
    const home = mkdtempSync(join(tmpdir(), 'orrery-hostile-'));
    const port = await freePort();
    const database = args['pg'] === undefined ? null : await scratchDatabase(args['pg']);
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'orrery'), 'server', 'start', '--port', String(port)],
      {
        env: orreryEnv({
          PREFECT_HOME: home,
          PREFECT_SERVER_LOGGING_LEVEL: 'ERROR',
          ...(database === null ? {} : { PREFECT_API_DATABASE_CONNECTION_URL: database.url }),
        }),
        stdio: 'ignore',
      },
    );
    url = `http://127.0.0.1:${port}/api`;
    const probe = new URL(url);
    await waitFor(() => send(probe, 'GET', '/health').then((r) => r.status === 200), {
      timeoutMs: 120_000,
      what: 'the server to answer health',
    });
    stop = async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await database?.drop();
      rmSync(home, { recursive: true, force: true });
    };
  }
  const base = new URL(url.endsWith('/') ? url.slice(0, -1) : url);
  try {
    // Warm up the connection path so the first case is not charged for it.
    await send(base, 'GET', '/health');
    console.log('case | status | response ms | slowest health ms | answer');
    for (const c of CASES) {
      if (only !== undefined && !only.some((o) => c.name.includes(o))) continue;
      const body = c.body?.();
      const health = pollHealth(base);
      await new Promise((r) => setTimeout(r, 30));
      const answer = await send(base, c.method, c.path, body).catch((error: Error) => ({
        status: 0,
        ms: NaN,
        detail: error.message,
      }));
      const slowest = await health.stop();
      const size = body === undefined ? '' : ` (${fmt(Buffer.byteLength(body) / MB)} MB)`;
      console.log(
        `${c.name}${size} | ${answer.status} | ${fmt(answer.ms)} | ${fmt(slowest)} | ${answer.detail.replace(/\s+/g, ' ').slice(0, 100)}`,
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
