// End-to-end: the shipped dashboards against a real Prometheus scraping the docker-compose.yml HA
// topology (2 API replicas, 2 services replicas, run by tools/ha as local processes) after a short
// flow-run lifecycle load. Every PromQL expression of every panel must return data, and the named
// metrics must add up (issue 15).
import {
  createTestDatabase,
  freePort,
  PrivateRedis,
  REPO_ROOT,
  sdkTaskRunEvent,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startTopology, type Topology } from '../ha/src/topology';
import {
  dashboardQueries,
  LocalPrometheus,
  localPrometheusConfig,
  observabilityDir,
  prometheusBinary,
  withGrafanaVariables,
} from './src/stack';

type Json = Record<string, unknown>;

const LIFECYCLES = 6;
/** Prometheus scrapes every second, so rates over 30 s have plenty of samples within the test. */
const SCRAPE_SECONDS = 1;
const RATE_INTERVAL = '30s';

describe('shipped dashboards on a real Prometheus scraping the HA topology', () => {
  let redis: PrivateRedis;
  let database: TestDatabase;
  let topology: Topology;
  let prometheus: LocalPrometheus;
  const log: string[] = [];

  beforeAll(async () => {
    execFileSync('bash', [join(REPO_ROOT, 'tools', 'dev', 'ensure-nginx.sh')], { stdio: 'inherit' });
    execFileSync('bash', [join(REPO_ROOT, 'tools', 'dev', 'ensure-prometheus.sh')], { stdio: 'inherit' });
    const binary = prometheusBinary();
    if (binary === null) throw new Error('no prometheus binary after tools/dev/ensure-prometheus.sh');
    redis = await PrivateRedis.start();
    database = await createTestDatabase({ migrate: false });
    topology = await startTopology({
      databaseUrl: database.url,
      redisServer: `redis://127.0.0.1:${redis.port}`,
      redisDb: 0,
      log: (line) => log.push(line),
    });
    const api = topology.plan.processes
      .filter((p) => p.role === 'api')
      .map((p) => `127.0.0.1:${topology.info(p.name).port}`);
    const services = topology.plan.processes
      .filter((p) => p.role === 'services')
      .map((p) => {
        const url = /orrery: metrics on (\S+)/.exec(topology.output(p.name))?.[1];
        if (url === undefined) throw new Error(`${p.name} serves no metrics:\n${topology.output(p.name)}`);
        return new URL(url).host;
      });
    expect(api).toHaveLength(2);
    expect(services).toHaveLength(2);
    const config = localPrometheusConfig(
      readFileSync(join(observabilityDir(REPO_ROOT), 'prometheus.yml'), 'utf8'),
      { 'orrery-api': api, 'orrery-services': services },
      SCRAPE_SECONDS,
    );
    prometheus = LocalPrometheus.start(binary, config, await freePort());
    await waitFor(
      async () => {
        if (!prometheus.running()) throw new Error(`prometheus exited:\n${prometheus.logs()}`);
        return prometheus.ready();
      },
      { timeoutMs: 30_000, what: 'Prometheus to be ready' },
    );
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    const report = await topology?.stop();
    if (report !== undefined && report.leftovers.length > 0)
      console.log(`leftovers: ${report.leftovers.join(', ')}`);
    await database?.drop().catch(() => undefined);
    await redis?.dispose();
    console.log(log.join('\n'));
  }, 60_000);

  it('answers every panel of every dashboard after a lifecycle load, with sane values', async () => {
    const base = `${topology.url}/api`;
    const call = async (method: string, path: string, body?: unknown): Promise<Json> => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return (text === '' ? {} : JSON.parse(text)) as Json;
    };

    // A worker's poll, so the worker-poll panel has a route to show.
    const pool = `pool-${randomUUID().slice(0, 8)}`;
    await call('POST', '/work_pools/', { name: pool, type: 'process' });
    await call('POST', `/work_pools/${pool}/get_scheduled_flow_runs`, {});

    // The lifecycles: Pending → Running → (three task-run events over WS /api/events/in) → Completed.
    const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/events/in`, ['prefect']);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const authenticated = new Promise<void>((resolve) => socket.once('message', () => resolve()));
    socket.send(JSON.stringify({ type: 'auth', token: null }));
    await authenticated;
    const flow = await call('POST', '/flows/', { name: `observed-${randomUUID()}` });
    const runIds: string[] = [];
    for (let i = 0; i < LIFECYCLES; i++) {
      const run = await call('POST', '/flow_runs/', { flow_id: flow.id, state: { type: 'PENDING' } });
      const id = String(run.id);
      runIds.push(id);
      await call('POST', `/flow_runs/${id}/set_state`, { state: { type: 'RUNNING' } });
      const taskRunId = randomUUID();
      const started = Date.now();
      ['Pending', 'Running', 'Completed'].forEach((state, n) =>
        socket.send(
          JSON.stringify(sdkTaskRunEvent(id, taskRunId, i, state, new Date(started + n).toISOString())),
        ),
      );
      await call('POST', `/flow_runs/${id}/set_state`, { state: { type: 'COMPLETED' } });
    }
    socket.close();

    // The counters Prometheus sees add up to the load.
    const completed =
      'sum(orrery_run_state_transitions_total{orrery_run_kind="flow_run",orrery_state_type="COMPLETED",status="ACCEPT"})';
    await waitFor(async () => (await prometheus.query(completed))[0]?.value === LIFECYCLES, {
      timeoutMs: 60_000,
      intervalMs: 500,
      what: `${completed} = ${LIFECYCLES}`,
    });
    const recorded =
      'sum(orrery_run_state_transitions_total{orrery_run_kind="task_run",orrery_state_type="COMPLETED",status="RECORDED"})';
    await waitFor(async () => (await prometheus.query(recorded))[0]?.value === LIFECYCLES, {
      timeoutMs: 60_000,
      intervalMs: 500,
      what: `${recorded} = ${LIFECYCLES}`,
    });
    await waitFor(
      async () =>
        (await prometheus.query('max(orrery_flow_runs{orrery_state_type="COMPLETED"})'))[0]?.value ===
        LIFECYCLES,
      { timeoutMs: 60_000, intervalMs: 500, what: `orrery_flow_runs{COMPLETED} = ${LIFECYCLES}` },
    );
    await waitFor(
      async () =>
        (await prometheus.query('max(orrery_task_runs{orrery_state_type="COMPLETED"})'))[0]?.value ===
        LIFECYCLES,
      { timeoutMs: 60_000, intervalMs: 500, what: `orrery_task_runs{COMPLETED} = ${LIFECYCLES}` },
    );

    // Every panel has data (rates need two samples in their window: poll until all answer).
    const queries = dashboardQueries(REPO_ROOT);
    expect(queries.length).toBeGreaterThanOrEqual(30);
    let empty: string[] = [];
    await waitFor(
      async () => {
        empty = [];
        for (const q of queries) {
          const result = await prometheus.query(withGrafanaVariables(q.expr, RATE_INTERVAL));
          if (result.length === 0) empty.push(`${q.dashboard} / ${q.panel} / ${q.refId}: ${q.expr}`);
        }
        return empty.length === 0;
      },
      { timeoutMs: 60_000, intervalMs: 2000, what: 'every panel query to return data' },
    ).catch(() => undefined);
    expect(empty).toEqual([]);

    // Sane values of the metrics Build 2 names.
    const one = async (expr: string): Promise<number> =>
      (await prometheus.query(expr))[0]?.value ?? Number.NaN;
    const up = await prometheus.query('up{job=~"orrery-.*"}');
    expect(up.map((s) => `${s.metric.job}:${s.value}`).sort()).toEqual([
      'orrery-api:1',
      'orrery-api:1',
      'orrery-services:1',
      'orrery-services:1',
    ]);
    expect(
      await one(
        'sum(orrery_run_state_transitions_total{orrery_run_kind="flow_run",orrery_state_type="RUNNING",status="ACCEPT"})',
      ),
    ).toBe(LIFECYCLES);
    expect(
      await one('sum(http_server_request_duration_count{http_route="/api/flow_runs/:id/set_state"})'),
    ).toBe(2 * LIFECYCLES);
    expect(await one('sum(orrery_bus_published_total{topic="events"})')).toBeGreaterThan(0);
    expect(await one('sum(orrery_event_persister_events_total)')).toBeGreaterThanOrEqual(3 * LIFECYCLES);
    expect(await one('sum(orrery_task_run_recorder_lag_count)')).toBe(3 * LIFECYCLES);
    expect(
      await one('max(orrery_bus_consumer_group_consumers{topic="events",group="task-run-recorder"})'),
    ).toBe(2);
    expect(await one('max(orrery_bus_dead_letters)')).toBe(0);
    expect(await one('min(db_client_connection_max)')).toBeGreaterThan(0);
    expect(await one('min(process_memory_usage)')).toBeGreaterThan(10 * 1024 * 1024);
    expect(
      await one('sum(orrery_job_runs_total{orrery_job_name="scheduler",outcome="ok"})'),
    ).toBeGreaterThanOrEqual(1);
    expect(await one('sum(orrery_websocket_connections{endpoint="/api/events/in"})')).toBe(0);
  }, 300_000);
});
