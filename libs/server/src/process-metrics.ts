import { Inject, Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';
import { MessageBus } from '@orrery/bus';
import type { Settings } from '@orrery/config';
import { countRunsPerState, DATA_SOURCE, type RunsPerState } from '@orrery/persistence';
import { type MetricsHandle, observeGauge } from '@orrery/telemetry';
import { createServer, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { SERVICE_STREAMS } from './services-report';

/** The streams whose consumer groups the metrics (and `services ls`) report. */
const TOPICS = [...new Set(Object.values(SERVICE_STREAMS).map((s) => s.topic))];
/** Runs-per-state counts are re-read at most this often, however often Prometheus scrapes. */
const RUN_COUNTS_TTL_MS = 10_000;

type RunTable = 'flow_run' | 'task_run';

/** Whether this process reports the cluster-wide gauges (it runs background services). */
export const PROCESS_GAUGES_SCOPE = Symbol('orrery:process-gauges-scope');

/**
 * Gauges read on scrape (issue 15): the database pool of this process (every process), and — in a
 * process that runs background services — flow runs per state type and every consumer group's lag,
 * pending entries, consumers and dead letters. API-only replicas skip the cluster-wide gauges so N
 * replicas do not each count the same rows.
 */
@Injectable()
export class ProcessGauges implements OnModuleDestroy {
  private readonly logger = new Logger('metrics');
  private readonly removers: (() => void)[] = [];
  private readonly runCounts = new Map<
    RunTable,
    { at: number; last: RunsPerState | null; refreshing: Promise<RunsPerState | null> | null }
  >();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PROCESS_GAUGES_SCOPE) scope: { readonly cluster: boolean },
    @Optional() @Inject(MessageBus) private readonly bus?: MessageBus,
  ) {
    this.observePool();
    if (scope.cluster) {
      this.observeRuns();
      if (this.bus !== undefined) this.observeBus(this.bus);
    }
  }

  onModuleDestroy(): void {
    for (const remove of this.removers) remove();
  }

  /** `db.client.connection.*` of the pg pool (absent on the embedded PGlite, which has none). */
  private observePool(): void {
    const pool = (
      this.dataSource.driver as {
        master?: { totalCount: number; idleCount: number; waitingCount: number; options?: { max?: number } };
      }
    ).master;
    if (pool === undefined || typeof pool.totalCount !== 'number') return;
    const name = { 'db.client.connection.pool.name': 'orrery' };
    this.removers.push(
      observeGauge('db.client.connection.count', 'Connections of the pool, by state', (r) => {
        r.observe(pool.idleCount, { ...name, 'db.client.connection.state': 'idle' });
        r.observe(pool.totalCount - pool.idleCount, { ...name, 'db.client.connection.state': 'used' });
      }),
      observeGauge('db.client.connection.max', 'Most connections the pool opens', (r) =>
        r.observe(pool.options?.max ?? 10, name),
      ),
      observeGauge('db.client.connection.pending_requests', 'Queries waiting for a connection', (r) =>
        r.observe(pool.waitingCount, name),
      ),
    );
  }

  private observeRuns(): void {
    for (const [table, name, description] of [
      ['flow_run', 'orrery.flow_runs', 'Flow runs, by current state type'],
      ['task_run', 'orrery.task_runs', 'Task runs, by current state type'],
    ] as const) {
      this.removers.push(
        observeGauge(name, description, async (r) => {
          const read = await this.readRunCounts(table);
          // Every state type, 0 included, so a dashboard never shows "no data" for an empty state.
          if (read !== null)
            for (const [type, count] of read.counts) r.observe(count, { 'orrery.state.type': type });
        }),
      );
    }
  }

  /**
   * Runs per state of one table (terminal states estimated on big tables), re-read at most every
   * RUN_COUNTS_TTL_MS. Only the first read waits for the count: later scrapes answer with the last
   * counts while a refresh runs, so a scrape never waits on the database.
   */
  private async readRunCounts(table: RunTable): Promise<RunsPerState | null> {
    let entry = this.runCounts.get(table);
    if (entry === undefined) {
      entry = { at: 0, last: null, refreshing: null };
      this.runCounts.set(table, entry);
    }
    const current = entry;
    if (current.refreshing === null && Date.now() - current.at > RUN_COUNTS_TTL_MS) {
      current.at = Date.now();
      current.refreshing = countRunsPerState(this.dataSource, table)
        .then(
          (counts) => (current.last = counts),
          (error: unknown) => {
            this.logger.warn(`counting ${table} rows per state for metrics failed: ${String(error)}`);
            return current.last;
          },
        )
        .finally(() => (current.refreshing = null));
    }
    return current.last ?? (await current.refreshing);
  }

  private observeBus(bus: MessageBus): void {
    const groups = async (): Promise<
      { topic: string; group: string; lag: number; pending: number; consumers: number; deadLetters: number }[]
    > => {
      const out = [];
      for (const topic of TOPICS) {
        try {
          const description = await bus.describe(topic);
          for (const g of description.groups) {
            out.push({
              topic,
              group: g.name,
              lag: g.lag ?? 0,
              pending: g.pending,
              consumers: g.consumers.length,
              deadLetters: g.deadLetters,
            });
          }
        } catch (error) {
          this.logger.warn(`reading consumer groups of ${topic} for metrics failed: ${String(error)}`);
        }
      }
      return out;
    };
    // One read per scrape serves the four gauges (they are collected together).
    let last: { at: number; rows: ReturnType<typeof groups> } | null = null;
    const read = (): ReturnType<typeof groups> => {
      if (last === null || Date.now() - last.at > 1000) last = { at: Date.now(), rows: groups() };
      return last.rows;
    };
    const gauge = (
      name: string,
      description: string,
      pick: (g: Awaited<ReturnType<typeof groups>>[number]) => number,
    ) =>
      observeGauge(name, description, async (r) => {
        for (const g of await read()) r.observe(pick(g), { topic: g.topic, group: g.group });
      });
    this.removers.push(
      gauge('orrery.bus.consumer_group.lag', 'Entries not yet delivered to the group', (g) => g.lag),
      gauge(
        'orrery.bus.consumer_group.pending',
        'Entries delivered and not yet acknowledged',
        (g) => g.pending,
      ),
      gauge('orrery.bus.consumer_group.consumers', 'Consumers in the group', (g) => g.consumers),
      gauge(
        'orrery.bus.dead_letters',
        'Messages the group dead-lettered, ever (from the broker)',
        (g) => g.deadLetters,
      ),
    );
  }
}

function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The metrics endpoint of a process without the API: `GET /metrics` on
 * `PREFECT_SERVER_SERVICES_METRICS_HOST:PORT`, behind the same basic auth as the API when
 * `PREFECT_SERVER_API_AUTH_STRING` is set. Resolves with the bound address once listening.
 */
export async function serveMetrics(
  handle: MetricsHandle,
  settings: Settings,
): Promise<{ url: string; close(): Promise<void> }> {
  const { host, port } = settings.server.services.metrics;
  const auth = settings.server.api.authString;
  const expected = auth === null ? null : `Basic ${Buffer.from(auth).toString('base64')}`;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
      return;
    }
    if (expected !== null && !constantTimeEquals(request.headers.authorization ?? '', expected)) {
      response
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"exception_message":"Unauthorized"}');
      return;
    }
    handle.scrape().then(
      (text) => {
        response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(`scrape failed: ${String(error)}`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
