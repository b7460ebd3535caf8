import {
  createTestDatabase,
  freePort,
  OrreryProcess,
  postgresRedisEnv,
  PrivateRedis,
  runOrrery,
  sdkTaskRunEvent,
  startOrreryServer,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';

type Json = Record<string, unknown>;

interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Record<string, unknown>;
}

/** SPAN_KIND_* of the OTLP protocol. */
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

/**
 * An in-process OTLP/HTTP receiver (JSON encoding, what the `-http` exporters send): keeps every
 * span posted to /v1/traces and the names of every metric posted to /v1/metrics.
 */
class OtlpReceiver {
  readonly spans: OtlpSpan[] = [];
  readonly metricNames = new Set<string>();
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<OtlpReceiver> {
    let receiver: OtlpReceiver | null = null;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
          if (request.url === '/v1/traces') receiver?.addSpans(body);
          if (request.url === '/v1/metrics') receiver?.addMetrics(body);
        } catch {
          // Not JSON: not ours to judge; the assertions will say what is missing.
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    receiver = new OtlpReceiver(server, `http://127.0.0.1:${port}`);
    return receiver;
  }

  private addSpans(body: Json): void {
    for (const rs of (body.resourceSpans ?? []) as Json[]) {
      for (const ss of (rs.scopeSpans ?? []) as Json[]) {
        for (const span of (ss.spans ?? []) as Json[]) {
          const attributes: Record<string, unknown> = {};
          for (const a of (span.attributes ?? []) as { key: string; value: Json }[]) {
            attributes[a.key] = Object.values(a.value)[0];
          }
          this.spans.push({ ...(span as unknown as OtlpSpan), attributes });
        }
      }
    }
  }

  private addMetrics(body: Json): void {
    for (const rm of (body.resourceMetrics ?? []) as Json[]) {
      for (const sm of (rm.scopeMetrics ?? []) as Json[]) {
        for (const metric of (sm.metrics ?? []) as Json[]) this.metricNames.add(String(metric.name));
      }
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const AUTH = 'admin:s3cret';
const AUTH_HEADER = `Basic ${Buffer.from(AUTH).toString('base64')}`;

/**
 * Telemetry of a real `orrery server start` (from dist/) on PostgreSQL and a Redis of its own:
 * traces across the bus hop to an in-process OTLP receiver, OTLP metric push, `/api/metrics` behind
 * the auth string (and 404 when metrics are off), and the services metrics port.
 */
describe('telemetry of a running server', () => {
  let redis: PrivateRedis;
  let database: TestDatabase;
  let receiver: OtlpReceiver;
  let server: { process: OrreryProcess; url: string };
  let env: Record<string, string>;

  const call = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: AUTH_HEADER },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text === '' ? {} : JSON.parse(text)) as Json;
  };

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    database = await createTestDatabase();
    receiver = await OtlpReceiver.start();
    env = {
      ...postgresRedisEnv(database.url, redis.url()),
      PREFECT_SERVER_API_AUTH_STRING: AUTH,
      PREFECT_SERVER_METRICS_ENABLED: 'true',
      PREFECT_SERVER_SERVICES_METRICS_PORT: '0',
      PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS: '1',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
    };
    server = await startOrreryServer(env);
  });

  afterAll(async () => {
    await server?.process.stop();
    await receiver?.close();
    await database?.drop();
    await redis?.dispose();
  });

  it('traces a flow-run lifecycle with task-run events from the API through the bus to the recorder', async () => {
    const flow = await call('POST', '/flows/', { name: `traced-${randomUUID()}` });
    const run = await call('POST', '/flow_runs/', { flow_id: flow.id, state: { type: 'PENDING' } });
    await call('POST', `/flow_runs/${String(run.id)}/set_state`, { state: { type: 'RUNNING' } });
    const taskRunId = randomUUID();
    // A millisecond apart, as a real task's events are: the recorder orders a task run's states by time.
    const started = Date.now();
    await call(
      'POST',
      '/events',
      ['Pending', 'Running', 'Completed'].map((state, n) =>
        sdkTaskRunEvent(String(run.id), taskRunId, 1, state, new Date(started + n).toISOString()),
      ),
    );
    await call('POST', `/flow_runs/${String(run.id)}/set_state`, { state: { type: 'COMPLETED' } });

    // The POST /api/events server span, the publish to `events` and the recorder's consumer span.
    const hop = await waitFor(
      () => {
        const post = receiver.spans.find(
          (s) =>
            s.kind === SERVER &&
            s.attributes['http.route'] === '/api/events' &&
            s.name === 'POST /api/events',
        );
        if (post === undefined) return undefined;
        const inTrace = receiver.spans.filter((s) => s.traceId === post.traceId);
        const publish = inTrace.find((s) => s.kind === PRODUCER && s.name === 'publish events');
        const recorder = inTrace.find(
          (s) => s.kind === CONSUMER && s.attributes['messaging.consumer.group.name'] === 'task-run-recorder',
        );
        return publish !== undefined && recorder !== undefined ? { post, publish, recorder } : undefined;
      },
      { timeoutMs: 30_000, what: 'the API → publish → task-run-recorder spans of one trace' },
    );
    expect(hop.publish.traceId).toBe(hop.post.traceId);
    expect(hop.recorder.traceId).toBe(hop.post.traceId);
    expect(hop.recorder.name).toBe('process events');

    // The orchestration transaction is a span of the set_state request, with its outcome.
    const orchestration = await waitFor(
      () =>
        receiver.spans.find(
          (s) =>
            s.name === 'orchestrate flow_run' &&
            s.attributes['orrery.state.type'] === 'COMPLETED' &&
            s.attributes['orrery.orchestration.status'] === 'ACCEPT',
        ),
      { timeoutMs: 30_000, what: 'the orchestration span of the Completed transition' },
    );
    const request = receiver.spans.find((s) => s.spanId === orchestration.parentSpanId);
    expect(request?.name).toBe('POST /api/flow_runs/:id/set_state');

    // Its statements are client spans under it (parameterised text); transaction control is not.
    const statements = receiver.spans.filter(
      (s) => s.kind === CLIENT && s.parentSpanId === orchestration.spanId,
    );
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.attributes['db.system.name']).toBe('postgresql');
      expect(statement.name).toMatch(/^(SELECT|INSERT|UPDATE|DELETE|WITH) /);
    }
    expect(statements.some((s) => String(s.attributes['db.query.text']).includes('$1'))).toBe(true);
  });

  it('turns a periodic job tick into a root span', async () => {
    const tick = await waitFor(
      () =>
        receiver.spans.find(
          (s) =>
            s.name === 'job scheduler' && s.attributes['orrery.job.kind'] === 'periodic' && !s.parentSpanId,
        ),
      { timeoutMs: 30_000, what: 'a scheduler tick span' },
    );
    expect(tick.attributes['orrery.job.name']).toBe('scheduler');
  });

  it('writes trace and span ids on log lines inside a span', () => {
    expect(server.process.output()).toMatch(
      /\[http\] POST \/api\/events\S* 20\d .* trace_id=[0-9a-f]{32} span_id=[0-9a-f]{16}/,
    );
  });

  it('pushes metrics over OTLP', async () => {
    await waitFor(
      () =>
        receiver.metricNames.has('orrery.run.state_transitions') &&
        receiver.metricNames.has('http.server.request.duration'),
      { timeoutMs: 30_000, what: `OTLP metrics (have ${[...receiver.metricNames].join(', ')})` },
    );
  });

  it('serves /api/metrics behind the auth string', async () => {
    const denied = await fetch(`${server.url}/metrics`);
    expect(denied.status).toBe(401);
    const scrape = await fetch(`${server.url}/metrics`, { headers: { authorization: AUTH_HEADER } });
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const text = await scrape.text();
    expect(text).toMatch(
      /^orrery_run_state_transitions_total\{orrery_run_kind="flow_run",orrery_state_type="COMPLETED",status="ACCEPT"\} 1$/m,
    );
    expect(text).toMatch(/^db_client_connection_max\{db_client_connection_pool_name="orrery"\} \d+$/m);
    expect(text).toMatch(/^orrery_bus_consumer_group_lag\{topic="events",group="task-run-recorder"\} \d+$/m);
  });

  it('counts flow runs and task runs per state on scrape (re-read at most every 10 s)', async () => {
    let text = '';
    await waitFor(
      async () => {
        text = await (
          await fetch(`${server.url}/metrics`, { headers: { authorization: AUTH_HEADER } })
        ).text();
        return (
          /^orrery_flow_runs\{orrery_state_type="COMPLETED"\} 1$/m.test(text) &&
          /^orrery_task_runs\{orrery_state_type="COMPLETED"\} 1$/m.test(text)
        );
      },
      { timeoutMs: 30_000, intervalMs: 1000, what: 'orrery_flow_runs and orrery_task_runs {COMPLETED} = 1' },
    ).catch(() => undefined);
    const gauges = text.split('\n').filter((line) => /^orrery_(flow|task)_runs\{/.test(line));
    expect(gauges).toEqual(
      expect.arrayContaining([
        'orrery_flow_runs{orrery_state_type="COMPLETED"} 1',
        'orrery_task_runs{orrery_state_type="COMPLETED"} 1',
        'orrery_task_runs{orrery_state_type="CRASHED"} 0',
      ]),
    );
  });

  it('serves the services metrics port behind the auth string, and services ls lists it with dead letters', async () => {
    const services = OrreryProcess.start(['server', 'services', 'start'], env);
    try {
      await services.waitForOutput(/orrery: ready/, 60_000);
      const url = /orrery: metrics on (\S+)/.exec(services.output())?.[1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect((await fetch(url!)).status).toBe(401);
      const scrape = await fetch(url!, { headers: { authorization: AUTH_HEADER } });
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toMatch(/^target_info\{service_name="orrery-services"/m);

      const ls = await runOrrery(['server', 'services', 'ls'], env);
      expect(ls.code).toBe(0);
      expect(ls.stdout).toMatch(/DEAD LETTERS/);
      expect(ls.stdout).toMatch(/task-run-recorder\s+stream-consumer\s+✓\s+\S+\s+\d+\s+\d+\s+0/);
      expect(ls.stdout).toContain(`  ${url!}`);
    } finally {
      await services.stop();
    }
  });

  it('has no /api/metrics (404) when metrics are off', async () => {
    const off = await startOrreryServer({ PREFECT_API_DATABASE_CONNECTION_URL: database.url }, [
      '--no-services',
    ]);
    try {
      const response = await fetch(`${off.url}/metrics`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ detail: 'Not Found' });
    } finally {
      await off.process.stop();
    }
  }, 120_000);
});
