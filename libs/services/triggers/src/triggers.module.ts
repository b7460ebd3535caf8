import { Module } from '@nestjs/common';
import { type Settings, SETTINGS } from '@orrery/config';
import { AutomationBucketRepository, AutomationRepository } from '@orrery/persistence';
import Redis from 'ioredis';
import { AutomationCache } from './automation-cache';
import { MemoryOrderingStore, type OrderingStore, RedisOrderingStore } from './causal-ordering';
import { EventsClock } from './events-clock';
import { ORDERING_STORE, TriggersService } from './triggers.service';

/**
 * The triggers service (`PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED`). Causal ordering follows
 * `PREFECT_SERVER_EVENTS_CAUSAL_ORDERING`: in process (memory) or on the messaging Redis.
 */
@Module({
  providers: [
    AutomationRepository,
    AutomationBucketRepository,
    AutomationCache,
    { provide: EventsClock, useFactory: () => new EventsClock() },
    {
      provide: ORDERING_STORE,
      inject: [SETTINGS],
      useFactory: (settings: Settings): OrderingStore =>
        settings.server.events.causalOrdering === 'redis'
          ? new RedisOrderingStore(
              new Redis(settings.redis.messaging.url, {
                connectionName: 'orrery-triggers',
                maxRetriesPerRequest: 3,
                // The pass-through marks of one read share one write.
                enableAutoPipelining: true,
              }),
            )
          : new MemoryOrderingStore(),
    },
    TriggersService,
  ],
  exports: [AutomationCache],
})
export class TriggersModule {}
