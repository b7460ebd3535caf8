import { redactUrl, type Settings } from '@orrery/config';
import { RedisStreamsBus } from '@orrery/bus';
import Redis from 'ioredis';
import { API_VERSION, SERVER_VERSION } from '@orrery/api';
import { describeDatabase } from './database-admin';
import { coordinationRedisUrl, databaseOptionsFrom } from './infrastructure-options';
import { ProcessRegistry } from './process-registry';
import { API_PROCESS_SERVICES, SERVICE_MODULES } from './service-modules';
import {
  buildServicesReport,
  type GroupState,
  type LiveState,
  SERVICE_STREAMS,
  type ServiceReportRow,
} from './services-report';

/** What Redis knows right now: live processes, consumer groups, and dead letters per topic. */
export interface LiveSnapshot extends LiveState {
  readonly deadLetters: ReadonlyMap<string, number>;
}

/**
 * Reads the live state from Redis when one is configured: null without Redis, and null plus a
 * warning when it cannot be reached (callers degrade to the static table instead of failing).
 */
export async function gatherLiveState(
  settings: Settings,
): Promise<{ live: LiveSnapshot | null; warning: string | null }> {
  const url = coordinationRedisUrl(settings);
  if (url === null) return { live: null, warning: null };
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  const bus =
    settings.server.events.messagingBroker === 'redis'
      ? new RedisStreamsBus({ redis: { url, connectionName: 'orrery-cli' } })
      : null;
  try {
    await redis.connect();
    const processes = await ProcessRegistry.list(redis);
    const groups = new Map<string, GroupState>();
    const deadLetters = new Map<string, number>();
    if (bus !== null) {
      const topics = new Set(Object.values(SERVICE_STREAMS).map((s) => s.topic));
      for (const topic of topics) {
        const description = await bus.describe(topic);
        deadLetters.set(topic, description.deadLetters);
        for (const group of description.groups) {
          groups.set(`${topic}/${group.name}`, {
            lag: group.lag,
            pending: group.pending,
            consumers: group.consumers.length,
            deadLetters: group.deadLetters,
          });
        }
      }
    }
    return { live: { processes, groups, deadLetters }, warning: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { live: null, warning: `Redis unreachable (${reason}); live replicas and lag not shown` };
  } finally {
    redis.disconnect();
    await bus?.close();
  }
}

/**
 * The data behind `orrery server services ls`: the catalogue and this environment's flags, plus —
 * when Redis is configured — the live processes and each consumer group's lag. An unreachable Redis
 * degrades to the static table with a warning instead of failing the command.
 */
export async function gatherServicesReport(
  settings: Settings,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<ServiceReportRow[]> {
  const { live, warning } = await gatherLiveState(settings);
  if (warning !== null) warn(`orrery: ${warning}`);
  return buildServicesReport(settings, live);
}

/** Where a service runs when no registry can say (embedded mode, or Redis unreachable). */
function runsIn(row: ServiceReportRow): string {
  if (!row.enabled) return 'disabled';
  if (API_PROCESS_SERVICES.has(row.name)) return 'in the API processes';
  return SERVICE_MODULES[row.name] === undefined ? 'not implemented yet' : 'in this server';
}

/** `GET /api/orrery/server` (docs/ui.md): the services report plus the processes and infrastructure. */
export async function gatherServerReport(settings: Settings, registryTtlSeconds: number): Promise<object> {
  const { live, warning } = await gatherLiveState(settings);
  const rows = buildServicesReport(settings, live);
  const redisUrl = coordinationRedisUrl(settings);
  const processes = live?.processes ?? [];
  return {
    version: SERVER_VERSION,
    apiVersion: API_VERSION,
    database: describeDatabase(databaseOptionsFrom(settings)),
    redis: redisUrl === null ? null : redactUrl(redisUrl),
    messageBus: settings.server.events.messagingBroker === 'redis' ? 'Redis Streams' : 'in-process',
    registryTtlSeconds,
    live: live !== null,
    warning,
    processes,
    services: rows.map((row) => {
      const stream = SERVICE_STREAMS[row.name];
      return {
        name: row.name,
        family: row.family,
        envVar: row.envVar,
        enabled: row.enabled,
        description: row.description,
        runsIn: runsIn(row),
        replicas: processes
          .filter((p) => p.services.includes(row.name))
          .map((p) => ({ id: p.id, host: p.host, pid: p.pid, heartbeatAt: p.heartbeatAt })),
        stream:
          stream === undefined
            ? null
            : {
                topic: stream.topic,
                group: stream.group,
                lag: row.group?.lag ?? null,
                pending: row.group?.pending ?? null,
                deadLetters: live?.deadLetters.get(stream.topic) ?? null,
              },
      };
    }),
  };
}
