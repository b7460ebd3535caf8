import { type BusOptions } from '../bus-options';
import { InMemoryBus } from '../memory/in-memory.bus';
import { type MessageBus } from '../message-bus';
import { RedisStreamsBus } from '../redis/redis-streams.bus';

/** Builds the driver BusOptions asks for; a Redis driver without a URL is a configuration error. */
export function createMessageBus(options: BusOptions): MessageBus {
  switch (options.driver) {
    case 'redis':
      if (options.redis?.url === undefined || options.redis.url === '') {
        throw new Error('bus driver "redis" needs redis.url');
      }
      if (options.redis.url.startsWith('redis+cluster://')) {
        throw new Error('Redis Cluster URLs are not supported by the bus yet (spec §6.5 item 10)');
      }
      return new RedisStreamsBus({
        redis: options.redis,
        consumer: options.consumer,
        dedupe: options.dedupe,
        propagator: options.propagator,
        interceptor: options.interceptor,
        isTransientError: options.isTransientError,
      });
    case 'memory':
      return new InMemoryBus({
        memory: options.memory,
        consumer: options.consumer,
        dedupe: options.dedupe,
        propagator: options.propagator,
        interceptor: options.interceptor,
        isTransientError: options.isTransientError,
      });
  }
}
