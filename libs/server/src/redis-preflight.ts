import type { Settings } from '@orrery/config';
import { networkFailureReason } from '@orrery/persistence';
import Redis from 'ioredis';
import { jobsRedisUrl, leaseStorageOptionsFrom } from './infrastructure-options';

/** Every Redis this process will use (bus, job runner, leases), each server once. */
export function redisUrlsOf(settings: Settings): string[] {
  const urls: string[] = [];
  if (settings.server.events.messagingBroker === 'redis') urls.push(settings.redis.messaging.url);
  const jobs = jobsRedisUrl(settings);
  if (jobs !== null) urls.push(jobs);
  const leases = leaseStorageOptionsFrom(settings);
  if (leases.driver === 'redis') urls.push(leases.url);
  const byServer = new Map<string, string>();
  for (const url of urls)
    byServer.set(redisTarget(url).hostPort, byServer.get(redisTarget(url).hostPort) ?? url);
  return [...byServer.values()];
}

/**
 * One connection attempt and a PING, before Nest starts: an unreachable Redis is one line naming
 * host:port (like the database), not the stack traces of every client that would fail later.
 */
export async function checkRedisReachable(url: string, timeoutMs = 5000): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectionName: 'orrery-preflight',
  });
  // ioredis rejects connect() with "Connection is closed."; the socket's own error says why.
  let cause: unknown = null;
  redis.on('error', (error: unknown) => (cause ??= error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(describeRedisConnectionError(cause ?? error, url));
  } finally {
    redis.disconnect();
  }
}

/** One line, for a human: why Redis at host:port could not be reached; never the password. */
export function describeRedisConnectionError(error: unknown, url: string): string {
  const target = redisTarget(url);
  const where = `Redis at ${target.hostPort}`;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const network = networkFailureReason(typeof code === 'string' ? code : undefined);
  if (network !== undefined) return `cannot connect to ${where}: ${network}`;
  const text = (typeof message === 'string' ? message : String(error)).split('\n')[0] ?? '';
  if (/^(NOAUTH|WRONGPASS)/.test(text)) return `cannot connect to ${where}: authentication failed`;
  if (/timed? ?out/i.test(text)) return `cannot connect to ${where}: timed out`;
  return `cannot connect to ${where}: ${target.password === '' ? text : text.split(target.password).join('***')}`;
}

function redisTarget(url: string): { hostPort: string; password: string } {
  try {
    const parsed = new URL(url);
    return {
      hostPort: `${parsed.hostname || '127.0.0.1'}:${parsed.port || '6379'}`,
      password: decodeURIComponent(parsed.password),
    };
  } catch {
    return { hostPort: '(unparseable Redis URL)', password: '' };
  }
}
