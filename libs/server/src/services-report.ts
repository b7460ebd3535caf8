import { SERVICE_CATALOGUE, type ServiceFamily, type Settings } from '@orrery/config';
import type { ProcessRecord } from './process-registry';
import { isImplemented, NOT_IMPLEMENTED } from './service-modules';

/** The consumer group each stream-consumer service reads (spec-services-events-ha §2.1, §4.2). */
export const SERVICE_STREAMS: Readonly<Record<string, { topic: string; group: string | null }>> = {
  'task-run-recorder': { topic: 'events', group: 'task-run-recorder' },
  'event-logger': { topic: 'events', group: 'event-logger' },
  'event-persister': { topic: 'events', group: 'event-persister' },
  triggers: { topic: 'events', group: 'reactive-triggers' },
  actions: { topic: 'actions', group: 'actions' },
  distributor: { topic: 'events', group: null },
  'log-distributor': { topic: 'logs', group: null },
};

export interface GroupState {
  readonly lag: number | null;
  readonly pending: number;
  readonly consumers: number;
  /** Messages the group dead-lettered, ever (the broker's per-group count). */
  readonly deadLetters: number;
}

export interface ServiceReportRow {
  readonly name: string;
  readonly prefectName: string;
  readonly family: ServiceFamily;
  readonly envVar: string;
  /** Its enable variable is on (see `implemented`: only then does it run). */
  readonly enabled: boolean;
  /** Orrery has it; an unimplemented service is shown as "not implemented", never as enabled. */
  readonly implemented: boolean;
  readonly description: string;
  /** Live processes running it (`host-pid`); null when no Redis is configured to ask. */
  readonly replicas: readonly string[] | null;
  /** Its consumer group's state; null for periodic services, tails, or without Redis. */
  readonly group: GroupState | null;
  /** Metrics endpoints (`GET /metrics`) of the live processes running it; null without Redis. */
  readonly metrics: readonly string[] | null;
}

export interface LiveState {
  readonly processes: readonly ProcessRecord[];
  /** Keyed by `topic/group`. */
  readonly groups: ReadonlyMap<string, GroupState>;
}

/** One row per service of both families, in catalogue order. */
export function buildServicesReport(settings: Settings, live: LiveState | null): ServiceReportRow[] {
  return SERVICE_CATALOGUE.map((service) => {
    const stream = SERVICE_STREAMS[service.name];
    const groupKey = stream?.group ? `${stream.topic}/${stream.group}` : null;
    return {
      name: service.name,
      prefectName: service.prefectName,
      family: service.family,
      envVar: service.envVar,
      enabled: service.isEnabled(settings),
      implemented: isImplemented(service.name),
      description: service.description,
      replicas:
        live === null
          ? null
          : live.processes.filter((p) => p.services.includes(service.name)).map((p) => p.id),
      group: live === null || groupKey === null ? null : (live.groups.get(groupKey) ?? null),
      metrics:
        live === null
          ? null
          : live.processes
              .filter((p) => p.services.includes(service.name) && typeof p.metrics === 'string')
              .map((p) => p.metrics as string),
    };
  });
}

/** `orrery server services ls -o json`: Prefect's keys first, ours after. */
export function servicesReportJson(rows: readonly ServiceReportRow[]): object[] {
  return rows.map((r) => ({
    name: r.name,
    enabled: r.enabled && r.implemented,
    implemented: r.implemented,
    environment_variable: r.envVar,
    description: r.description,
    family: r.family,
    prefect_name: r.prefectName,
    replicas: r.replicas,
    consumer_group: r.group,
    metrics_endpoints: r.metrics,
  }));
}

/** The `orrery server services ls` table. */
export function formatServicesTable(rows: readonly ServiceReportRow[], settings?: Settings): string {
  const withLive = rows.some((r) => r.replicas !== null);
  const header = [
    'NAME',
    'FAMILY',
    'ENABLED?',
    'ENVIRONMENT VARIABLE',
    ...(withLive ? ['REPLICAS', 'LAG', 'DEAD LETTERS'] : []),
    'DESCRIPTION',
  ];
  const body = rows.map((r) => [
    r.name,
    r.family,
    !r.implemented ? 'not implemented' : r.enabled ? '✓' : 'x',
    r.envVar,
    ...(withLive
      ? [
          String(r.replicas?.length ?? 0),
          r.group === null ? '-' : r.group.lag === null ? '?' : String(r.group.lag),
          r.group === null ? '-' : String(r.group.deadLetters),
        ]
      : []),
    r.description,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  const notes = withLive
    ? [
        '',
        'REPLICAS counts live Orrery processes running the service; LAG is entries its consumer group has yet to read;',
        'DEAD LETTERS is messages the group gave up on, ever (`<topic>:dead-letter` holds them).',
      ]
    : ['', 'No Redis is configured here, so live replicas and consumer-group lag are not shown.'];
  const missing = rows
    .filter((r) => !r.implemented)
    .map((r) => `  ${r.name}: ${NOT_IMPLEMENTED[r.name] ?? 'not implemented'}`);
  const absent =
    missing.length === 0 ? [] : ['', 'Not implemented (their enable variables have no effect):', ...missing];
  return [
    'Available Services',
    '',
    line(header),
    ...body.map(line),
    ...notes,
    ...absent,
    ...metricsNotes(rows, settings),
  ].join('\n');
}

/** Where the metrics of these services are read (issue 15): the setting, then each live endpoint. */
function metricsNotes(rows: readonly ServiceReportRow[], settings: Settings | undefined): string[] {
  if (settings === undefined) return [];
  if (!settings.server.metricsEnabled) {
    return ['', 'Metrics are off (PREFECT_SERVER_METRICS_ENABLED).'];
  }
  const { host, port } = settings.server.services.metrics;
  const endpoints = [...new Set(rows.flatMap((r) => r.metrics ?? []))].sort();
  return [
    '',
    `Metrics: GET /api/metrics on the API; GET /metrics on ${host}:${port} in services processes (PREFECT_SERVER_SERVICES_METRICS_PORT).`,
    ...endpoints.map((url) => `  ${url}`),
  ];
}
