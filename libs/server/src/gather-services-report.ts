import { type Settings } from '@orrery/config';
import { RedisStreamsBus } from '@orrery/bus';
import Redis from 'ioredis';
import { coordinationRedisUrl } from './infrastructure-options';
import { ProcessRegistry } from './process-registry';
import {
  buildServicesReport,
  type GroupState,
  SERVICE_STREAMS,
  type ServiceReportRow,
} from './services-report';

/**
 * The data behind `orrery server services ls`: the catalogue and this environment's flags, plus —
 * when Redis is configured — the live processes and each consumer group's lag. An unreachable Redis
 * degrades to the static table with a warning instead of failing the command.
 */
export async function gatherServicesReport(
  settings: Settings,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<ServiceReportRow[]> {
  const url = coordinationRedisUrl(settings);
  if (url === null) return buildServicesReport(settings, null);
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
    if (bus !== null) {
      const topics = new Set(Object.values(SERVICE_STREAMS).map((s) => s.topic));
      for (const topic of topics) {
        const description = await bus.describe(topic);
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
    return buildServicesReport(settings, { processes, groups });
  } catch (error) {
    warn(
      `orrery: Redis unreachable (${error instanceof Error ? error.message : String(error)}); live replicas and lag not shown`,
    );
    return buildServicesReport(settings, null);
  } finally {
    redis.disconnect();
    await bus?.close();
  }
}
