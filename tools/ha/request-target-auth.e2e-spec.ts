import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PrivateRedis, rawHttpRequest, REPO_ROOT } from '@orrery/testing';
import WebSocket from 'ws';
import { startTopology, type Topology } from './src/topology';

const AUTH_STRING = 'admin:s3cret';
const BASIC = `Basic ${Buffer.from(AUTH_STRING).toString('base64')}`;
const FLOW = JSON.stringify({ name: 'auth-bypass-probe' });

interface Variant {
  readonly method: string;
  readonly target: string;
  readonly version?: '1.0' | '1.1';
  readonly body?: string;
}

/**
 * Spellings of protected routes an attacker would try: each must be refused (401) or miss every
 * route (404) without credentials — never reach a handler. `reaches` says what the same request does
 * with credentials, which proves the spelling really addresses the route.
 */
const VARIANTS: ReadonlyArray<Variant & { readonly reaches: 'route' | 'nothing' }> = [
  { method: 'GET', target: '/api/admin/settings', reaches: 'route' },
  { method: 'POST', target: '//api/flows/', body: FLOW, reaches: 'route' },
  { method: 'GET', target: '//api//admin//settings', reaches: 'route' },
  { method: 'GET', target: '/%61pi/admin/settings', reaches: 'route' },
  { method: 'GET', target: '/%61%70%69/%61dmin/settings', reaches: 'route' },
  { method: 'GET', target: '/api/./admin/settings', reaches: 'route' },
  { method: 'GET', target: '/api/x/../admin/settings', reaches: 'route' },
  { method: 'GET', target: '/api/health/../admin/settings', reaches: 'route' },
  { method: 'GET', target: '/api/health/%2e%2e/admin/settings', reaches: 'route' },
  { method: 'GET', target: '/api/ready/%2E%2E/%2e/admin/settings', reaches: 'route' },
  { method: 'GET', target: '/api/health;/../admin/settings', reaches: 'route' },
  { method: 'GET', target: '/api/admin/settings?', reaches: 'route' },
  { method: 'GET', target: '/api/admin/settings#x', reaches: 'route' },
  { method: 'GET', target: '/api/admin/settings/?health', reaches: 'route' },
  { method: 'HEAD', target: '/api/admin/settings', reaches: 'route' },
  { method: 'GET', target: 'http://127.0.0.1/api/admin/settings', version: '1.0', reaches: 'route' },
  { method: 'GET', target: 'http://evil.example//api/admin/settings', version: '1.0', reaches: 'route' },
  { method: 'POST', target: 'HTTP://x/%61pi/flows/', version: '1.0', body: FLOW, reaches: 'route' },
  {
    method: 'GET',
    target: 'http://127.0.0.1/api/health/../admin/settings',
    version: '1.1',
    reaches: 'route',
  },
  { method: 'GET', target: '/API/admin/settings', reaches: 'nothing' },
  { method: 'POST', target: '/api/flows%2F', body: FLOW, reaches: 'nothing' },
  { method: 'GET', target: '/api/admin%2fsettings', reaches: 'nothing' },
  { method: 'GET', target: '/api%2fadmin/settings', reaches: 'nothing' },
  { method: 'GET', target: '/api/admin/settings;', reaches: 'nothing' },
  { method: 'GET', target: '/api/health/..;/admin/settings', reaches: 'nothing' },
  { method: 'GET', target: '/api%00/admin/settings', reaches: 'nothing' },
];

/** Spellings of a websocket route: each must go through the authentication handshake. */
const SOCKET_ROUTES = ['events/in', 'events/out', 'logs/out', 'task_runs/subscriptions/scheduled'];
const socketSpellings = (route: string): string[] => [
  `/api/${route}`,
  `//api/${route}/`,
  `/%61pi/${route}`,
  `/api/x/../${route}`,
];

/** Fails naming `context` unless `value` is one of `allowed`. */
function expectOneOf(
  value: number | null,
  allowed: readonly number[],
  context: Record<string, unknown>,
): void {
  expect({ ...context, outcome: value, allowed: allowed.includes(value as number) }).toEqual({
    ...context,
    outcome: value,
    allowed: true,
  });
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** How a socket ended: 'auth_success' frame, a close code, or the HTTP status of a refused upgrade. */
function trySocket(
  url: string,
  protocols: string[],
  token: string | null | undefined,
): Promise<{ frames: string[]; close: number | null; httpStatus: number | null }> {
  return new Promise((resolve) => {
    const frames: string[] = [];
    const socket = new WebSocket(url, protocols);
    socket.on('open', () => {
      if (token !== undefined) socket.send(JSON.stringify({ type: 'auth', token }));
    });
    socket.on('message', (data: Buffer) => {
      frames.push(data.toString());
      socket.close();
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve({ frames, close: null, httpStatus: response.statusCode ?? null });
      socket.terminate();
    });
    socket.on('error', () => undefined);
    socket.on('close', (code) => resolve({ frames, close: code, httpStatus: null }));
  });
}

/**
 * Issue 11: with `PREFECT_SERVER_API_AUTH_STRING` set, no spelling of a protected path reaches a
 * handler without credentials — directly on an API replica and through the shipped nginx of the
 * compose topology — and every websocket route runs the one authentication handshake.
 */
describe('authentication is decided on the route, not the request text', () => {
  let redis: PrivateRedis;
  let topology: Topology;
  let direct: number;
  let proxied: number;

  beforeAll(async () => {
    execFileSync('bash', [join(REPO_ROOT, 'tools', 'dev', 'ensure-nginx.sh')], { stdio: 'inherit' });
    redis = await PrivateRedis.start();
    topology = await startTopology({
      redisServer: `redis://127.0.0.1:${redis.port}`,
      replicas: { api: 1, services: 1 },
      extraEnv: {
        PREFECT_SERVER_API_AUTH_STRING: AUTH_STRING,
        PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED: 'true',
      },
    });
    direct = portOf(topology.info('api-1').url as string);
    proxied = portOf(topology.url);
  }, 120_000);

  afterAll(async () => {
    try {
      await topology?.stop(5000);
    } finally {
      await redis?.stop();
    }
  }, 30_000);

  const targets = (): Array<[string, number]> => [
    ['directly', direct],
    ['through nginx', proxied],
  ];

  it.each(VARIANTS.map((v) => [`${v.method} ${v.target} HTTP/${v.version ?? '1.1'}`, v] as const))(
    '%s is refused without credentials',
    async (_name, variant) => {
      for (const [where, port] of targets()) {
        const anonymous = await rawHttpRequest(port, variant);
        // nginx itself may refuse a target it cannot normalise (400) before any replica sees it.
        // A NUL in the path is refused as such (422) before routing. A path outside the API prefix
        // (`/API/…` is not `/api/…`) is the web UI's: its history fallback answers index.html, as
        // upstream's UI mount does — never the route's JSON.
        const refused = [...(where === 'directly' ? [401, 404] : [400, 401, 404]), 422, 200];
        expectOneOf(anonymous.status, refused, { where, anonymous: true });
        if (anonymous.status === 422) expect(anonymous.body).toContain('string_nul_character');
        if (anonymous.status === 200) {
          expect(variant.target.startsWith('/api/')).toBe(false);
          expect(anonymous.body).toMatch(/<!doctype html>/i);
        }

        const authenticated = await rawHttpRequest(port, {
          ...variant,
          headers: { Authorization: BASIC },
        });
        if (variant.reaches === 'route' && where === 'directly') {
          expectOneOf(authenticated.status, [200, 201], { where, authenticated: true });
        } else if (variant.reaches === 'nothing') {
          expectOneOf(
            authenticated.status,
            refused.filter((s) => s !== 401),
            { where, authenticated: true },
          );
        }
      }
    },
  );

  it('leaves GET health and ready open, and only them', async () => {
    for (const [, port] of targets()) {
      for (const target of ['/api/health', '/api/ready/', '//api/health', '/api/health?/../admin/settings']) {
        expect((await rawHttpRequest(port, { method: 'GET', target })).status).toBe(200);
      }
      expect((await rawHttpRequest(port, { method: 'POST', target: '/api/health' })).status).toBe(401);
      expect((await rawHttpRequest(port, { method: 'GET', target: '/api/version' })).status).toBe(401);
      expect((await rawHttpRequest(port, { method: 'GET', target: '/api/nonexistent' })).status).toBe(401);
      expect((await rawHttpRequest(port, { method: 'GET', target: '/ui-settings' })).status).toBe(200);
    }
  });

  it.each(SOCKET_ROUTES)('WS /api/%s: every spelling runs the authentication handshake', async (route) => {
    for (const [where, port] of targets()) {
      const base = `ws://127.0.0.1:${port}`;
      const good = await trySocket(`${base}/api/${route}`, ['prefect'], AUTH_STRING);
      expect({ where, frames: good.frames }).toEqual({
        where,
        frames: [JSON.stringify({ type: 'auth_success' })],
      });
      for (const path of where === 'directly' ? socketSpellings(route) : [`/api/${route}`]) {
        for (const token of ['admin:wrong', null, '']) {
          const bad = await trySocket(`${base}${path}`, ['prefect'], token);
          expect({ path, where, token, frames: bad.frames }).toEqual({ path, where, token, frames: [] });
          expectOneOf(bad.close ?? bad.httpStatus, [1008], { path, where, token });
        }
        const legacy = await trySocket(`${base}${path}`, [], undefined);
        expect({ path, where, frames: legacy.frames }).toEqual({ path, where, frames: [] });
        expectOneOf(legacy.close ?? legacy.httpStatus, [1002], { path, where, legacy: true });
      }
    }
  });
});
