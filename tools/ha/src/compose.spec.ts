// Unit: how tools/ha reads the real docker-compose.yml and deploy/nginx/nginx.conf (no processes).
import { loadSettings } from '@orrery/config';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dockerfileEntrypoint, groupOf, planTopology, readComposeFile } from './compose';
import { type LocalTargets, localArgv, localEnvironment, localizeValue, localNginxConfig } from './localize';

const root = resolve(__dirname, '..', '..', '..');
const compose = readComposeFile(join(root, 'docker-compose.yml'));
const imageEntrypoint = dockerfileEntrypoint(readFileSync(join(root, 'deploy', 'Dockerfile'), 'utf8'));
const nginxSource = readFileSync(join(root, 'deploy', 'nginx', 'nginx.conf'), 'utf8');

const targets = (apiPorts: Record<string, number>): LocalTargets => ({
  databaseUrl: 'postgresql://postgres@127.0.0.1:5432/orrery_test_x',
  redisServer: 'redis://127.0.0.1:6379',
  redisDb: 11,
  postgresHosts: ['postgres'],
  redisHosts: ['redis'],
  publishedPort: 4200,
  listenPort: 18080,
  apiPorts: new Map(Object.entries(apiPorts)),
});

describe('planTopology on docker-compose.yml', () => {
  const plan = planTopology(compose, { imageEntrypoint });

  it('runs migrate, then the API replicas, then the services replicas, then nginx', () => {
    expect(imageEntrypoint).toEqual(['node', 'bin/orrery']);
    expect(plan.processes.map((p) => `${p.name}:${p.role}:${p.level}`)).toEqual([
      'migrate:job:0',
      'api-1:api:1',
      'api-2:api:1',
      'services-1:services:1',
      'services-2:services:1',
      'nginx:nginx:2',
    ]);
    expect(plan.postgresHosts).toEqual(['postgres']);
    expect(plan.redisHosts).toEqual(['redis']);
  });

  it('leaves the observability profile (images it cannot run) out unless asked for', () => {
    expect(plan.processes.map((p) => p.name)).not.toContain('prometheus');
    expect(() => planTopology(compose, { imageEntrypoint, profiles: ['observability'] })).toThrow(
      /does not know how to run image "prom\/prometheus/,
    );
  });

  it('keeps the image entrypoint and the compose commands', () => {
    const argv = Object.fromEntries(plan.processes.map((p) => [p.name, p.argv.join(' ')]));
    expect(argv['migrate']).toBe('node bin/orrery server database upgrade -y');
    expect(argv['api-1']).toBe('node bin/orrery server start --host 0.0.0.0 --port 4200 --no-services');
    expect(argv['services-2']).toBe('node bin/orrery server services start');
    const nginx = plan.processes.find((p) => p.role === 'nginx');
    expect(nginx?.nginx).toEqual({
      configPath: './deploy/nginx/nginx.conf',
      containerPort: 4200,
      hostPort: 4200,
    });
    expect([...(nginx?.dependsOn.keys() ?? [])]).toEqual(['api-1', 'api-2']);
    // The topology's own Redis (ownServers) runs with the compose redis service's options.
    expect(plan.redisServerArgs).toEqual(['--appendonly', 'yes']);
  });

  it('gives every Orrery process the same settings, valid for HA once localized', () => {
    const orrery = plan.processes.filter((p) => p.role !== 'nginx');
    for (const p of orrery) expect(p.environment).toEqual(orrery[0].environment);
    const t = targets({ 'api-1': 18001, 'api-2': 18002 });
    const api = plan.processes[1];
    const env = localEnvironment(api, t, '/tmp/home-api-1');
    expect(env).toMatchObject({
      PREFECT_API_DATABASE_CONNECTION_URL: 'postgresql+asyncpg://postgres@127.0.0.1:5432/orrery_test_x',
      PREFECT_REDIS_MESSAGING_URL: 'redis://127.0.0.1:6379/11',
      PREFECT_SERVER_DOCKET_URL: 'redis://127.0.0.1:6379/11',
      PREFECT_SERVER_UI_API_URL: 'http://127.0.0.1:18080/api',
      PREFECT_HOME: '/tmp/home-api-1',
      PREFECT_SERVER_API_HOST: '127.0.0.1',
      PREFECT_SERVER_API_PORT: '18001',
    });
    const settings = loadSettings(env);
    expect(settings.server.database.kind).toBe('postgres');
    expect(settings.server.database.migrateOnStart).toBe(false);
    expect(settings.server.events.messagingBroker).toBe('redis');
    expect(settings.server.docket.kind).toBe('redis');
    expect(localArgv(api, t, '/usr/bin/node')).toEqual([
      '/usr/bin/node',
      'bin/orrery',
      'server',
      'start',
      '--host',
      '127.0.0.1',
      '--port',
      '18001',
      '--no-services',
    ]);
    expect(localArgv(plan.processes[3], t, '/usr/bin/node').join(' ')).toBe(
      '/usr/bin/node bin/orrery server services start',
    );
  });

  it('probes liveness on the port the API replicas listen on, which is the one nginx proxies to', () => {
    for (const name of ['api-1', 'api-2']) {
      const service = compose.services[name] as { healthcheck?: { test?: string[] }; command?: string[] };
      const port = service.command?.[service.command.indexOf('--port') + 1];
      expect(port).toBe('4200');
      expect(service.healthcheck?.test?.join(' ')).toContain(`http://127.0.0.1:${port}/api/health`);
      expect(nginxSource).toMatch(new RegExp(`^\\s*server ${name}:${port} `, 'm'));
    }
  });

  it('scales a replica group up or down, and dependents follow the group', () => {
    const scaled = planTopology(compose, { imageEntrypoint, replicas: { api: 3, services: 1 } });
    expect(scaled.processes.map((p) => p.name)).toEqual([
      'migrate',
      'api-1',
      'api-2',
      'api-3',
      'services-1',
      'nginx',
    ]);
    expect([...(scaled.processes.at(-1)?.dependsOn.keys() ?? [])]).toEqual(['api-1', 'api-2', 'api-3']);
    const one = planTopology(compose, { imageEntrypoint, replicas: { api: 1 } });
    expect([...(one.processes.at(-1)?.dependsOn.keys() ?? [])]).toEqual(['api-1']);
    expect(() => planTopology(compose, { imageEntrypoint, replicas: { api: 0 } })).toThrow(/≥ 1/);
    expect(() => planTopology(compose, { imageEntrypoint, replicas: { nope: 2 } })).toThrow(
      /no replica group/,
    );
  });

  it('runs the one-process-per-service entry points only with their profile', () => {
    const perService = planTopology(compose, { imageEntrypoint, profiles: ['per-service'] });
    const scheduler = perService.processes.find((p) => p.name === 'scheduler');
    expect(scheduler).toMatchObject({ role: 'services', level: 1 });
    expect(scheduler?.argv).toEqual(['node', 'dist/apps/scheduler/src/main.js']);
    expect(plan.processes.some((p) => p.name === 'scheduler')).toBe(false);
  });
});

describe('the local nginx config', () => {
  const config = localNginxConfig(
    nginxSource,
    targets({ 'api-1': 18001, 'api-2': 18002, 'api-3': 18003 }),
    groupOf,
    { dir: '/tmp/ha' },
  );

  it('points the upstream at every local replica, keeping the passive health parameters and the backups', () => {
    const servers = config
      .split('\n')
      .filter((l) => /^\s*server\s+\S+:\d+/.test(l))
      .map((l) => l.trim());
    expect(servers).toEqual([
      'server 127.0.0.1:18001 max_fails=1 fail_timeout=5s;',
      'server 127.0.0.1:18002 max_fails=1 fail_timeout=5s;',
      'server 127.0.0.1:18003 max_fails=1 fail_timeout=5s;',
      'server 127.0.0.1:18001 backup max_fails=0;',
      'server 127.0.0.1:18002 backup max_fails=0;',
      'server 127.0.0.1:18003 backup max_fails=0;',
    ]);
    expect(config).toContain('listen 127.0.0.1:18080;');
    expect(config).not.toMatch(/^\s*(user|resolver)\s/m);
    expect(config).toContain('pid /tmp/ha/nginx.pid;');
    expect(config).toContain('access_log /tmp/ha/access.log orrery;');
    expect(config).toContain('error_log /tmp/ha/error.log warn;');
  });

  it('keeps what the product needs: failover, keepalive, websockets, body size, forwarded headers', () => {
    for (const line of [
      'proxy_next_upstream error timeout http_502 http_503;',
      'proxy_next_upstream_tries 2;',
      'keepalive 64;',
      'proxy_set_header Connection $connection_upgrade;',
      'client_max_body_size 16m;',
      'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      'proxy_set_header X-Forwarded-Proto $scheme;',
      'location ~ ^/api/(events/in|events/out|logs/out|task_runs/subscriptions/scheduled)$ {',
    ]) {
      expect(config).toContain(line);
    }
  });

  it('refuses an upstream server that is not a local replica', () => {
    expect(() => localNginxConfig(nginxSource, targets({ 'web-1': 1 }), groupOf, { dir: '/tmp/ha' })).toThrow(
      /no local replica of api/,
    );
  });
});

describe('localizeValue', () => {
  it('leaves values that name no compose host alone', () => {
    const t = targets({});
    expect(localizeValue('prefect_redis.messaging', t)).toBe('prefect_redis.messaging');
    expect(localizeValue('false', t)).toBe('false');
    expect(localizeValue('http://example.invalid:4200/api', t)).toBe('http://example.invalid:4200/api');
  });
});
