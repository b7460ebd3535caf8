import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { type ConcurrencyLeaseStorage, LEASE_STORAGE } from './lease-storage';
import { MemoryLeaseStorage } from './memory-lease-storage';
import { DEFAULT_LEASE_KEY_PREFIX, RedisLeaseStorage } from './redis-lease-storage';

export type LeaseStorageOptions =
  | { readonly driver: 'memory' }
  | { readonly driver: 'redis'; readonly url: string; readonly prefix?: string };

const LEASE_REDIS = Symbol('LEASE_REDIS');

/** Closes the lease store's Redis connection (if any) when the process shuts down. */
@Injectable()
class LeaseRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(LEASE_REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis === null) return;
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

/**
 * `LeaseStorageModule.forRoot({ driver: 'memory' | 'redis', … })`, imported once by a process's root
 * module; global, so any provider may inject `LEASE_STORAGE`. Memory is the process's own store
 * (`MemoryLeaseStorage.processDefault()`, the embedded default); Redis is shared by every replica.
 */
@Module({})
export class LeaseStorageModule {
  static forRoot(options: LeaseStorageOptions): DynamicModule {
    return {
      module: LeaseStorageModule,
      global: true,
      providers: [
        {
          provide: LEASE_REDIS,
          useFactory: (): Redis | null => {
            if (options.driver !== 'redis') return null;
            const redis = new Redis(options.url, {
              connectionName: 'orrery-leases',
              maxRetriesPerRequest: 3,
            });
            // ioredis reconnects by itself; a command that fails meanwhile fails its request (503).
            redis.on('error', () => undefined);
            return redis;
          },
        },
        {
          provide: LEASE_STORAGE,
          inject: [LEASE_REDIS],
          useFactory: (redis: Redis | null): ConcurrencyLeaseStorage =>
            options.driver === 'redis' && redis !== null
              ? new RedisLeaseStorage(redis, options.prefix ?? DEFAULT_LEASE_KEY_PREFIX)
              : MemoryLeaseStorage.processDefault(),
        },
        LeaseRedisCloser,
      ],
      exports: [LEASE_STORAGE],
    };
  }
}
